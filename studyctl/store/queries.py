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


def new_count(conn: sqlite3.Connection, cap: int = NEW_COUNT_CAP, new_decks: frozenset[str] | None = None) -> int:
    """Cards never reviewed that are still in a deck and not suspended, counted up to `cap`:
    the plan needs at most a day's worth, and an exact count costs time on a large collection.
    `new_decks`: only cards of these decks (None: any deck)."""
    if new_decks is not None and not new_decks:
        return 0
    names = sorted(new_decks or ())
    in_decks = f" AND c.deck IN ({', '.join('?' for _ in names)})" if names else ""
    return int(
        conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_state s JOIN cards c ON c.id = s.card_id "
            f"WHERE s.state = 'new' AND c.retired = 0{in_decks} "
            "AND NOT EXISTS (SELECT 1 FROM card_marks m WHERE m.card_id = c.id AND m.suspended = 1) LIMIT ?)",
            (*names, cap),
        ).fetchone()[0]
    )


# -- what the planner reads: decks, card time, the task log's minutes -----------------------


def unseen_per_deck(conn: sqlite3.Connection) -> dict[str, int]:
    """Cards never reviewed (still in a deck, not suspended), per deck; every synced deck is
    named, with 0 when all its cards have been seen."""
    counts = {row[0]: 0 for row in conn.execute("SELECT id FROM decks")}
    rows = conn.execute(
        "SELECT c.deck, count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
        "WHERE s.state = 'new' AND c.retired = 0 "
        "AND NOT EXISTS (SELECT 1 FROM card_marks m WHERE m.card_id = c.id AND m.suspended = 1) GROUP BY c.deck"
    )
    counts.update({row[0]: int(row[1]) for row in rows})
    return counts


def card_minutes_by_deck(conn: sqlite3.Connection, decks: list[str], until_utc: str) -> dict[str, float]:
    """Minutes spent answering each deck's cards before `until_utc` (an answer counts at most
    two minutes: a card left open overnight isn't study time)."""
    if not decks:
        return {}
    marks = ", ".join("?" for _ in decks)
    rows = conn.execute(
        "SELECT c.deck, coalesce(sum(min(r.duration_ms, 120000)), 0) FROM cards c "
        f"JOIN reviews r ON r.card_id = c.id WHERE c.deck IN ({marks}) AND r.reviewed_at < ? GROUP BY c.deck",
        (*decks, until_utc),
    )
    return {row[0]: float(row[1]) / 60000 for row in rows}


def answer_minutes_between(conn: sqlite3.Connection, since_utc: str, until_utc: str) -> float:
    """Minutes spent answering cards between two times (a study day's card time)."""
    total = conn.execute(
        "SELECT coalesce(sum(min(duration_ms, 120000)), 0) FROM reviews INDEXED BY idx_reviews_time "
        "WHERE reviewed_at >= ? AND reviewed_at < ?",
        (since_utc, until_utc),
    ).fetchone()[0]
    return float(total) / 60000


def task_minutes_by_day(conn: sqlite3.Connection, roadmap: str, since_day: str, until_day: str) -> dict[str, int]:
    """Minutes logged on the roadmap's tasks per study day, from `since_day` to `until_day`."""
    rows = conn.execute(
        "SELECT day, coalesce(sum(minutes), 0) FROM task_log WHERE roadmap = ? AND day >= ? AND day <= ? "
        "AND status IN ('progress', 'done') GROUP BY day",
        (roadmap, since_day, until_day),
    )
    return {row[0]: int(row[1]) for row in rows}


def task_log(conn: sqlite3.Connection, roadmap: str, until_day: str | None = None) -> list[tuple[str, str, int, str]]:
    """(task, status, minutes, day) of the roadmap's task log in the order it was written, up to
    the study day `until_day`: what the planner folds into each task's progress."""
    sql = "SELECT task, status, coalesce(minutes, 0), day FROM task_log WHERE roadmap = ?"
    params: list[str] = [roadmap]
    if until_day is not None:
        sql += " AND day <= ?"
        params.append(until_day)
    return [(str(r[0]), str(r[1]), int(r[2]), str(r[3])) for r in conn.execute(sql + " ORDER BY logged_at, id", params)]


def seen_card_schedule(
    conn: sqlite3.Connection, after_utc: str, shift_minutes: int, stages: list[float]
) -> list[tuple[str, int, int]]:
    """(study day due, stage, cards) for the seen cards due after `after_utc`: the review load to
    project, grouped so that a large collection is a few hundred rows. The study day is the UTC
    due time moved by `shift_minutes` (the local offset less the rollover: one offset for all,
    close enough for a forecast and much cheaper than SQLite's 'localtime'); the stage is how many
    of `stages` (stabilities, ascending) the card's stability has passed, less one."""
    case = " ".join(f"WHEN s.stability < {float(limit)!r} THEN {max(0, i - 1)}" for i, limit in enumerate(stages))
    stage = f"CASE WHEN s.stability IS NULL THEN 0 {case} ELSE {max(0, len(stages) - 1)} END" if stages else "0"
    rows = conn.execute(
        f"SELECT date(s.due, '{int(shift_minutes):+d} minutes') AS day, {stage} AS stage, count(*) "
        "FROM card_state s JOIN cards c ON c.id = s.card_id LEFT JOIN card_marks m ON m.card_id = s.card_id "
        "WHERE s.state != 'new' AND s.due >= ? AND c.retired = 0 AND coalesce(m.suspended, 0) = 0 "
        "GROUP BY day, stage",
        (after_utc,),
    )
    return [(str(row[0]), int(row[1]), int(row[2])) for row in rows]


def new_introduced_since(conn: sqlite3.Connection, since_utc: str) -> int:
    """Cards whose first review happened after `since_utc` (today's new cards already seen)."""
    return int(
        conn.execute(
            # INDEXED BY: without ANALYZE statistics SQLite scans the whole log via the other index
            "SELECT count(DISTINCT r.card_id) FROM reviews r INDEXED BY idx_reviews_time "
            "WHERE r.reviewed_at >= ? AND NOT EXISTS "
            "(SELECT 1 FROM reviews p WHERE p.card_id = r.card_id AND p.reviewed_at < ?)",
            (since_utc, since_utc),
        ).fetchone()[0]
    )


def deck_summaries(conn: sqlite3.Connection, until_utc: str) -> list[dict[str, Any]]:
    """Every synced deck with its live card count, new cards and cards due today."""
    rows = conn.execute(
        "SELECT d.id, d.title, d.title_zh, d.path, "
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


def marks_stamp(conn: sqlite3.Connection) -> str:
    """Changes whenever a card is suspended, buried or unsuspended (the load ahead changes)."""
    row = conn.execute("SELECT count(*), coalesce(sum(suspended), 0), max(rowid) FROM card_marks").fetchone()
    return f"{row[0]}-{row[1]}-{row[2]}"


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
