"""Where content files sit inside a content root, found without parsing any of them."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from studyctl.content.issues import Issue
from studyctl.i18n import N_, _

KINDS = ("deck", "roadmap", "lab")
_FOLDERS = {"deck": "decks", "roadmap": "schedule", "lab": "labs"}
# Translated at use: "skipped: a named pipe (FIFO), not a deck file".
SKIPPED = {
    "deck": N_("skipped: {why}, not a deck file"),
    "roadmap": N_("skipped: {why}, not a roadmap file"),
    "lab": N_("skipped: {why}, not a lab file"),
}


def files_in_root(root: Path, kind: str) -> list[Path]:
    """The files of one kind in one root, sorted so loading order is stable."""
    folder = root / _FOLDERS[kind]
    if not folder.is_dir():
        return []
    if kind == "lab":
        return sorted(p for p in folder.glob("*/lab.yaml") if p.is_file())
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def skipped_entries(roots: list[Path], kind: str) -> list[Issue]:
    """Warnings for what `files_in_root` passes over without a word: entries named like content
    (`*.yaml`, `labs/<id>/lab.yaml`) that aren't regular files: a named pipe (reading it would
    wait forever), a socket or device, a symbolic link that loops or leads nowhere, a folder or a
    link to one. Only `lstat`/`stat` is used: nothing is opened."""
    issues = []
    for root in roots:
        folder = root / _FOLDERS[kind]
        if not folder.is_dir():
            continue
        try:
            entries = sorted(folder.glob("*/lab.yaml") if kind == "lab" else folder.iterdir())
        except OSError:
            continue
        for path in entries:
            if kind != "lab" and path.suffix not in (".yaml", ".yml"):
                continue
            why = _not_a_file(path)
            if why:
                issues.append(Issue(path, None, _(SKIPPED[kind]).format(why=why), "warning"))
    return issues


def _not_a_file(path: Path) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if os.path.islink(path):
            return _("a symbolic link that loops") if exc.errno == errno.ELOOP else _("a symbolic link to nothing")
        return _("unreadable ({reason})").format(reason=exc.strerror)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        what = _("a folder")
    elif stat.S_ISFIFO(mode):
        what = _("a named pipe (FIFO)")
    elif stat.S_ISSOCK(mode):
        what = _("a socket")
    else:
        what = _("a device")
    return _("a link to {what}").format(what=what) if os.path.islink(path) else what


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
