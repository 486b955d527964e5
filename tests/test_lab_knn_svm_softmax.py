"""The knn-svm-softmax lab, beyond what every lab gets (tests/test_labkit_labs.py): an unstable
softmax fails with a message about numerical stability (not a generic mismatch), hidden cases
catch code fitted to the visible example, and the no-loop rule sees a loop hidden in a helper call."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("knn-svm-softmax")


def test_exponentiating_first_fails_with_a_stability_message(lab, tmp_path):
    underflow = judge(lab, tmp_path / "a", "softmax-exp-first").step("softmax-stable")
    assert underflow.status == FAIL
    assert "Numerical stability" in underflow.message and "log(0) = -inf" in underflow.message
    assert "divide by zero encountered in log" in underflow.message  # what numpy said, passed on
    clipped = judge(
        lab,
        tmp_path / "b",
        replace=[
            (
                "    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # never log(0)\n",
                "    log_probs = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True) + 1e-12)\n",
            )
        ],
    )
    statuses = {s.name: s.status for s in clipped.steps}
    assert statuses["softmax-loss"] == PASS and statuses["softmax-stable"] == FAIL
    message = clipped.step("softmax-stable").message
    assert "Numerical stability" in message and "log(p + eps)" in message


def test_hidden_cases_catch_a_batch_size_written_in(lab, tmp_path):
    """The visible SVM case has N = 5; a 5 written in passes it, and the hidden cases catch it."""
    result = judge(
        lab,
        tmp_path,
        replace=(
            "    n = X.shape[0]\n    rows = np.arange(n)\n    scores = X @ W  # (N, C)",
            "    n = 5\n    rows = np.arange(X.shape[0])\n    scores = X @ W  # (N, C)",
        ),
    )
    step = result.step("svm-loss")
    assert step.status == FAIL and "hidden case" in step.message and "a mean, not a sum" not in step.message


def test_no_loops_may_not_call_the_one_loop_version(lab, tmp_path):
    result = judge(
        lab,
        tmp_path,
        replace=(
            "    squared = np.sum(X**2, axis=1)[:, None]",
            "    return compute_distances_one_loop(X, X_train)\n    squared = np.sum(X**2, axis=1)[:, None]",
        ),
    )
    step = result.step("no-loops")
    assert step.status == FAIL and "uses compute_distances_one_loop" in step.message
    assert result.step("one-loop").status == PASS
