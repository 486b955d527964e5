"""Open the database: WAL, busy timeout, foreign keys, and the schema version check."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from studyctl.errors import StudyctlError

SCHEMA_VERSION = 5  # equals the number of migrations in studyctl.store.migrations
BUSY_TIMEOUT_MS = 5000


class SchemaTooNew(StudyctlError):
    """The file was written by a newer studyctl; opening it could corrupt what it knows."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every caller relies on, migrated to SCHEMA_VERSION."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        conn.close()
        raise SchemaTooNew(
            f"{path} has schema version {version}, but this studyctl knows only up to "
            f"{SCHEMA_VERSION}: it was written by a newer studyctl. Upgrade studyctl "
            f"(pip install -U studyctl), or point STUDYCTL_HOME elsewhere; the file was not changed."
        )
    _enable_wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a commit survives a killed process
    if version < SCHEMA_VERSION:
        from studyctl.store.migrations import migrate

        with write_transaction(conn):  # another process may be migrating this very file
            if schema_version(conn) < SCHEMA_VERSION:
                migrate(conn)
    return conn


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
