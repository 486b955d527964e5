"""SQL for lab results: the append-only `lab_runs` log, and marking roadmap tasks done in
`task_log` when a lab passes."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from studyctl.store import journal
from studyctl.store.db import write_transaction
from studyctl.store.tasks import insert_entry, is_done


def insert_run(
    conn: sqlite3.Connection,
    *,
    lab: str,
    started_at: str,
    seconds: float,
    device: str,
    passed: bool,
    steps: list[dict[str, Any]],
    metrics: dict[str, Any],
    files_hash: str,
) -> int:
    """Append one check result (a lab event in the journal and its row); returns the row id."""
    event = {
        "lab": lab,
        "started_at": started_at,
        "seconds": seconds,
        "device": device,
        "passed": bool(passed),
        "steps": steps,
        "metrics": metrics,
        "files_hash": files_hash,
    }
    with write_transaction(conn):
        uid = journal.append(conn, journal.LAB, lab, event, at=started_at)
        cursor = conn.execute(
            "INSERT INTO lab_runs (lab, started_at, seconds, device, passed, steps, metrics, files_hash, uid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                lab,
                started_at,
                seconds,
                device,
                int(passed),
                json.dumps(steps, ensure_ascii=False),
                json.dumps(metrics, ensure_ascii=False),
                files_hash,
                uid,
            ),
        )
    return int(cursor.lastrowid or 0)


def _run(row: sqlite3.Row) -> dict[str, Any]:
    run = dict(row)
    run["passed"] = bool(run["passed"])
    run["steps"] = json.loads(run["steps"] or "[]")
    run["metrics"] = json.loads(run["metrics"] or "{}")
    return run


def latest_runs(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """The last run of every lab, with `ever_passed` and `runs` (counts over all its runs)."""
    rows = conn.execute(
        "SELECT r.*, s.ever_passed, s.runs FROM lab_runs r JOIN ("
        "  SELECT lab, max(id) AS last, max(passed) AS ever_passed, count(*) AS runs FROM lab_runs GROUP BY lab"
        ") s ON r.id = s.last"
    )
    latest = {}
    for row in rows:
        run = _run(row)
        run["ever_passed"] = bool(run["ever_passed"])
        latest[run["lab"]] = run
    return latest


def has_passed(conn: sqlite3.Connection, lab: str) -> bool:
    return conn.execute("SELECT 1 FROM lab_runs WHERE lab = ? AND passed = 1 LIMIT 1", (lab,)).fetchone() is not None


def mark_tasks_done(
    conn: sqlite3.Connection, roadmap: str, tasks: list[str], *, minutes: int, day: str, logged_at: str
) -> list[str]:
    """Log each task as done, unless it already is; returns the tasks newly marked."""
    marked = []
    with write_transaction(conn):
        for task in tasks:
            if not is_done(conn, roadmap, task):
                insert_entry(conn, roadmap, task, "done", minutes, day, logged_at)
                marked.append(task)
    return marked
