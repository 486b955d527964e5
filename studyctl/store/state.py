"""What studyctl remembers about this machine between runs, beside the study data: the last
optimize run, the stamps of the last Anki export, where lab workspaces live, hints shown, when
each roadmap was started. One key-value table (JSON values) instead of scattered files, so it
is backed up, migrated and kept consistent with the rest of the database.

Keys are namespaced strings, e.g. "optimize/last", "anki/stamps", "labs/workspaces",
"labs/hints/<lab>", "roadmaps/<id>".
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from studyctl.store.db import write_transaction


def get(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM machine_state WHERE key = ?", (key,)).fetchone()
    if row is None:
        return default
    try:
        return json.loads(row[0])
    except ValueError:  # hand-edited or damaged: behave as if it were never written
        return default


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Store `value` (JSON-able) under `key`, committed before this returns."""
    with write_transaction(conn):
        put_in_transaction(conn, key, value)


def put_in_transaction(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO machine_state (key, value, updated_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
    )


def with_prefix(conn: sqlite3.Connection, prefix: str) -> dict[str, Any]:
    """Every key starting with `prefix`, with its value."""
    rows = conn.execute(
        "SELECT key, value FROM machine_state WHERE key >= ? AND key < ? ORDER BY key", (prefix, prefix + "\uffff")
    )
    found = {}
    for key, value in rows:
        try:
            found[key] = json.loads(value)
        except ValueError:
            continue
    return found
