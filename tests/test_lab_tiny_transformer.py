"""The tiny-transformer lab: beyond what every lab gets (tests/test_labkit_labs.py), the steps
before training explain what is wrong (these variants never reach the training step, so the
tests stay fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyctl.content.labs import load_lab
from studyctl.labkit.mistakes import prepare
from studyctl.labkit.result import FAIL, SKIP
from studyctl.labkit.runner import run_check

MANIFEST = Path(__file__).resolve().parent.parent / "labs" / "tiny-transformer" / "lab.yaml"


@pytest.fixture(scope="module")
def lab():
    return load_lab(MANIFEST)[0]


def judge(lab, tmp_path, variant="solution", replace=None):
    workspace = prepare(lab, variant, tmp_path / "ws")
    if replace:
        path = workspace / "transformer.py"
        old, new = replace
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return run_check(lab, workspace, device="cpu")


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
