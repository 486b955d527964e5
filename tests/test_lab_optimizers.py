"""The optimizers lab, beyond what every lab gets (tests/test_labkit_labs.py): coupled and decoupled
weight decay are told apart by name, bias correction is judged from step 1, a hidden case with two
parameter groups catches a single learning rate, and handing the step to torch's own SGD is caught."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("optimizers")


def test_weight_decay_and_bias_correction_messages(lab, tmp_path):
    coupled = judge(lab, tmp_path / "a", "adamw-coupled").step("adamw").message
    assert "against torch.optim.AdamW" in coupled and "Adam's coupled L2 decay" in coupled
    assert "p *= 1 - lr * weight_decay" in coupled
    uncorrected = judge(lab, tmp_path / "b", "adam-no-bias-correction").step("adam").message
    assert "after step 1" in uncorrected and "No bias correction" in uncorrected


def test_a_hidden_case_with_two_groups_catches_a_single_learning_rate(lab, tmp_path):
    result = judge(lab, tmp_path, "sgd-single-lr")
    message = result.step("sgd").message
    assert result.step("sgd").status == FAIL
    assert "hidden case 1 of 6" in message and "two groups" in message and "group['lr']" in message


def test_handing_the_step_to_torch_is_caught(lab, tmp_path):
    result = judge(
        lab,
        tmp_path,
        replace=[
            (
                '        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov, '
                '"weight_decay": weight_decay})\n',
                '        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov, '
                '"weight_decay": weight_decay})\n'
                "        self.inner = torch.optim.SGD(self.param_groups, lr=lr, momentum=momentum, nesterov=nesterov,"
                " weight_decay=weight_decay)\n",
            ),
            (
                "        for group in self.param_groups:\n            lr, momentum",
                "        return self.inner.step()\n        for group in self.param_groups:\n            lr, momentum",
            ),
        ],
    )
    step = result.step("sgd")
    assert step.status == FAIL and "called torch's own update" in step.message
    assert result.step("adam").status == PASS
