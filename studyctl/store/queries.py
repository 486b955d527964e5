"""Read queries for plans and listings. Each one uses an index; none scans the review log."""

from __future__ import annotations

import sqlite3
from typing import Any


def decks_in_sync(conn: sqlite3.Connection, files: list[Any]) -> bool:
    """True when every deck file has the size and mtime it had at its last sync, and no file
    has gone: then `today` skips loading the sync machinery entirely."""
    known = {
        row[0]: (row[1], row[2])
        for row in conn.execute("SELECT path, mtime_ns, size FROM source_files WHERE kind = 'deck'")
    }
    if len(known) != len(files):
        return False
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            return False
        if known.get(str(path)) != (stat.st_mtime_ns, stat.st_size):
            return False
    return True


NEW_COUNT_CAP = 1000


def new_count(conn: sqlite3.Connection, cap: int = NEW_COUNT_CAP) -> int:
    """Cards never reviewed that are still in a deck and not suspended, counted up to `cap`:
    the plan needs at most a day's worth, and an exact count costs time on a large collection."""
    return int(
        conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_state s JOIN cards c ON c.id = s.card_id "
            "WHERE s.state = 'new' AND c.retired = 0 "
            "AND NOT EXISTS (SELECT 1 FROM card_marks m WHERE m.card_id = c.id AND m.suspended = 1) LIMIT ?)",
            (cap,),
        ).fetchone()[0]
    )


def deck_summaries(conn: sqlite3.Connection, until_utc: str) -> list[dict[str, Any]]:
    """Every synced deck with its live card count, new cards and cards due today."""
    rows = conn.execute(
        "SELECT d.id, d.title, d.path, "
        "  (SELECT count(*) FROM cards c WHERE c.deck = d.id AND c.retired = 0) AS cards, "
        "  (SELECT count(*) FROM cards c JOIN card_state s ON s.card_id = c.id "
        "     WHERE c.deck = d.id AND c.retired = 0 AND s.state = 'new') AS new, "
        "  (SELECT count(*) FROM cards c JOIN card_state s ON s.card_id = c.id "
        "     LEFT JOIN card_marks m ON m.card_id = c.id "
        "     WHERE c.deck = d.id AND c.retired = 0 AND coalesce(m.suspended, 0) = 0 AND s.due < ?) AS due "
        "FROM decks d ORDER BY d.id",
        (until_utc,),
    )
    return [dict(row) for row in rows]


def deck_ids(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT id FROM decks ORDER BY id")]


def deck_paths(conn: sqlite3.Connection) -> dict[str, str]:
    """deck id -> the file it was synced from."""
    return {row[0]: row[1] for row in conn.execute("SELECT id, path FROM decks")}


def task_totals(conn: sqlite3.Connection, roadmap: str) -> dict[str, tuple[int, bool, bool]]:
    """task -> (minutes logged, done, skipped) for every task with a log entry."""
    rows = conn.execute(
        "SELECT task, coalesce(sum(minutes), 0) AS minutes, "
        "  max(status = 'done') AS done, max(status = 'skipped') AS skipped "
        "FROM task_log WHERE roadmap = ? GROUP BY task",
        (roadmap,),
    )
    return {row["task"]: (row["minutes"], bool(row["done"]), bool(row["skipped"])) for row in rows}


def median_answer_seconds(conn: sqlite3.Connection, last: int = 500) -> float | None:
    """The median time the user took per answer over their last `last` answers."""
    rows = conn.execute(
        "SELECT duration_ms FROM reviews INDEXED BY idx_reviews_time "
        "WHERE duration_ms IS NOT NULL AND kind != 'cram' ORDER BY reviewed_at DESC LIMIT ?",
        (last,),
    ).fetchall()
    if len(rows) < 20:  # too few to trust over the default
        return None
    durations = sorted(min(int(row[0]), 120_000) for row in rows)  # a card left open overnight isn't a pace
    return durations[len(durations) // 2] / 1000


def studied_minutes_since(conn: sqlite3.Connection, roadmap: str, since_utc: str, since_day: str) -> float:
    """Minutes logged on roadmap tasks since `since_day` plus time spent answering cards."""
    tasks = conn.execute(
        "SELECT coalesce(sum(minutes), 0) FROM task_log WHERE roadmap = ? AND day >= ? AND status != 'skipped'",
        (roadmap, since_day),
    ).fetchone()[0]
    cards = conn.execute(
        "SELECT coalesce(sum(min(duration_ms, 120000)), 0) FROM reviews INDEXED BY idx_reviews_time "
        "WHERE reviewed_at >= ?",
        (since_utc,),
    ).fetchone()[0]
    return float(tasks) + float(cards) / 60000


def last_review_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0])


def review_state_answers(conn: sqlite3.Connection, *, after_id: int = 0, cap: int | None = None) -> int:
    """Answers to cards in the review state (what FSRS parameters are fitted on), after a review
    id (a range on the primary key: cheap), counting at most `cap` when given."""
    limit = -1 if cap is None else cap
    return int(
        conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM reviews WHERE id > ? AND kind = 'review' LIMIT ?)", (after_id, limit)
        ).fetchone()[0]
    )


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts for `doctor`."""
    tables = ("cards", "card_state", "card_marks", "reviews", "task_log", "lab_runs")
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
