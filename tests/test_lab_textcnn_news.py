"""The textcnn-news lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause (macro-F1 mix-ups, a trained padding vector), and hidden configurations catch a
model whose sizes are written in for the defaults."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("textcnn-news")


def test_mistake_messages_name_the_cause(lab, tmp_path):
    averages = judge(lab, tmp_path / "a", "f1-of-averages").step("macro-f1").message
    assert "expected 0.4642857" in averages and "F1 of the macro precision and macro recall" in averages
    padding = judge(lab, tmp_path / "b", "pad-embedding-trains").step("padding").message
    assert "embedding of PAD (id 0) has a gradient" in padding and "padding_idx=0" in padding


def test_hidden_configurations_catch_sizes_written_in(lab, tmp_path):
    """Linear(192, C) is right for the defaults (3 kernel sizes x 64 filters) and nothing else."""
    result = judge(
        lab,
        tmp_path,
        replace=[
            (
                "self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)",
                "self.fc = nn.Linear(192, num_classes)",
            ),
            ("    device = next(model.parameters()).device\n", "    raise RuntimeError('skip: keeps the test fast')\n"),
        ],
    )
    statuses = {s.name: s.status for s in result.steps}
    assert statuses["pad-batch"] == PASS and statuses["macro-f1"] == PASS
    assert statuses["shapes"] == FAIL and "hidden case" in result.step("shapes").message


def test_macro_f1_from_scikit_learn_is_refused(lab, tmp_path):
    result = judge(
        lab,
        tmp_path,
        replace=(
            "    scores = []\n    for c in torch.unique",
            "    from sklearn.metrics import f1_score\n\n"
            "    return float(f1_score(y_true.cpu(), y_pred.cpu(), average='macro'))\n"
            "    scores = []\n    for c in torch.unique",
        ),
    )
    step = result.step("macro-f1")
    assert step.status == FAIL and "macro_f1 uses f1_score, sklearn" in step.message
