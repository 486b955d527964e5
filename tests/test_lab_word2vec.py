"""The word2vec lab. Beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the cause (the centre as its own context, uniform draws, log of sigmoid underflowing), and it
catches swapped embedding tables. Only variants that stop before training."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.mistakes import load_mistakes
from studyctl.labkit.result import FAIL, SKIP


@pytest.fixture(scope="module")
def lab():
    return repo_lab("word2vec")


def test_manifest_sizes_the_lab(lab):
    assert lab.files == ("skipgram.py",) and lab.time_limit >= 60
    assert len(load_mistakes(lab)) >= 2 and 3 <= len(lab.hints) <= 5


@pytest.mark.parametrize(
    ("variant", "step", "words"),
    [
        ("centre-as-context", "pairs", ["unexpected: [(10, 10)", "its own context"]),
        ("window-one-short", "pairs", ["missing: [(10, 12)", "inclusive"]),
        ("uniform-negatives", "negatives", ["uniform draws", "0.640"]),
        ("log-of-sigmoid", "loss", ["large scores", "F.logsigmoid"]),
    ],
)
def test_mistake_messages_name_the_cause(lab, tmp_path, variant, step, words):
    result = judge(lab, tmp_path, variant)
    assert result.step(step).status == FAIL
    for word in words:
        assert word in result.step(step).message
    assert result.step("train").status == SKIP


def test_swapped_tables_fail_at_loss(lab, tmp_path):
    old = "sgns_loss(self.in_embed(centre), self.out_embed(context), self.out_embed(negatives))"
    new = "sgns_loss(self.out_embed(centre), self.in_embed(context), self.in_embed(negatives))"
    result = judge(lab, tmp_path, replace=(old, new))
    assert result.step("loss").status == FAIL and "in_embed" in result.step("loss").message
