"""Open the database: WAL, busy timeout, foreign keys, and the schema version check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1  # equals the number of migrations in studyctl.store.migrations
BUSY_TIMEOUT_MS = 5000


class SchemaTooNew(Exception):
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
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a commit survives a killed process
    if version < SCHEMA_VERSION:
        from studyctl.store.migrations import migrate

        migrate(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]
