"""The attention lab: beyond what every lab gets (tests/test_labkit_labs.py), its messages name
the likely cause, and its hidden shapes catch code that only fits the visible case."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("attention")


def test_messages_name_the_likely_cause(lab, tmp_path):
    assert "Likely cause: the scores are not scaled" in judge(lab, tmp_path / "a", "no-scale").step("scores").message
    merged = judge(lab, tmp_path / "b", "merge-wrong-transpose").step("heads").message
    assert "merged with the wrong transpose" in merged
    mha = judge(lab, tmp_path / "c", "mha-attn-mask-unconverted").step("multi-head").message
    assert "attn_mask inverted" in mha and "True = NOT allowed" in mha


def test_hidden_shapes_catch_a_scale_fixed_to_the_visible_d(lab, tmp_path):
    result = judge(lab, tmp_path, replace=("/ math.sqrt(q.shape[-1])", "/ 2.0"))
    step = result.step("scores")
    assert step.status == FAIL and "hidden case" in step.message
