"""The linear-logistic lab, beyond what every lab gets (tests/test_labkit_labs.py): its
messages name the likely cause, and a call to torch's own loss is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyctl.content.labs import load_lab
from studyctl.labkit.mistakes import prepare
from studyctl.labkit.result import FAIL
from studyctl.labkit.runner import run_check

MANIFEST = Path(__file__).resolve().parent.parent / "labs" / "linear-logistic" / "lab.yaml"
FILE = "regression.py"


@pytest.fixture(scope="module")
def lab():
    return load_lab(MANIFEST)[0]


def judge(lab, tmp_path, variant="solution", replace=None):
    workspace = prepare(lab, variant, tmp_path / "ws")
    if replace:
        path = workspace / FILE
        old, new = replace
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return run_check(lab, workspace, device="cpu")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("closed-form-no-bias", "closed-form", "forced through the origin"),
        ("double-sigmoid", "logistic-step", "sigmoid was applied twice"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = judge(lab, tmp_path, variant).step(step)
    assert found.status == FAIL and words in found.message


def test_calling_torchs_loss_is_refused(lab, tmp_path):
    result = judge(
        lab, tmp_path, replace=("return ((pred - y) ** 2).mean()", "return torch.nn.functional.mse_loss(pred, y)")
    )
    message = result.step("mse-loss").message
    assert result.step("mse-loss").status == FAIL and "uses mse_loss" in message
