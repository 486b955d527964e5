"""Open the database: WAL, busy timeout, foreign keys, and the schema version check.

This is the one way into the file, so it is where a damaged, foreign, unwritable or missing
database is recognised: every SQLite or OS failure, here or later in a command, becomes one
`DatabaseProblem` line from `explain` that says what is wrong and what to do (most often:
put back the automatic backup with `studyctl db restore`). A file that isn't a studyctl
database (empty, another program's, a folder) is refused and never written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from studyctl.errors import StudyctlError
from studyctl.i18n import N_, _

SCHEMA_VERSION = 5  # equals the number of migrations in studyctl.store.migrations
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
RESTORE_HINT = N_("`studyctl db restore` puts back the newest automatic backup (the file now there is kept aside)")


class SchemaTooNew(StudyctlError):
    """The file was written by a newer studyctl; opening it could corrupt what it knows."""


class DatabaseProblem(StudyctlError):
    """The database can't be opened, read or written; the message says why and what to do."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every caller relies on, migrated to SCHEMA_VERSION.
    Raises DatabaseProblem (or SchemaTooNew) rather than any sqlite3 or OS error."""
    try:
        return _connect(path)
    except StudyctlError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseProblem(explain(exc, path)) from None


def _connect(path: Path) -> sqlite3.Connection:
    _make_folder(path.parent)
    if not os.path.lexists(path):
        _create(path)
    else:
        _refuse_if_not_a_database(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                _(
                    "{path} has schema version {version}, but this studyctl knows only up to "
                    "{known}: it was written by a newer studyctl. Upgrade studyctl "
                    "(pip install -U studyctl), or point STUDYCTL_HOME elsewhere; the file was not changed."
                ).format(path=path, version=version, known=SCHEMA_VERSION)
            )
        if version < SCHEMA_VERSION:
            _refuse_if_foreign(conn, path, version)
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a commit survives a killed process
        if version < SCHEMA_VERSION:
            _migrate(conn, path, version)
    except BaseException:
        conn.close()
        raise
    return conn


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise DatabaseProblem(
            _(
                "{folder} is a file, not a folder, so studyctl can't keep its database there: point"
                " STUDYCTL_HOME at a folder (or move the file away); nothing was changed."
            ).format(folder=folder)
        )
    folder.mkdir(parents=True, exist_ok=True)


def _refuse_if_not_a_database(path: Path) -> None:
    """A folder, an empty file or another program's file is never opened for writing (SQLite
    would happily turn an empty file into a new database and the user's data would seem lost)."""
    if path.is_dir():
        raise DatabaseProblem(
            _(
                "{path} is a folder, not a database file: move it away and run the command again"
                " (a new database is made), or {restore}. Nothing was changed."
            ).format(path=path, restore=_(RESTORE_HINT))
        )
    header = _first_bytes(path)
    if header is None:
        raise DatabaseProblem(
            _("{path} is not a regular file (a pipe or a device?): move it away. It was not changed.").format(path=path)
        )
    if not header:
        raise DatabaseProblem(
            _(
                "{path} is empty (0 bytes), so it holds none of your reviews (a copy or a disk that"
                " failed?). {restore}; or move the file away to start afresh. It was not changed."
            ).format(path=path, restore=_(RESTORE_HINT))
        )
    if header != SQLITE_HEADER:
        raise DatabaseProblem(
            _(
                "{path} is not a SQLite database (its first bytes are wrong: damaged, or another"
                " program's file). {restore}; or move the file away to start afresh. It was not changed."
            ).format(path=path, restore=_(RESTORE_HINT))
        )


