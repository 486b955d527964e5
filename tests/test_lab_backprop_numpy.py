"""The backprop-numpy lab, beyond what every lab gets (tests/test_labkit_labs.py): a NumPy
shape error becomes a message about shapes, and the gradient messages name the likely cause."""

from __future__ import annotations

import pytest
from lab_helpers import repo_lab

from studyctl.labkit.mistakes import prepare
from studyctl.labkit.result import FAIL
from studyctl.labkit.runner import run_check


@pytest.fixture(scope="module")
def lab():
    return repo_lab("backprop-numpy")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("missing-transpose", "affine-backward", "raised ValueError at layers.py line"),
        ("relu-mask-ge", "relu", "x > 0, not x >= 0"),
        ("dscores-not-divided-by-n", "softmax-loss", "N = 3 times the true gradient"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = run_check(lab, prepare(lab, variant, tmp_path / "ws"), device="cpu").step(step)
    assert found.status == FAIL and words in found.message


def test_cs231n_style_loss_on_huge_scores_is_told_about_log_of_zero(lab, tmp_path):
    from lab_helpers import judge

    probs_first = (
        """    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)""",
        """    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    dscores = probs.copy()""",
    )
    step = judge(lab, tmp_path, replace=probs_first).step("softmax-loss")
    assert step.status == FAIL and "-log(0) = inf" in step.message and "overflows" not in step.message, step.message
