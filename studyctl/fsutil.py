"""Writing files so that a crash, a full disk or a second process never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a unique temporary file beside `path`, flush it to disk, then rename it
    over `path` (atomic on POSIX and Windows), and flush the folder so the rename itself
    survives a power cut. Two processes writing at once each rename a whole file of their own
    (a fixed temporary name would let one rename the other's, or find it gone); the last one wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _sync_folder(folder: Path) -> None:
    """fsync a folder (POSIX): makes a rename inside it durable. Not possible on Windows."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def require_parent_dir(path: Path) -> None:
    """Refuse to write `path` into a folder that doesn't exist: a typo in `-o` should be an
    error, not a new tree of folders somewhere unexpected."""
    from studyctl.errors import StudyctlError

    parent = path.parent
    if not parent.exists():
        raise StudyctlError(f"the folder {parent} does not exist: create it first, or write {path.name} elsewhere")
    if not parent.is_dir():
        raise StudyctlError(f"{parent} is not a folder, so {path.name} can't be written in it")
