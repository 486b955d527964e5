"""Automatic backups of the database, and putting one back.

A backup is a consistent copy made with SQLite's online backup API (never a file copy, which
could catch a write halfway), written under a temporary name and renamed into
`<home>/backups/`. One is made before each migration and once a day on first use (see
`backup_if_due`; the check is one indexed read of machine state). The newest KEEP are kept.

Names sort by time: `studyctl-20261202T203000Z-daily.db`, `...-before-v4.db`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from studyctl.errors import StudyctlError
from studyctl.i18n import _
from studyctl.store.db import SCHEMA_VERSION, SQLITE_HEADER, quick_check

KEEP = 7
FOLDER = "backups"
PREFIX = "studyctl-"
LAST_DAILY_KEY = "backup/last-daily"  # machine state: the UTC day of the last daily backup


def backups_folder(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def backups(db_path: Path) -> list[Path]:
    """Every backup of the database at `db_path`, oldest first."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*.db") if p.is_file())


def make_backup(conn: sqlite3.Connection, db_path: Path, *, reason: str, now: dt.datetime | None = None) -> Path:
    """Copy the database behind `conn` into the backups folder; keep the newest KEEP."""
    now = now or dt.datetime.now(dt.timezone.utc)
    folder = backups_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{reason}.db"
    copy_database(conn, target)
    for old in [*backups(db_path)[:-KEEP], *_abandoned(folder)]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _abandoned(folder: Path, age_s: float = 3600) -> list[Path]:
    """Temporary copies a killed studyctl left behind (an hour old: nobody is writing them)."""
    import time

    found = []
    for path in folder.glob(f".{PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > age_s:
                found.append(path)
    return found


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent, self-contained copy (rollback-journal mode: one file, nothing beside it),
    flushed to disk and renamed into place, so `target` is either absent or whole."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        temporary.unlink()
    copy = sqlite3.connect(temporary)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.close()
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        copy.close()
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def backup_if_due(conn: sqlite3.Connection, db_path: Path, now: dt.datetime, *, first_use: bool = False) -> Path | None:
    """The daily backup: made when the last one was on an earlier (UTC) day. On the day the
    database is created there is nothing to keep yet, so the day is only noted. A backup that
    can't be made (a full disk, a read-only folder) is skipped until the next day: it must never
    stop studying; `studyctl doctor --json` shows the newest one."""
    from studyctl.store import state

    today = now.astimezone(dt.timezone.utc).date().isoformat()
    try:
        if state.get(conn, LAST_DAILY_KEY) == today:
            return None
        state.put(conn, LAST_DAILY_KEY, today)  # first: a file that can't be written isn't copied on every run
        return None if first_use else make_backup(conn, db_path, reason="daily", now=now)
    except (sqlite3.Error, OSError):
        return None


# -- checking and restoring --------------------------------------------------------------------


def check_backup(path: Path) -> int:
    """Refuse a file that isn't a sound studyctl database (damaged, foreign, newer); returns its
    schema version. Opened read-only and immutable: checking never changes it."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StudyctlError(
            _("cannot read the backup {path}: {detail}").format(path=path, detail=exc.strerror or exc)
        ) from None
    if header != SQLITE_HEADER:
        raise StudyctlError(_("{path} is not a SQLite database: choose another backup.").format(path=path))
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        problems = quick_check(conn)
        if problems:
            raise StudyctlError(
                _("the backup {path} is damaged too ({problems}): choose an older one.").format(
                    path=path, problems="; ".join(problems)
                )
            )
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise StudyctlError(
            _("the backup {path} can't be read ({detail}): choose another one.").format(path=path, detail=exc)
        ) from None
    finally:
        conn.close()
    if not {"reviews", "card_state", "_sqlite_migrations"} <= tables:
        raise StudyctlError(_("{path} is not a studyctl database: choose another backup.").format(path=path))
    if version > SCHEMA_VERSION:
        raise StudyctlError(
            _("{path} was written by a newer studyctl (schema {version}): upgrade studyctl first.").format(
                path=path, version=version
            )
        )
    return version


@dataclass(frozen=True)
class Restored:
    source: Path
    kept_aside: tuple[Path, ...]  # the database (and its -wal) that was there before

    def to_dict(self) -> dict[str, object]:
        return {"source": str(self.source), "kept_aside": [str(p) for p in self.kept_aside]}


def restore(db_path: Path, source: Path | None = None, now: dt.datetime | None = None) -> Restored:
    """Put back `source` (default: the newest backup) as the database, after checking it. The
    file there now, with its -wal and -shm, is renamed aside (never deleted), so a restore can
    itself be undone. Other studyctl windows should be closed first."""
    if source is None:
        found = backups(db_path)
        if not found:
            raise StudyctlError(
                _(
                    "no backups in {folder} yet (one is made each day studyctl is used,"
                    " and before each upgrade of the database)."
                ).format(folder=backups_folder(db_path))
            )
        source = found[-1]
    check_backup(source)
    now = now or dt.datetime.now(dt.timezone.utc)
    kept = _move_aside(db_path, f"{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}")
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        copy_database(reader, db_path)
    finally:
        reader.close()
    return Restored(source, kept)


def _move_aside(db_path: Path, stamp: str) -> tuple[Path, ...]:
    """Rename the database and the files SQLite keeps beside it to `<name>.replaced-<stamp>...`
    (the -wal keeps its suffix, so the pair still opens together)."""
    moved = []
    aside = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
    for suffix in ("", "-wal", "-shm", "-journal"):
        current = Path(f"{db_path}{suffix}")
        if os.path.lexists(current):
            target = Path(f"{aside}{suffix}")
            os.replace(current, target)
            moved.append(target)
    return tuple(moved)
