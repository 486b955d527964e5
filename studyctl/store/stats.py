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
