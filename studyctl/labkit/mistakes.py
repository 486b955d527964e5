"""Plausible wrong answers that a lab's check must catch, and the workspaces the tests and
the benchmark judge: the reference solution, the untouched starter, or the solution with one
mistake's files laid over it.

    labs/<id>/mistakes/mistakes.yaml      - {name: no-zero-grad, fails: manual-step, why: ...}
    labs/<id>/mistakes/<name>/<file>      whole-file variants of the files the learner edits
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from studyctl.content.model.lab import Lab
from studyctl.labkit.workspace import template_files


@dataclass(frozen=True)
class Mistake:
    name: str
    fails: str  # the step that must catch it
    why: str
    files: tuple[str, ...]  # relative to mistakes/<name>/


def load_mistakes(lab: Lab) -> list[Mistake]:
    """The lab's mistakes.yaml, checked against the folders beside it. Raises ValueError
    with the file and the problem when they disagree."""
    from studyctl.content.yamlfile import read_yaml

    folder = Path(lab.path) / "mistakes"
    manifest = folder / "mistakes.yaml"
    if not manifest.is_file():
        return []
    data = read_yaml(manifest) or []
    if not isinstance(data, list):
        raise ValueError(f"{manifest}: should be a list of {{name, fails, why}}")
    mistakes = []
    for item in data:
        if not isinstance(item, dict) or not {"name", "fails", "why"} <= set(item):
            raise ValueError(f"{manifest}: each entry needs name, fails and why; got {item!r}")
        files = tuple(str(p) for p in template_files(folder / str(item["name"])))
        if not files:
            raise ValueError(f"{manifest}: mistake '{item['name']}' has no files in {folder / str(item['name'])}")
        stray = [f for f in files if f not in lab.files]
        if stray:
            raise ValueError(f"{manifest}: mistake '{item['name']}' has {stray}, which are not in lab.yaml's files")
        mistakes.append(Mistake(str(item["name"]), str(item["fails"]), str(item["why"]), files))
    folders = {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"}
    unlisted = folders - {m.name for m in mistakes}
    if unlisted:
        raise ValueError(f"{manifest}: folders {sorted(unlisted)} are not listed")
    return mistakes


def prepare(lab: Lab, variant: str, dest: Path) -> Path:
    """Fill `dest` with a variant to judge: "solution", "starter", or a mistake's name."""
    base = "starter" if variant == "starter" else "solution"
    source = Path(lab.path) / base
    dest.mkdir(parents=True, exist_ok=True)
    for name in template_files(source):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, dest / name)
    if variant not in ("starter", "solution"):
        overlay = Path(lab.path) / "mistakes" / variant
        if not overlay.is_dir():
            raise ValueError(f"lab '{lab.id}' has no mistake '{variant}'")
        for name in template_files(overlay):
            shutil.copyfile(overlay / name, dest / name)
    return dest
