"""When optimizing FSRS again is worth it: the record of the last `studyctl optimize` run and
the hint `studyctl today` prints. Kept apart from the fitting code so that the everyday
`today` path reads one small JSON file and runs one COUNT, importing nothing heavy."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from studyctl import paths
from studyctl.store import queries

MIN_REVIEWS = 1000  # review-state reviews in the log before optimize runs (see srs/optimize.py)
REOPTIMIZE_AFTER = 1000  # new review-state reviews after which `today` suggests optimizing again
RECORD_NAME = "optimize.json"


def record_path() -> Path:
    return paths.home() / RECORD_NAME


def _last_record() -> dict | None:
    try:
        record = json.loads(record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("last_review_id"), int) else None


def reviews_since_optimize(conn: sqlite3.Connection) -> int | None:
    """Review-state reviews logged since the last `studyctl optimize`; None if it never ran.

    Counts rows after the last review id it saw: a range on the primary key, so the cost grows
    with the new reviews only, not with the whole log."""
    record = _last_record()
    if record is None:
        return None
    return queries.review_state_answers(conn, after_id=record["last_review_id"])


def _count_review_state(conn: sqlite3.Connection, cap: int | None = None) -> int:
    return queries.review_state_answers(conn, cap=cap)


def optimize_hint(conn: sqlite3.Connection) -> str | None:
    """The line `studyctl today` prints when optimizing would be worth it, else None."""
    since = reviews_since_optimize(conn)
    if since is None:
        if _count_review_state(conn, cap=MIN_REVIEWS) < MIN_REVIEWS:
            return None
        return f"{MIN_REVIEWS}+ reviews logged: run `studyctl optimize` to fit the scheduler to your own memory."
    if since < REOPTIMIZE_AFTER:
        return None
    return f"{since} new reviews since you last optimized: run `studyctl optimize`."


def write_record(record: dict) -> None:
    """Save the record of a run atomically."""
    path = record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
