"""SQL for progress on roadmap tasks: each entry a task event in the journal and a row in
`task_log` (the live log the planner folds), written in one transaction.

Statuses: 'progress' (minutes spent), 'done', 'skipped', 'estimate' (the learner's new
estimate of the whole task, in minutes) and 'reopened' (a done or skipped task is open again).
An undo is an `undo` event naming the entry's event, and the entry's row removed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from studyctl.store import journal
from studyctl.store.db import write_transaction

STATUSES = ("progress", "done", "skipped", "estimate", "reopened")


@dataclass(frozen=True)
class Entry:
    """One row of the task log."""

    roadmap: str
    task: str
    status: str
    minutes: int
    day: str
    logged_at: str
    uid: str


def log_task(conn: sqlite3.Connection, roadmap: str, task: str, status: str, minutes: int, day: str, now: str) -> str:
    """Record progress on a roadmap task. Committed before this returns; returns the event's uid."""
    with write_transaction(conn):
        return insert_entry(conn, roadmap, task, status, minutes, day, now)


def log_entries(
    conn: sqlite3.Connection, roadmap: str, task: str, entries: list[tuple[str, int]], day: str, now: str
) -> list[str]:
    """Several entries for one task in one transaction (minutes and a new estimate, say)."""
    with write_transaction(conn):
        return [insert_entry(conn, roadmap, task, status, minutes, day, now) for status, minutes in entries]


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
    """Done and not reopened since."""
    row = conn.execute(
        "SELECT status FROM task_log WHERE roadmap = ? AND task = ? AND status IN ('done', 'reopened') "
        "ORDER BY logged_at DESC, id DESC LIMIT 1",
        (roadmap, task),
    ).fetchone()
    return row is not None and row[0] == "done"


def last_entries(conn: sqlite3.Connection, roadmap: str) -> list[Entry]:
    """The entries written by the last command on `roadmap`, oldest first: what `studyctl undo`
    takes back. That is the last entry, with the minutes logged beside it when it is a new
    estimate (`done --partial --minutes M --left L` writes both)."""
    rows = conn.execute(
        "SELECT roadmap, task, status, minutes, day, logged_at, uid FROM task_log WHERE roadmap = ? "
        "ORDER BY logged_at DESC, id DESC LIMIT 2",
        (roadmap,),
    ).fetchall()
    if not rows:
        return []
    last = _entry(rows[0])
    if last.status == "estimate" and len(rows) > 1:
        before = _entry(rows[1])
        if (before.task, before.logged_at, before.status) == (last.task, last.logged_at, "progress"):
            return [before, last]
    return [last]


def _entry(row: sqlite3.Row | tuple[str, str, str, int, str, str, str]) -> Entry:
    roadmap, task, status, minutes, day, logged_at, uid = tuple(row)
    return Entry(roadmap, task, status, int(minutes or 0), day, logged_at or "", uid or "")


def undo_entries(conn: sqlite3.Connection, undone: list[Entry], *, at: str) -> None:
    """Take entries back: an undo event for each, and their rows removed, in one transaction."""
    with write_transaction(conn):
        for entry in undone:
            journal.undo(conn, entry.uid, f"{entry.roadmap}/{entry.task}", at=at)
            conn.execute("DELETE FROM task_log WHERE uid = ?", (entry.uid,))
