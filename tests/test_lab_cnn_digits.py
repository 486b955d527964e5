"""The cnn-digits lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the layer and the likely cause, and its hidden cases catch code fitted to the visible one."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("cnn-digits")


def test_mistake_messages_name_the_layer_and_the_cause(lab, tmp_path):
    padding = judge(lab, tmp_path / "a", "no-padding").step("layer-shapes").message
    assert "after convolution 1 the feature map should be (4, 16, 8, 8), got (4, 16, 6, 6)" in padding
    assert "padding=1" in padding
    channels = judge(lab, tmp_path / "b", "channels-last").step("to-images").message
    assert "expected shape (2, 1, 8, 8), got (2, 8, 8, 1)" in channels and "channels-last" in channels
    relu = judge(lab, tmp_path / "c", "no-relu").step("forward").message
    assert "no ReLU" in relu


def test_hidden_cases_catch_a_ceiling_that_the_visible_cases_miss(lab, tmp_path):
    """Every visible case divides evenly; hidden strides of 2 and 3 tell floor from ceiling."""
    ceiling = "return -(-(size + 2 * padding - kernel) // stride) + 1"
    result = judge(lab, tmp_path, replace=[("return (size + 2 * padding - kernel) // stride + 1", ceiling)])
    step = result.step("conv-arithmetic")
    assert step.status == FAIL and "hidden case" in step.message and "the floor" in step.message
