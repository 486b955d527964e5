"""The tiny-transformer lab: beyond what every lab gets (tests/test_labkit_labs.py), the steps
before training explain what is wrong (these variants never reach the training step, so the
tests stay fast)."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, SKIP


@pytest.fixture(scope="module")
def lab():
    return repo_lab("tiny-transformer")


def test_a_model_without_the_mask_is_stopped_before_it_can_cheat(lab, tmp_path):
    result = judge(lab, tmp_path, "no-causal-mask")
    assert result.step("causal-mask").status == FAIL and result.step("train").status == SKIP
    assert "looks at the future" in result.step("causal-mask").message


def test_a_table_added_along_the_batch_axis_is_named(lab, tmp_path):
    message = judge(lab, tmp_path, "pe-batch-axis").step("positions").message
    assert "indexed by the batch axis" in message and "pe[:T]" in message


def test_a_boolean_causal_mask_is_explained(lab, tmp_path):
    float_mask = 'return torch.full((size, size), float("-inf"), device=device).triu(1)'
    bool_mask = "return torch.ones(size, size, dtype=torch.bool, device=device).triu(1)"
    step = judge(lab, tmp_path, replace=(float_mask, bool_mask)).step("causal-mask")
    assert step.status == FAIL and "your mask is boolean" in step.message


def test_nan_logits_from_a_true_means_allowed_mask_are_named(lab, tmp_path):
    step = judge(lab, tmp_path, "bool-mask-true-allowed").step("shapes")
    assert step.status == FAIL and "NaN" in step.message and "True = blocked" in step.message, step.message
    assert "expected nan, got nan" not in step.message


def test_a_table_kept_as_a_plain_attribute_is_caught_on_the_cpu(lab, tmp_path):
    step = judge(lab, tmp_path, "pe-plain-attribute").step("shapes")
    assert step.status == FAIL and "did not move self.pe" in step.message and "register_buffer" in step.message
