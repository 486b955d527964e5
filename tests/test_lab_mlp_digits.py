"""The mlp-digits lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause, its hidden cases catch code fitted to the visible one, and it judges results,
not the way the model is written."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("mlp-digits")


def test_mistake_messages_name_the_cause(lab, tmp_path):
    accumulate = judge(lab, tmp_path / "a", "no-zero-grad").step("train-step").message
    assert "after call 2" in accumulate and "optimizer.zero_grad()" in accumulate
    softmax = judge(lab, tmp_path / "b", "softmax-before-loss").step("train-step").message
    assert "the loss train_step returned (call 1)" in softmax and "applies log-softmax itself" in softmax
    flatten = judge(lab, tmp_path / "c", "flatten-all").step("shapes").message
    assert "RuntimeError" in flatten and "keep the batch dimension" in flatten


def test_hidden_cases_catch_a_batch_size_written_in(lab, tmp_path):
    result = judge(lab, tmp_path, replace=[("x = x.reshape(x.shape[0], -1)", "x = x.reshape(5, -1)")])
    assert result.step("shapes").status == FAIL and "hidden case" in result.step("shapes").message


def test_a_sequential_model_is_judged_by_its_results(lab, tmp_path):
    """nn.Sequential with nn.Flatten instead of fc1/fc2: same layers, so the same verdicts.
    (train is made to raise so that the test stays fast.)"""
    sequential = (
        "        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))\n"
    )
    result = judge(
        lab,
        tmp_path,
        replace=[
            ("        self.fc1 = nn.Linear(64, hidden)\n        self.fc2 = nn.Linear(hidden, 10)\n", sequential),
            (
                "        x = x.reshape(x.shape[0], -1)  # (N, 8, 8) -> (N, 64), one row per image\n"
                "        return self.fc2(F.relu(self.fc1(x)))\n",
                "        return self.net(x)\n",
            ),
            ("    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n", "    raise RuntimeError('skip')\n"),
        ],
    )
    statuses = {s.name: s.status for s in result.steps}
    assert all(statuses[name] == PASS for name in ("shapes", "parameters", "forward", "train-step", "evaluate"))


def test_a_history_with_the_last_batch_loss_is_named(lab, tmp_path):
    from lab_helpers import judge

    step = judge(lab, tmp_path, "history-last-batch-loss").step("train")
    assert step.status == "fail" and "the last batch's loss only" in step.message, step.message
