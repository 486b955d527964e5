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


def find_file(roots: list[Path], kind: str, item_id: str) -> Path | None:
    """The file that defines `item_id`, looked up by file name (the last root wins), without
    parsing every file: the fast path `today` uses for the active roadmap."""
    found = None
    for root in roots:
        for path in files_in_root(root, kind):
            stem = path.parent.name if kind == "lab" else path.stem
            if stem == item_id:
                found = path
    return found
