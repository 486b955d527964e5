"""The adaboost lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name the
likely cause, its hidden cases catch code fitted to the book's uniform weights, and a stump chosen
among equally good ones by another tie rule passes (the replay judges errors, not choices)."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("adaboost")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("stump-one-direction", "stump", "try both directions, as the book's third round does"),
        ("weights-never-updated", "boosting", "Was the stump fitted with the updated weights?"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = judge(lab, tmp_path, variant).step(step)
    assert found.status == FAIL and words in found.message


def test_hidden_cases_catch_an_unweighted_error_rate(lab, tmp_path):
    """With the book's uniform weights 0.1 the plain error rate equals the weighted error."""
    result = judge(
        lab, tmp_path, replace=("    return float(np.sum(w[pred != y]))", "    return float(np.mean(pred != y))")
    )
    found = result.step("weighted-error")
    assert found.status == FAIL and "hidden case" in found.message and "plain error rate" in found.message


def test_another_tie_rule_between_equal_stumps_passes(lab, tmp_path):
    """Keeping the last of equally good thresholds starts example 8.1 with x < 8.5 instead of the
    book's x < 2.5: a different but equally correct run of the algorithm."""
    result = judge(
        lab,
        tmp_path,
        replace=(
            "            i = int(np.argmin(errors))",
            "            i = len(errors) - 1 - int(np.argmin(errors[::-1]))",
        ),
    )
    assert all(step.status == PASS for step in result.steps), [(s.name, s.message) for s in result.steps]
