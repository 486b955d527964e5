"""The bilstm-crf lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause, its hidden cases catch what the visible case cannot, and its model step demands
that the CRF's own scores learn."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("bilstm-crf")


def test_mistake_messages_name_the_cause(lab, tmp_path):
    overflow = judge(lab, tmp_path / "a", "prob-space-forward").step("log-partition").message
    assert "large scores" in overflow and "probability space" in overflow and "torch.logsumexp" in overflow
    flipped = judge(lab, tmp_path / "b", "nll-sign-flipped").step("nll").message
    assert "opposite sign" in flipped and "never below 0" in flipped


def test_hidden_cases_catch_a_transposed_transition_matrix(lab, tmp_path):
    """On the visible path the two readings of the matrix happen to sum the same; hidden paths differ."""
    step = judge(lab, tmp_path, "transitions-transposed").step("path-score")
    assert step.status == FAIL and "hidden case" in step.message and "FOLLOWED BY" in step.message


def test_the_model_step_needs_gradients_on_the_transitions(lab, tmp_path):
    """A loss with the right value whose transition scores are detached cannot learn them."""
    result = judge(
        lab,
        tmp_path,
        replace=(
            "return crf_nll(self.emissions(chars, mask), tags, mask, *crf)",
            "return crf_nll(self.emissions(chars, mask), tags, mask, *(p.detach() for p in crf))",
        ),
    )
    assert all(result.step(name).status == PASS for name in ("log-partition", "path-score", "nll", "viterbi"))
    model = result.step("model")
    assert model.status == FAIL and "no gradient on self.transitions" in model.message
