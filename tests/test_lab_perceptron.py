"""The perceptron lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause, its hidden cases catch code fitted to the book's example (eta = 1), and the
dual form is judged against the learner's own primal form."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("perceptron")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("strict-inequality", "primal", "0 is a mistake: the test is y_i (w · x_i + b) <= 0, not < 0"),
        ("bound-unnormalised", "novikoff", "w_hat scaled to length 1"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = judge(lab, tmp_path, variant).step(step)
    assert found.status == FAIL and words in found.message


def test_hidden_cases_catch_a_bias_step_without_eta(lab, tmp_path):
    """b += y_i instead of b += eta * y_i is right on the book's example (eta = 1) and still
    converges, but b is then no whole number of eta-steps."""
    result = judge(lab, tmp_path, replace=("b = b + eta * y[i]", "b = b + y[i]"))
    primal = result.step("primal")
    assert primal.status == FAIL and "hidden case" in primal.message and "whole number of steps" in primal.message


def test_dual_in_another_order_is_caught_against_the_learners_primal(lab, tmp_path):
    """A dual form that scans the samples backwards still separates the data, but its updates
    differ from the primal form's: the dual step says so, while the primal steps pass."""
    result = judge(
        lab,
        tmp_path,
        replace=(
            "            if y[i] * ((alpha * y) @ G[:, i] + b) <= 0:",
            "            i = len(y) - 1 - i\n            if y[i] * ((alpha * y) @ G[:, i] + b) <= 0:",
        ),
    )
    assert result.step("primal").status == PASS and result.step("iris").status == PASS
    dual = result.step("dual")
    assert dual.status == FAIL and "your train_primal" in dual.message
