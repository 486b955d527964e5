"""Plausible wrong answers that a lab's check must catch, correct answers in other styles that it
must accept, and the workspaces the tests and the benchmark judge: the reference solution, the
untouched starter, or the solution with one mistake's or one alternative's files laid over it.

    labs/<id>/mistakes/mistakes.yaml          - {name: no-zero-grad, fails: manual-step, why: ...}
    labs/<id>/mistakes/<name>/<file>          whole-file variants of the files the learner edits
    labs/<id>/alternatives/alternatives.yaml  - {name: einsum, style: "einsum instead of matmul"}
    labs/<id>/alternatives/<name>/<file>      a correct solution written another way
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


@dataclass(frozen=True)
class Alternative:
    name: str
    style: str  # how it differs from the reference ("einsum instead of matmul")
    files: tuple[str, ...]  # relative to alternatives/<name>/


def load_mistakes(lab: Lab) -> list[Mistake]:
    """The lab's mistakes.yaml, checked against the folders beside it. Raises ValueError
    with the file and the problem when they disagree."""
    return [
        Mistake(item["name"], item["fails"], item["why"], files)
        for item, files in _variants(lab, "mistakes", ("name", "fails", "why"))
    ]


def load_alternatives(lab: Lab) -> list[Alternative]:
    """The lab's alternatives.yaml: correct solutions in other styles, which must pass."""
    return [
        Alternative(item["name"], item["style"], files)
        for item, files in _variants(lab, "alternatives", ("name", "style"))
    ]


def _variants(lab: Lab, kind: str, keys: tuple[str, ...]) -> list[tuple[dict[str, str], tuple[str, ...]]]:
    """The entries of `<kind>/<kind>.yaml` with the files of each one's folder, checked both
    ways (every entry has files the learner edits; every folder is listed)."""
    from studyctl.content.yamlfile import read_yaml

    folder = Path(lab.path) / kind
    manifest = folder / f"{kind}.yaml"
    if not manifest.is_file():
        return []
    data = read_yaml(manifest) or []
    if not isinstance(data, list):
        raise ValueError(f"{manifest}: should be a list of {{{', '.join(keys)}}}")  # i18n: not shown
    entries = []
    for item in data:
        if not isinstance(item, dict) or not set(keys) <= set(item):
            raise ValueError(f"{manifest}: each entry needs {', '.join(keys)}; got {item!r}")  # i18n: not shown
        name = str(item["name"])
        files = tuple(str(p) for p in template_files(folder / name))
        if not files:
            raise ValueError(f"{manifest}: '{name}' has no files in {folder / name}")  # i18n: not shown
        stray = [f for f in files if f not in lab.files]
        if stray:
            raise ValueError(f"{manifest}: '{name}' has {stray}, which are not in lab.yaml's files")  # i18n: not shown
        entries.append(({key: str(item[key]) for key in keys}, files))
    folders = {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"}
    unlisted = folders - {entry["name"] for entry, _ in entries}
    if unlisted:
        raise ValueError(f"{manifest}: folders {sorted(unlisted)} are not listed")  # i18n: not shown
    return entries


def prepare(lab: Lab, variant: str, dest: Path) -> Path:
    """Fill `dest` with a variant to judge: "solution", "starter", a mistake's name, or
    "alternatives/<name>"."""
    base = "starter" if variant == "starter" else "solution"
    source = Path(lab.path) / base
    dest.mkdir(parents=True, exist_ok=True)
    for name in template_files(source):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, dest / name)
    if variant not in ("starter", "solution"):
        kind, _, variant_name = variant.rpartition("/")
        overlay = Path(lab.path) / (kind or "mistakes") / variant_name
        if kind not in ("", "alternatives") or not variant_name or not overlay.is_dir():
            raise ValueError(f"lab '{lab.id}' has no mistake or alternative '{variant}'")  # i18n: not shown
        for file in template_files(overlay):
            shutil.copyfile(overlay / file, dest / file)
    return dest
