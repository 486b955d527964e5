"""Where content files sit inside a content root, found without parsing any of them."""

from __future__ import annotations

from pathlib import Path

KINDS = ("deck", "roadmap", "lab")
_FOLDERS = {"deck": "decks", "roadmap": "schedule", "lab": "labs"}


def files_in_root(root: Path, kind: str) -> list[Path]:
    """The files of one kind in one root, sorted so loading order is stable."""
    folder = root / _FOLDERS[kind]
    if not folder.is_dir():
        return []
    if kind == "lab":
        return sorted(p for p in folder.glob("*/lab.yaml") if p.is_file())
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def kind_of_file(path: Path, data=None) -> str | None:
    """Guess what a file is: by name (lab.yaml), folder, then by its top-level keys."""
    if path.name == "lab.yaml":
        return "lab"
    for kind, folder in _FOLDERS.items():
        if path.parent.name == folder:
            return kind
    if isinstance(data, dict):
        if "cards" in data:
            return "deck"
        if "phases" in data:
            return "roadmap"
    return None


def item_id_of(path: Path, kind: str) -> str:
    """The id a file defines, by name: a lab's folder, a deck's or roadmap's file stem."""
    return path.parent.name if kind == "lab" else path.stem


def resolve(roots: list[Path], kind: str) -> dict[str, Path]:
    """id -> file for every item of `kind`, by file name, without parsing: a later root's file
    replaces an earlier one with the same name (a user's copy of a built-in deck wins). The one
    place that rule lives; sorted by id."""
    found: dict[str, Path] = {}
    for root in roots:
        for path in files_in_root(root, kind):
            found[item_id_of(path, kind)] = path
    return dict(sorted(found.items()))


def find_file(roots: list[Path], kind: str, item_id: str) -> Path | None:
    """The file that defines `item_id` (the last root wins), without parsing every file: the
    fast path `today` uses for the active roadmap."""
    return resolve(roots, kind).get(item_id)
