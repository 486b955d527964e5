"""The lstm-gru-cells lab: beyond what every lab gets (tests/test_labkit_labs.py), its messages
name the likely cause, and its hidden shapes catch code that only fits the visible case."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("lstm-gru-cells")


def test_messages_name_the_wrong_formula(lab, tmp_path):
    swapped = judge(lab, tmp_path / "a", "lstm-if-swapped").step("lstm-cell").message
    assert "Likely cause: your result matches the gates taken in the order f, i, g, o" in swapped
    paper = judge(lab, tmp_path / "b", "gru-reset-before-matmul").step("gru-cell").message
    assert "the paper's variant" in paper and "r * (W_hn h + b_hn)" in paper
    detached = judge(lab, tmp_path / "c", "detached-state").step("gradients")
    assert detached.status == FAIL and "gradient w.r.t. h" in detached.message and ".detach()" in detached.message


def test_hidden_shapes_catch_a_squeeze_that_drops_a_batch_of_one(lab, tmp_path):
    """squeeze() is harmless for the visible batch of 2 and drops the batch axis when B = 1."""
    result = judge(
        lab, tmp_path, replace=("    return h_next, c_next\n", "    return h_next.squeeze(), c_next.squeeze()\n")
    )
    step = result.step("lstm-cell")
    assert step.status == FAIL and "hidden case" in step.message and "expected shape (1, " in step.message
