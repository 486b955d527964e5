"""Queries behind `studyctl stats`. Days are study days: local time shifted by the rollover
hour, computed by SQLite ('localtime' follows the process time zone, as Python's does)."""

from __future__ import annotations

import sqlite3


def _day(column: str, rollover_hour: int) -> str:
    return f"date({column}, 'localtime', '-{int(rollover_hour)} hours')"


def reviews_per_day(conn: sqlite3.Connection, since: str, rollover_hour: int) -> dict[str, int]:
    rows = conn.execute(
        f"SELECT {_day('reviewed_at', rollover_hour)} AS day, count(*) FROM reviews "
        "INDEXED BY idx_reviews_time WHERE reviewed_at >= ? AND kind != 'cram' GROUP BY day",
        (since,),
    )
    return {row[0]: row[1] for row in rows}


def retention(conn: sqlite3.Connection, since: str) -> tuple[int, int]:
    """(passed, total) over reviews of cards in the review state: FSRS's 'true retention'."""
    row = conn.execute(
        "SELECT coalesce(sum(rating > 1), 0), count(*) FROM reviews INDEXED BY idx_reviews_time "
        "WHERE reviewed_at >= ? AND kind = 'review'",
        (since,),
    ).fetchone()
    return row[0], row[1]


ANSWER_CAP_MS = 120_000  # a card left open overnight is not study time (as in queries.studied_minutes_since)


def seconds_per_day(conn: sqlite3.Connection, since: str, rollover_hour: int) -> dict[str, float]:
    """Time spent answering per study day (each answer counted up to ANSWER_CAP_MS), cram too."""
    rows = conn.execute(
        f"SELECT {_day('reviewed_at', rollover_hour)} AS day, coalesce(sum(min(duration_ms, {ANSWER_CAP_MS})), 0) "
        "FROM reviews INDEXED BY idx_reviews_time WHERE reviewed_at >= ? GROUP BY day",
        (since,),
    )
    return {row[0]: row[1] / 1000 for row in rows}


def retention_by_deck(conn: sqlite3.Connection, since: str) -> dict[str, tuple[int, int]]:
    """deck -> (passed, total) over reviews of review-state cards since `since`."""
    rows = conn.execute(
        "SELECT c.deck, coalesce(sum(r.rating > 1), 0), count(*) FROM reviews r INDEXED BY idx_reviews_time "
        "JOIN cards c ON c.id = r.card_id WHERE r.reviewed_at >= ? AND r.kind = 'review' GROUP BY c.deck",
        (since,),
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def card_counts(conn: sqlite3.Connection, mature_days: int) -> dict[str, int]:
    """Live cards by maturity: new, learning (and relearning), young and mature review cards (by
    their current interval), and suspended ones (counted there only)."""
    row = conn.execute(
        "SELECT "
        "  coalesce(sum(suspended = 0 AND s.state = 'new'), 0), "
        "  coalesce(sum(suspended = 0 AND s.state IN ('learning', 'relearning')), 0), "
        "  coalesce(sum(suspended = 0 AND s.state = 'review' AND interval < :mature), 0), "
        "  coalesce(sum(suspended = 0 AND s.state = 'review' AND interval >= :mature), 0), "
        "  coalesce(sum(suspended = 1), 0) "
        "FROM (SELECT s.state, coalesce(m.suspended, 0) AS suspended, "
        "        julianday(s.due) - julianday(s.last_review) AS interval "
        "      FROM cards c JOIN card_state s ON s.card_id = c.id LEFT JOIN card_marks m ON m.card_id = c.id "
        "      WHERE c.retired = 0) AS s",
        {"mature": mature_days},
    ).fetchone()
    return dict(zip(("new", "learning", "young", "mature", "suspended"), (int(value) for value in row), strict=True))


def due_per_day(conn: sqlite3.Connection, until: str, rollover_hour: int) -> dict[str, int]:
    """Cards due per study day up to `until`; overdue cards count on the day they fell due."""
    rows = conn.execute(
        f"SELECT {_day('s.due', rollover_hour)} AS day, count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
        "LEFT JOIN card_marks m ON m.card_id = s.card_id "
        "WHERE s.due < ? AND c.retired = 0 AND coalesce(m.suspended, 0) = 0 GROUP BY day",
        (until,),
    )
    return {row[0]: row[1] for row in rows}


def study_days(conn: sqlite3.Connection, since: str, rollover_hour: int) -> list[str]:
    """The study days with at least one answer since `since`, newest first."""
    rows = conn.execute(
        f"SELECT DISTINCT {_day('reviewed_at', rollover_hour)} AS day FROM reviews "
        "INDEXED BY idx_reviews_time WHERE reviewed_at >= ? ORDER BY day DESC",
        (since,),
    )
    return [row[0] for row in rows]
