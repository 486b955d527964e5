"""The esim-nli lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name the
likely cause, and its hidden cases (padding filled with +-50, all-negative sentences) catch what the
visible case lets through."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("esim-nli")


def test_an_unmasked_softmax_is_named(lab, tmp_path):
    step = judge(lab, tmp_path, "no-padding-mask").step("alignment")
    assert step.status == FAIL and "attends to b's padding" in step.message and "-inf" in step.message


def test_hidden_cases_catch_a_max_that_lets_the_padding_win(lab, tmp_path):
    """(v * mask).max(1) is right on the visible case; a hidden sentence whose values are all negative
    shows the zero from the padding winning."""
    step = judge(lab, tmp_path, "max-with-zeros").step("pooling")
    assert step.status == FAIL and "hidden case" in step.message and "padding must never win the max" in step.message


def test_a_transformer_style_scale_is_not_esim(lab, tmp_path):
    result = judge(
        lab, tmp_path, replace=("e = a @ b.transpose(1, 2)", "e = a @ b.transpose(1, 2) / a.shape[-1] ** 0.5")
    )
    step = result.step("alignment")
    assert step.status == FAIL and "no scaling" in step.message
