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


def test_a_mask_applied_after_the_softmax_is_named_without_blaming_causal_mask(lab, tmp_path):
    after = (
        """        scores = scores.masked_fill(~attn_mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # over the keys: each query's weights sum to 1""",
        """        pass
    weights = torch.softmax(scores, dim=-1)
    if attn_mask is not None:
        weights = weights.masked_fill(~attn_mask, 0.0)""",
    )
    step = judge(lab, tmp_path, replace=after).step("causal-mask")
    assert step.status == FAIL and "applied after the softmax" in step.message, step.message
    assert "causal_mask itself is right" in step.message


def test_sdpa_without_the_scale_is_named(lab, tmp_path):
    unscaled = ("    scores = attention_scores(q, k)\n", "    scores = q @ k.transpose(-2, -1)\n")
    step = judge(lab, tmp_path, replace=unscaled).step("softmax")
    assert step.status == FAIL and "not divided by sqrt(d)" in step.message, step.message
