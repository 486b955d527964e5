"""The naive-bayes lab, beyond what every lab gets (tests/test_labkit_labs.py): an unsmoothed
estimate is caught and named (zero probabilities, found in a hidden case even though the book's
example has none), hidden cases catch code fitted to the book's example, and the 800-feature case
catches a product of probabilities."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("naive-bayes")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("no-smoothing", "conditional", "Zero probabilities: P(X_0 = 1 | Y = 1) is 0 (log = -inf)"),
        ("probability-space", "joint-log-likelihood", "800 features"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = judge(lab, tmp_path, variant).step(step)
    assert found.status == FAIL and words in found.message


def test_hidden_cases_catch_the_books_three_categories_written_in(lab, tmp_path):
    """Both of the book's features have 3 values: a denominator N_k + 3 lam is right there only."""
    result = judge(lab, tmp_path, replace=("class_counts[:, None] + s * lam", "class_counts[:, None] + 3 * lam"))
    conditional = result.step("conditional")
    assert conditional.status == FAIL and "hidden case" in conditional.message
