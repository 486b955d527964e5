"""The bow-text-classification lab, beyond what every lab gets (tests/test_labkit_labs.py): the
generated reviews need bigrams (the reference passes, unigrams stay far below), the messages
name the likely cause, and hidden cases catch code fitted to the visible example."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("bow-text-classification")


def test_bigrams_reach_the_threshold_and_unigrams_do_not(lab, tmp_path):
    step = judge(lab, tmp_path).step("bigrams")
    assert step.status == PASS and "'not good' is a feature of its own" in step.message
    assert step.metrics["bigram_test_acc"] >= 0.95
    assert step.metrics["unigram_test_acc"] < 0.8  # negation flips the label: no unigram weights can follow it


def test_mistake_messages_name_the_cause(lab, tmp_path):
    strict = judge(lab, tmp_path / "a", "vocab-min-count-strict").step("vocab").message
    assert "missing: 'bad'" in strict and "keep counts >= min_count" in strict
    dropped = judge(lab, tmp_path / "b", "drop-last-batch").step("train-steps").message
    assert "batch_size=100" in dropped and "No step was taken" in dropped


def test_hidden_cases_catch_a_batch_size_written_in(lab, tmp_path):
    """The visible loss case has N = 3; dividing the gradient by a 3 written in passes it, the hidden cases
    (other N) catch it."""
    result = judge(lab, tmp_path, replace=("    dscores /= n\n", "    dscores /= 3\n"))
    step = result.step("loss-grads")
    assert step.status == FAIL and "hidden case" in step.message and "dW" in step.message
    assert result.step("featurize").status == PASS
