"""The tiny-lm lab. Beyond what every lab gets (tests/test_labkit_labs.py): its messages teach
(the copy-the-input targets, the undetached hidden state), and it catches a forward that
ignores the state it is given. Only variants that stop before the long training run."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.mistakes import load_mistakes
from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP

STEPS = ["vocab", "batches", "model", "loss", "evaluate", "train", "sample"]


@pytest.fixture(scope="module")
def lab():
    return repo_lab("tiny-lm")


def test_manifest_sizes_the_lab(lab):
    assert lab.files == ("charlm.py",) and lab.time_limit >= 60
    assert len(load_mistakes(lab)) >= 2 and 3 <= len(lab.hints) <= 5


def test_unshifted_targets_are_named_and_training_never_runs(lab, tmp_path):
    result = judge(lab, tmp_path, "targets-not-shifted")
    assert [s.name for s in result.steps] == STEPS
    message = result.step("batches").message
    assert result.step("batches").status == FAIL
    assert "the targets are the inputs themselves" in message and "y == x + 1" in message
    assert result.step("train").status == SKIP


def test_undetached_state_is_explained(lab, tmp_path):
    result = judge(lab, tmp_path, "state-not-detached")
    message = result.step("train").message
    assert result.step("train").status == FAIL
    assert "backward through the graph a second time" in message and "Detach it" in message
    assert result.step("sample").status == PASS  # judged on an untrained model


def test_forward_that_drops_the_state_fails_at_model(lab, tmp_path):
    result = judge(lab, tmp_path, replace=("self.rnn(self.embed(x), state)", "self.rnn(self.embed(x))"))
    step = result.step("model")
    assert step.status in (FAIL, ERROR) and "returned state" in step.message


def test_a_vocab_dict_is_told_what_to_return(lab, tmp_path):
    result = judge(
        lab, tmp_path, replace=("return sorted(set(text))", "return {ch: i for i, ch in enumerate(sorted(set(text)))}")
    )
    step = result.step("vocab")
    assert step.status == FAIL and "returned a dict; it should return a list" in step.message, step.message
    assert "check.py" not in step.message


def test_a_mean_of_batch_means_is_named(lab, tmp_path):
    step = judge(lab, tmp_path, "evaluate-batch-mean").step("evaluate")
    assert step.status == FAIL and "mean of the per-batch means" in step.message and "a last one of" in step.message