def _first_bytes(path: Path) -> bytes | None:
    """The header's first bytes, or None for something that isn't a regular file (opened
    without blocking: a named pipe would wait forever)."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)


def _refuse_if_foreign(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Before migrating: a database of ours has its migrations table (an empty SQLite file is
    fine too: it becomes ours). Anything else is another program's, and stays untouched."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "_sqlite_migrations" not in tables:
        raise DatabaseProblem(
            _(
                "{path} is a SQLite database, but not studyctl's (it has tables studyctl didn't make:"
                " {tables}). Move it away, or point STUDYCTL_HOME elsewhere; it was not changed."
            ).format(path=path, tables=", ".join(sorted(tables)[:5]))
        )


def _create(path: Path) -> None:
    """Make a new database beside `path` and link it into place only once it is complete, so no
    other process ever sees a half-made (or empty) file there; if one got there first, keep it."""
    import time
    import uuid

    for abandoned in path.parent.glob(f".{path.name}.*.new*"):  # from a creation that was killed
        with contextlib.suppress(OSError):
            if time.time() - abandoned.stat().st_mtime > 3600:
                abandoned.unlink()
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.new")
    try:
        conn = sqlite3.connect(temporary)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            from studyctl.store.migrations import migrate

            with write_transaction(conn):
                migrate(conn)
        finally:
            conn.close()  # the last connection checkpoints and removes the -wal file
        try:
            os.link(temporary, path)  # fails if the file exists: never replaces one
        except FileExistsError:
            pass  # another studyctl created it at the same moment: use theirs
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            if not os.path.lexists(path):  # a file system without hard links
                os.replace(temporary, path)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{temporary}{suffix}")


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    if version > 0:  # a database with history: copy it first (store/backup.py), then change it
        from studyctl.store.backup import make_backup

        make_backup(conn, path, reason=f"before-v{SCHEMA_VERSION}")
    from studyctl.store.migrations import migrate

    with write_transaction(conn):  # another process may be migrating this very file
        if schema_version(conn) < SCHEMA_VERSION:
            migrate(conn)


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch a new file to WAL. The switch fails at once (no busy wait) while another process
    holds a lock on the file, which happens when two commands create the database together."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE: take the write lock before reading what we are about to change, so two
    processes syncing or migrating at once queue up (busy timeout) instead of colliding."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # a failed rollback must not hide the failure
            conn.rollback()
        raise
    conn.commit()


@contextlib.contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN (deferred) ... ROLLBACK: every read inside sees one snapshot of the file (WAL), even
    while other processes commit, and nobody waits for us."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.rollback()


def quick_check(conn: sqlite3.Connection, limit: int = 5) -> list[str]:
    """What SQLite's quick_check finds wrong with the file (empty when it is sound): damaged
    pages, rows out of order, a truncated file. Reads every page once."""
    try:
        rows = [row[0] for row in conn.execute(f"PRAGMA quick_check({int(limit)})")]
    except sqlite3.Error as exc:
        return [explain(exc) or str(exc)]
    return [] if rows == ["ok"] else rows


# -- what went wrong, in words -----------------------------------------------------------------

_CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # i18n: not shown
_CORRUPT_WORDS = ("malformed", "not a database", "corrupt")  # i18n: not shown (SQLite's words, matched)


def explain(exc: BaseException, path: Path | None = None) -> str | None:
    """One line for a failure of the database or the disk: what is wrong and what to do. None
    for anything else (a bug, which should show as one). The CLI's error handler and the TUI's
    worker-error handler both ask this."""
    if path is None:
        from studyctl import paths

        path = paths.db_path()
    if isinstance(exc, sqlite3.Error):
        return _explain_sqlite(exc, path)
    if isinstance(exc, OSError):
        return _explain_os(exc, path)
    return None


def _explain_sqlite(exc: sqlite3.Error, path: Path) -> str:
    detail = str(exc) or type(exc).__name__
    name = getattr(exc, "sqlite_errorname", "") or ""  # Python 3.11+; the words below otherwise
    lowered = detail.lower()
    if name.startswith(_CORRUPT) or any(word in lowered for word in _CORRUPT_WORDS):
        return _(
            "the database {path} is damaged ({detail}). Your reviews are in the automatic backups: "
            "{restore}. `studyctl doctor` checks the file."
        ).format(path=path, detail=detail, restore=_(RESTORE_HINT))
    if name.startswith("SQLITE_FULL") or "disk is full" in lowered or _disk_nearly_full(path.parent):
        return _(
            "the disk holding {path} is full ({detail}): free some space and run the command again."
            " What was saved before is safe; the last change was not saved."
        ).format(path=path, detail=detail)
    if name.startswith("SQLITE_READONLY") or "readonly" in lowered or "read-only" in lowered:
        return _(
            "cannot write to {path} ({detail}): the file or its folder is read-only. Make both writable"
            " (chmod u+w {path} {folder}) or point STUDYCTL_HOME at a folder you can write."
            " Nothing was lost; the last change was not saved."
        ).format(path=path, detail=detail, folder=path.parent)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in lowered:
        return _(
            "cannot open {path} ({detail}): check that {folder} is a folder you can write and"
            " that {name} in it is a file."
        ).format(path=path, detail=detail, folder=path.parent, name=path.name)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered:
        return _(
            "the database {path} is busy ({detail}): another studyctl (or a backup tool) is writing"
            " to it. Try again in a moment; the last change was not saved."
        ).format(path=path, detail=detail)
    if name.startswith("SQLITE_IOERR") or "i/o error" in lowered:
        return _(
            "a disk error while using {path} ({detail}). If a file beside it was removed"
            " ({name}-wal, {name}-shm), close every running studyctl (what it saved is kept)"
            " and run the command again; if the error stays, `studyctl doctor` checks the file and {restore}."
        ).format(path=path, detail=detail, name=path.name, restore=_(RESTORE_HINT))
    return _("database error on {path} ({detail}). `studyctl doctor` checks the file; {restore}.").format(
        path=path, detail=detail, restore=_(RESTORE_HINT)
    )


def _disk_nearly_full(folder: Path) -> bool:
    """SQLite reports a full disk as a plain I/O error when it can't grow its -shm file."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except (OSError, ValueError):
        return False


def _explain_os(exc: OSError, path: Path) -> str:
    where = exc.filename if exc.filename is not None else path
    detail = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return _("the disk holding {path} is full ({detail}): free some space and run the command again.").format(
            path=where, detail=detail
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _(
            "cannot write to {path} ({detail}): make it writable, or point STUDYCTL_HOME at a folder you can write."
        ).format(path=where, detail=detail)
    if exc.errno in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
        return _("{path}: {detail}: a file is where a folder should be, or a folder where a file should be.").format(
            path=where, detail=detail
        )
    return f"{where}: {detail}."
