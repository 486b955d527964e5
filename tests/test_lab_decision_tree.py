"""The decision-tree lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause, and its hidden cases catch code fitted to the book's two-class loan table."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("decision-tree")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("entropy-natural-log", "impurity", "Your entropy is in nats"),
        ("gain-ratio-over-label-entropy", "information-gain", "C4.5 divides by H_A(D), the entropy of the feature x"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = judge(lab, tmp_path, variant).step(step)
    assert found.status == FAIL and words in found.message


def test_hidden_cases_catch_a_two_class_gini(lab, tmp_path):
    """1 - p^2 - (1 - p)^2 is the Gini of table 5.1 (two classes), and wrong with three or more."""
    result = judge(
        lab,
        tmp_path,
        replace=(
            "    return float(1 - ((counts / len(y)) ** 2).sum())",
            "    p = counts[0] / len(y)\n    return float(1 - p**2 - (1 - p) ** 2)",
        ),
    )
    impurity = result.step("impurity")
    assert impurity.status == FAIL and "hidden case" in impurity.message and "gini(y)" in impurity.message
