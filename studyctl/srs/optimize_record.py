"""When optimizing FSRS again is worth it: the record of the last `studyctl optimize` run (kept in
machine state) and the hint `studyctl today` prints. Kept apart from the fitting code so that the
everyday `today` path reads one small row and runs one COUNT, importing nothing heavy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyctl.store import queries, state

if TYPE_CHECKING:
    import sqlite3

MIN_REVIEWS = 1000  # review-state reviews in the log before optimize runs (see srs/optimize.py)
REOPTIMIZE_AFTER = 1000  # new review-state reviews after which `today` suggests optimizing again
RECORD_KEY = "optimize/last"


def last_record(conn: sqlite3.Connection) -> dict[str, Any] | None:
    record = state.get(conn, RECORD_KEY)
    return record if isinstance(record, dict) and isinstance(record.get("last_review_id"), int) else None


def reviews_since_optimize(conn: sqlite3.Connection) -> int | None:
    """Review-state reviews logged since the last `studyctl optimize`; None if it never ran.

    Counts rows after the last review id it saw: a range on the primary key, so the cost grows
    with the new reviews only, not with the whole log."""
    record = last_record(conn)
    if record is None:
        return None
    return queries.review_state_answers(conn, after_id=record["last_review_id"])


def optimize_hint(conn: sqlite3.Connection) -> str | None:
    """The line `studyctl today` prints when optimizing would be worth it, else None."""
    since = reviews_since_optimize(conn)
    if since is None:
        if queries.review_state_answers(conn, cap=MIN_REVIEWS) < MIN_REVIEWS:
            return None
        return f"{MIN_REVIEWS}+ reviews logged: run `studyctl optimize` to fit the scheduler to your own memory."
    if since < REOPTIMIZE_AFTER:
        return None
    return f"{since} new reviews since you last optimized: run `studyctl optimize`."


def write_record(conn: sqlite3.Connection, record: dict[str, Any]) -> None:
    state.put(conn, RECORD_KEY, record)
