"""SQL for progress on roadmap tasks: each entry a task event in the journal and a row in
`task_log` (the live sum the planner reads), written in one transaction."""

from __future__ import annotations

import sqlite3

from studyctl.store import journal
from studyctl.store.db import write_transaction

STATUSES = ("progress", "done", "skipped")


def log_task(conn: sqlite3.Connection, roadmap: str, task: str, status: str, minutes: int, day: str, now: str) -> str:
    """Record progress on a roadmap task: 'progress' (minutes spent), 'done' or 'skipped'.
    Committed before this returns; returns the event's uid."""
    with write_transaction(conn):
        return insert_entry(conn, roadmap, task, status, minutes, day, now)


def insert_entry(
    conn: sqlite3.Connection, roadmap: str, task: str, status: str, minutes: int, day: str, now: str
) -> str:
    """One task log entry (inside the caller's transaction)."""
    if status not in STATUSES:
        raise ValueError(f"status should be one of {STATUSES}, got {status!r}")
    data = {"roadmap": roadmap, "task": task, "status": status, "minutes": minutes, "day": day, "logged_at": now}
    uid = journal.append(conn, journal.TASK, f"{roadmap}/{task}", data, at=now)
    conn.execute(
        "INSERT INTO task_log (roadmap, task, status, minutes, day, logged_at, uid) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (roadmap, task, status, minutes, day, now, uid),
    )
    return uid


def is_done(conn: sqlite3.Connection, roadmap: str, task: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM task_log WHERE roadmap = ? AND task = ? AND status = 'done' LIMIT 1", (roadmap, task)
    ).fetchone()
    return row is not None
