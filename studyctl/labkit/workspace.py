"""The learner's copy of a lab: where it lives, filling it from starter/, putting it back to
the starter (after a backup), and a fingerprint of the files they edit.

A workspace is a plain folder the learner opens in their editor; studyctl keeps backups there in
`.studyctl-backup/`. What studyctl remembers about it (where it is, hints shown) is machine state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

from studyctl import paths
from studyctl.content.model.lab import Lab

BACKUP_DIR = ".studyctl-backup"
README = "README.md"  # i18n: not shown (a file name)
README_ZH = "README.zh.md"  # i18n: not shown (a file name)
_SKIP = {"__pycache__", ".ipynb_checkpoints", ".DS_Store"}


def default_workspace(lab_id: str) -> Path:
    """Where `lab start` puts a lab's workspace unless told otherwise (--dir)."""
    return paths.lab_workspace_dir() / lab_id


def template_files(folder: Path) -> list[Path]:
    """Every file under a lab's starter/ or solution/, relative, skipping caches."""
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and not _SKIP.intersection(p.relative_to(folder).parts) and p.suffix != ".pyc"
    )


def _copy(source: Path, dest: Path, names: list[Path]) -> None:
    for name in names:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, dest / name)


def readme_path(lab: Lab) -> Path:
    """The lab's instructions in the interface language: README.zh.md in Chinese where the lab
    has one, else README.md."""
    from studyctl import i18n

    chinese = Path(lab.path) / README_ZH
    if i18n.current() == "zh" and chinese.is_file():
        return chinese
    return Path(lab.path) / README


def instructions(lab: Lab) -> str:
    """The lab's README (in the interface language where it exists), which `start` and `show` print."""
    readme = readme_path(lab)
    return readme.read_text(encoding="utf-8") if readme.is_file() else ""


def start(lab: Lab, dest: Path, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Fill `dest` from starter/ (and the instructions as README.md). Files already there are
    kept unless `force`. Returns (copied, kept)."""
    starter = Path(lab.path) / "starter"
    names = template_files(starter)
    kept = [] if force else [n for n in names if (dest / n).exists()]
    copied = [n for n in names if n not in kept]
    dest.mkdir(parents=True, exist_ok=True)
    if force:
        backup(dest, [n for n in names if (dest / n).exists()])
    _copy(starter, dest, copied)
    readme = readme_path(lab)
    if readme.is_file() and Path(README) not in names and (force or not (dest / README).exists()):
        shutil.copyfile(readme, dest / README)
    return copied, kept


def has_work(lab: Lab, folder: Path) -> bool:
    """True when any file the learner edits is already in `folder`."""
    return any((folder / name).is_file() for name in lab.files)


def backup(folder: Path, names: list[Path]) -> Path | None:
    """Copy `names` into .studyctl-backup/<time>/ before they are overwritten."""
    present = [n for n in names if (folder / n).is_file()]
    if not present:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / BACKUP_DIR / stamp
    _copy(folder, target, present)
    return target


def reset(lab: Lab, folder: Path) -> Path | None:
    """Put the starter files back, after backing up the current ones. Returns the backup folder."""
    starter = Path(lab.path) / "starter"
    names = template_files(starter)
    saved = backup(folder, names)
    folder.mkdir(parents=True, exist_ok=True)
    _copy(starter, folder, names)
    return saved


def files_hash(lab: Lab, folder: Path) -> str:
    """sha256 over the files the learner edits (name and bytes), to tell runs of different code apart."""
    digest = hashlib.sha256()
    for name in sorted(lab.files):
        path = folder / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def solution_files(lab: Lab) -> list[tuple[str, str]]:
    """(name, text) of the reference solution's files, the learner's files first."""
    folder = Path(lab.path) / "solution"
    names = [Path(n) for n in lab.files] + [n for n in template_files(folder) if str(n) not in lab.files]
    return [(str(n), (folder / n).read_text(encoding="utf-8")) for n in names if (folder / n).is_file()]
