"""Read queries for plans and listings. Each one uses an index; none scans the review log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


def due_count(conn: sqlite3.Connection, until_utc: str) -> int:
    """Cards in learning or review whose due time is before `until_utc` (end of the study day)."""
    return conn.execute(
        "SELECT count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
        "WHERE s.due < ? AND s.suspended = 0 AND c.retired = 0",
        (until_utc,),
    ).fetchone()[0]


def new_count(conn: sqlite3.Connection) -> int:
    """Cards never reviewed (no state row yet) that are still in a deck."""
    return conn.execute(
        "SELECT count(*) FROM cards c WHERE c.retired = 0 "
        "AND NOT EXISTS (SELECT 1 FROM card_state s WHERE s.card_id = c.id)"
    ).fetchone()[0]


def new_introduced_since(conn: sqlite3.Connection, since_utc: str) -> int:
    """Cards whose first review happened after `since_utc` (today's new cards already seen)."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT card_id FROM reviews WHERE reviewed_at >= ?) t "
        "WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = t.card_id AND r.reviewed_at < ?)",
        (since_utc, since_utc),
    ).fetchone()[0]


@dataclass(frozen=True)
class DeckSummary:
    id: str
    title: str
    path: str
    cards: int
    new: int
    due: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def deck_summaries(conn: sqlite3.Connection, until_utc: str) -> list[DeckSummary]:
    """Every synced deck with its live card count, new cards and cards due today."""
    rows = conn.execute(
        "SELECT d.id, d.title, d.path, "
        "  (SELECT count(*) FROM cards c WHERE c.deck = d.id AND c.retired = 0) AS cards, "
        "  (SELECT count(*) FROM cards c WHERE c.deck = d.id AND c.retired = 0 "
        "     AND NOT EXISTS (SELECT 1 FROM card_state s WHERE s.card_id = c.id)) AS new, "
        "  (SELECT count(*) FROM cards c JOIN card_state s ON s.card_id = c.id "
        "     WHERE c.deck = d.id AND c.retired = 0 AND s.suspended = 0 AND s.due < ?) AS due "
        "FROM decks d ORDER BY d.id",
        (until_utc,),
    )
    return [DeckSummary(**dict(row)) for row in rows]


@dataclass(frozen=True)
class TaskProgress:
    minutes: int = 0
    done: bool = False
    skipped: bool = False


def task_progress(conn: sqlite3.Connection, roadmap: str) -> dict[str, TaskProgress]:
    """Minutes logged per task and whether it is finished (done or skipped)."""
    rows = conn.execute(
        "SELECT task, coalesce(sum(minutes), 0) AS minutes, "
        "  max(status = 'done') AS done, max(status = 'skipped') AS skipped "
        "FROM task_log WHERE roadmap = ? GROUP BY task",
        (roadmap,),
    )
    return {row["task"]: TaskProgress(row["minutes"], bool(row["done"]), bool(row["skipped"])) for row in rows}


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts for `doctor`."""
    tables = ("cards", "card_state", "reviews", "task_log", "lab_runs")
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
