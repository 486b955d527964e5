"""The parse cache's storage: one row per content file that loaded cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreParseCache:
    """Implements studyctl.content.parsecache.ParseCache on the `parsed_files` table."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def get(self, path: Path, stamp: tuple[int, int]) -> str | None:
        row = self.conn.execute(
            "SELECT data FROM parsed_files WHERE path = ? AND mtime_ns = ? AND size = ?", (str(path), *stamp)
        ).fetchone()
        return row[0] if row else None

    def put(self, path: Path, stamp: tuple[int, int], text: str) -> None:
        try:
            with self.conn:
                self.conn.execute(
                    "INSERT OR REPLACE INTO parsed_files (path, mtime_ns, size, data) VALUES (?, ?, ?, ?)",
                    (str(path), *stamp, text),
                )
        except sqlite3.OperationalError:  # a busy or read-only database only costs speed
            pass
