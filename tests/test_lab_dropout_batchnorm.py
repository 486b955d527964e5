"""The dropout-batchnorm lab, beyond what every lab gets (tests/test_labkit_labs.py): the
messages say which convention was missed (inverted scaling, torch's two variances, eval mode)."""

from __future__ import annotations

import pytest
from lab_helpers import repo_lab

from studyctl.labkit.mistakes import prepare
from studyctl.labkit.result import FAIL
from studyctl.labkit.runner import run_check


@pytest.fixture(scope="module")
def lab():
    return repo_lab("dropout-batchnorm")


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("bn-unbiased-normalization", "batchnorm-train", "x.var() divides by N - 1"),
        ("bn-biased-running-var", "batchnorm-train", "updates running_var with the unbiased batch variance"),
        ("bn-eval-batch-stats", "batchnorm-eval", "Every output equals beta"),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    found = run_check(lab, prepare(lab, variant, tmp_path / "ws"), device="cpu").step(step)
    assert found.status == FAIL and words in found.message
