"""Shared by the per-lab tests: load a built-in lab and run its check on a variant of the
learner's file (the solution, the starter, a mistake), optionally with text replaced in it."""

from __future__ import annotations

from pathlib import Path

from studyctl.content.labs import load_lab
from studyctl.labkit.mistakes import prepare
from studyctl.labkit.runner import run_check

LABS = Path(__file__).resolve().parent.parent / "labs"


def repo_lab(lab_id: str):
    return load_lab(LABS / lab_id / "lab.yaml")[0]


def judge(lab, tmp_path, variant="solution", replace=()):
    """Run the check on `variant`; `replace` is one (old, new) pair or a list of them, applied
    to the lab's learner file (each `old` must be there, so a stale test fails loudly)."""
    workspace = prepare(lab, variant, tmp_path / "ws")
    pairs = [replace] if replace and isinstance(replace[0], str) else list(replace or ())
    path = workspace / lab.files[0]
    for old, new in pairs:
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return run_check(lab, workspace, device="cpu")
