"""The linear-logistic lab, beyond what every lab gets (tests/test_labkit_labs.py): its
messages name the likely cause, and a call to torch's own loss is refused."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("linear-logistic")


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
