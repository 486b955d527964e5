"""The seq2seq-dates lab, beyond what every lab gets (tests/test_labkit_labs.py): its beam-search
messages name the cause (scores by the last step only, states that do not follow their hypotheses),
and its hidden toy models catch a search fitted to the visible one."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("seq2seq-dates")


def test_beam_messages_name_the_cause(lab, tmp_path):
    step_scores = judge(lab, tmp_path / "a", "beam-step-scores").step("beam-search").message
    assert "beam_size=3" in step_scores and "TOTAL score" in step_scores
    unordered = judge(lab, tmp_path / "b", "beam-states-not-reordered").step("beam-search").message
    assert "the model gives it" in unordered and "index_select(0, rows)" in unordered


def test_hidden_models_catch_a_max_len_written_in(lab, tmp_path):
    """The visible toy model has max_len 4; a greedy decoder that stops at 4 passes it only."""
    result = judge(lab, tmp_path, replace=("    while len(tokens) < max_len:", "    while len(tokens) < 4:"))
    assert result.step("attention").status == PASS
    step = result.step("greedy")
    assert step.status == FAIL and "hidden case" in step.message
