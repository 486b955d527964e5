"""The lora-finetune lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause (A and B both zero, tensors counted instead of values), and its hidden cases catch
code fitted to the visible ones (a scaling written in as a number, a merge that assumes a bias)."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("lora-finetune")


def test_mistake_messages_name_the_cause(lab, tmp_path):
    both_zero = judge(lab, tmp_path / "a", "both-zero").step("init").message
    assert "A is all zeros" in both_zero and "nothing ever trains" in both_zero
    count = judge(lab, tmp_path / "b", "count-tensors").step("inject").message
    assert "count_trainable returned (4, 12), expected (42, 181)" in count and "p.numel()" in count


_SKIP_FINETUNE = (
    "    trainable = [p for p in model.parameters() if p.requires_grad]\n",
    "    raise RuntimeError('skip')\n",
)


def test_hidden_cases_catch_a_scaling_written_in(lab, tmp_path):
    """The visible forward case has alpha / r = 3; the hidden ones vary it. (finetune is made to
    raise so that the test stays fast.)"""
    forward = (
        "        return self.base(x) + (x @ self.A.T @ self.B.T) * self.scaling\n",
        "        return self.base(x) + (x @ self.A.T @ self.B.T) * 3.0\n",
    )
    result = judge(lab, tmp_path, replace=[forward, _SKIP_FINETUNE])
    statuses = {s.name: s.status for s in result.steps}
    assert statuses["init"] == PASS and statuses["inject"] == PASS
    assert statuses["forward"] == FAIL and "hidden case" in result.step("forward").message


def test_hidden_cases_catch_a_merge_that_assumes_a_bias(lab, tmp_path):
    """The visible merge case has a bias; a hidden one has none."""
    result = judge(
        lab,
        tmp_path,
        replace=[("            bias=self.base.bias is not None,\n", "            bias=True,\n"), _SKIP_FINETUNE],
    )
    statuses = {s.name: s.status for s in result.steps}
    assert all(statuses[name] == PASS for name in ("init", "forward", "inject"))
    message = result.step("merge").message
    assert statuses["merge"] == FAIL and "hidden case" in message and "bias=False" in message
