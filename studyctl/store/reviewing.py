"""SQL for review sessions: reading cards and their state, recording answers, marks, undo.

Every answer is one short write transaction (BEGIN IMMEDIATE): the card's state is re-read
inside it, so two processes reviewing at once serialize instead of overwriting each other,
and a killed process loses nothing it already answered.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from studyctl.store import journal
from studyctl.store.db import write_transaction

_CARD_COLUMNS = (
    "c.id, c.deck, c.note, c.ord, c.type, c.front, c.back, c.zh, c.refs, c.extra, "
    "s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses"
)
_VISIBLE = (
    "c.retired = 0 AND NOT EXISTS (SELECT 1 FROM card_marks m WHERE m.card_id = c.id "
    "AND (m.suspended = 1 OR (m.buried_until IS NOT NULL AND m.buried_until > :now)))"
)


@dataclass(frozen=True)
class ReviewCard:
    """A card with its content and schedule, as a session shows it."""

    id: int
    deck: str
    note: str
    ord: int
    type: str
    front: str
    back: str
    zh: str
    refs: list[str]
    extra: dict[str, Any]
    state: str  # new | learning | review | relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str | None
    last_review: str | None
    reps: int
    lapses: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ReviewCard:
        data = dict(row)
        data["refs"] = json.loads(data["refs"] or "[]")
        data["extra"] = json.loads(data["extra"] or "{}")
        data["reps"] = data["reps"] or 0
        data["lapses"] = data["lapses"] or 0
        return cls(**data)


def is_retired(conn: sqlite3.Connection, card_id: int) -> bool:
    row = conn.execute("SELECT retired FROM cards WHERE id = ?", (card_id,)).fetchone()
    return row is None or bool(row[0])


def card(conn: sqlite3.Connection, card_id: int) -> ReviewCard | None:
    row = conn.execute(
        f"SELECT {_CARD_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id WHERE c.id = ?", (card_id,)
    ).fetchone()
    return ReviewCard.from_row(row) if row else None


def _deck_filter(decks: list[str] | None) -> tuple[str, dict[str, str]]:
    if not decks:
        return "", {}
    names = {f"d{i}": deck for i, deck in enumerate(decks)}
    return f" AND c.deck IN ({', '.join(':' + name for name in names)})", names


def learning_due(
    conn: sqlite3.Connection, until: str, now: str, decks: list[str] | None = None, limit: int | None = None
) -> list[ReviewCard]:
    """Learning and relearning cards due before `until`, soonest first."""
    where, params = _deck_filter(decks)
    rows = conn.execute(
        f"SELECT {_CARD_COLUMNS} FROM card_state s JOIN cards c ON c.id = s.card_id "
        f"WHERE s.due <= :until AND s.state IN ('learning', 'relearning') AND {_VISIBLE}{where} "
        "ORDER BY s.due, s.state, c.id LIMIT :limit",
        {"until": until, "now": now, "limit": -1 if limit is None else limit, **params},
    )
    return [ReviewCard.from_row(row) for row in rows]


def reviews_due(conn: sqlite3.Connection, until: str, now: str, decks: list[str] | None) -> Iterator[ReviewCard]:
    """Review-state cards due before `until`, most overdue relative to their interval first
    (a card 3 days late on a 2-day interval is in more danger than one 3 days late on 90).
    Lazily, a page at a time: the queue stops reading once the daily cap is reached."""
    where, params = _deck_filter(decks)
    sql = (
        f"SELECT {_CARD_COLUMNS} FROM card_state s JOIN cards c ON c.id = s.card_id "
        f"WHERE s.due < :until AND s.state = 'review' AND {_VISIBLE}{where} "
        "ORDER BY (julianday(:now) - julianday(s.due)) / "
        "  max(julianday(s.due) - julianday(s.last_review), 1.0) DESC, s.due, c.id LIMIT :limit OFFSET :offset"
    )
    yield from _pages(conn, sql, {"until": until, "now": now, **params})


def new_cards(
    conn: sqlite3.Connection,
    now: str,
    deck_order: Sequence[str],
    decks: list[str] | None,
    new_decks: frozenset[str] | None = None,
) -> Iterator[ReviewCard]:
    """Cards never reviewed, decks in `deck_order` first (the roadmap's order), then the rest
    by name; inside a deck, in the order the YAML lists them. `new_decks` (None: any) narrows
    the decks new cards may come from. Lazily, deck by deck and a page at a time (an index
    walk, no sort): the queue stops once the daily limit is met."""
    known = [row[0] for row in conn.execute("SELECT id FROM decks ORDER BY id")]
    rank = {deck: n for n, deck in enumerate(deck_order)}
    ordered = sorted(known, key=lambda deck: (rank.get(deck, len(rank)), deck))
    sql = (
        f"SELECT {_CARD_COLUMNS} FROM cards c JOIN card_state s ON s.card_id = c.id "
        f"WHERE c.deck = :deck AND s.state = 'new' AND {_VISIBLE} ORDER BY c.id LIMIT :limit OFFSET :offset"
    )
    for deck in ordered:
        if (decks and deck not in decks) or (new_decks is not None and deck not in new_decks):
            continue
        yield from _pages(conn, sql, {"deck": deck, "now": now})


FIRST_PAGE = 32


def _pages(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> Iterator[ReviewCard]:
    """The rows of `sql` (which ends in LIMIT :limit OFFSET :offset) in pages that double in
    size: a few rows cost one small query, thousands only a handful."""
    offset, size = 0, FIRST_PAGE
    while True:
        rows = conn.execute(sql, {**params, "limit": size, "offset": offset}).fetchall()
        yield from (ReviewCard.from_row(row) for row in rows)
        if len(rows) < size:
            return
        offset, size = offset + size, size * 2


def cram_cards(conn: sqlite3.Connection, now: str, until: str, decks: list[str] | None, limit: int) -> list[ReviewCard]:
    """Cards not due today (seen ones first, weakest first), for practice before an interview."""
    where, params = _deck_filter(decks)
    rows = conn.execute(
        f"SELECT {_CARD_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id "
        f"WHERE (s.due IS NULL OR s.due >= :until) AND {_VISIBLE}{where} "
        "ORDER BY s.state = 'new', s.stability, c.deck, c.id LIMIT :limit",
        {"now": now, "until": until, "limit": limit, **params},
    )
    return [ReviewCard.from_row(row) for row in rows]


def notes_answered(conn: sqlite3.Connection, start: str, end: str | None = None) -> set[tuple[str, str]]:
    """(deck, note) of every card answered in [start, end) (end None: open), cram answers aside
    (cramming never changes what normal review shows): their siblings wait for another day."""
    rows = conn.execute(
        "SELECT DISTINCT c.deck, c.note FROM reviews r INDEXED BY idx_reviews_time "
        "JOIN cards c ON c.id = r.card_id WHERE r.reviewed_at >= ? AND r.reviewed_at < ? AND r.kind != 'cram'",
        (start, end or _OPEN_END),
    )
    return {(row[0], row[1]) for row in rows}


def answer_counts(conn: sqlite3.Connection, start: str, end: str | None = None) -> dict[str, int]:
    """Answers in [start, end) (end None: open) by the card's state before (new, learning,
    review, relearning, cram)."""
    rows = conn.execute(
        "SELECT kind, count(*) FROM reviews INDEXED BY idx_reviews_time "
        "WHERE reviewed_at >= ? AND reviewed_at < ? GROUP BY kind",
        (start, end or _OPEN_END),
    )
    return {row[0]: row[1] for row in rows}


_OPEN_END = "9999"  # sorts after every stored ISO time


def learning_count(conn: sqlite3.Connection, after: str, until: str, now: str, decks: list[str] | None) -> int:
    """Learning cards falling due in (after, until): those a session shows later today."""
    where, params = _deck_filter(decks)
    return int(
        conn.execute(
            f"SELECT count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
            f"WHERE s.due > :after AND s.due < :until AND s.state IN ('learning', 'relearning') "
            f"AND {_VISIBLE}{where}",
            {"after": after, "until": until, "now": now, **params},
        ).fetchone()[0]
    )


def reviews_due_per_day(conn: sqlite3.Connection, start: str, end: str, rollover_hour: int) -> dict[str, int]:
    """Review-state cards falling due in [start, end), per study day: the load to balance."""
    rows = conn.execute(
        f"SELECT date(due, 'localtime', '-{int(rollover_hour)} hours') AS day, count(*) FROM card_state "
        "WHERE state = 'review' AND due >= ? AND due < ? GROUP BY day",
        (start, end),
    )
    return {row[0]: row[1] for row in rows}


def scheduler_id(conn: sqlite3.Connection, config: str, now: str) -> int:
    row = conn.execute("SELECT id FROM schedulers WHERE config = ?", (config,)).fetchone()
    if row:
        return int(row[0])
    with write_transaction(conn):
        conn.execute("INSERT OR IGNORE INTO schedulers (config, created_at) VALUES (?, ?)", (config, now))
    return int(conn.execute("SELECT id FROM schedulers WHERE config = ?", (config,)).fetchone()[0])


def scheduler_configs(conn: sqlite3.Connection) -> dict[int, str]:
    return {row[0]: row[1] for row in conn.execute("SELECT id, config FROM schedulers")}


@dataclass(frozen=True)
class StateRow:
    state: str
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str | None  # None while new
    last_review: str | None
    reps: int
    lapses: int


def state_row(conn: sqlite3.Connection, card_id: int) -> StateRow | None:
    row = conn.execute(
        "SELECT state, step, stability, difficulty, due, last_review, reps, lapses FROM card_state WHERE card_id = ?",
        (card_id,),
    ).fetchone()
    return StateRow(**dict(row)) if row else None


NEW = StateRow("new", None, None, None, None, None, 0, 0)


def write_state(conn: sqlite3.Connection, card_id: int, state: StateRow) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO card_state "
        "(card_id, state, step, stability, difficulty, due, last_review, reps, lapses) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (card_id, *state.__dict__.values()),
    )


def insert_review(conn: sqlite3.Connection, card: ReviewCard, review: dict[str, Any]) -> tuple[int, str]:
    """Log one answer: a review event in the journal and its live row (inside the caller's
    transaction). Returns (row id, event uid)."""
    config = conn.execute("SELECT config FROM schedulers WHERE id = ?", (review["scheduler_id"],)).fetchone()
    key = journal.card_key(card.deck, card.note, card.ord)
    event = {name: review[name] for name in REVIEW_FIELDS}
    event.update(card=key, scheduler=config[0] if config else None)
    uid = journal.append(conn, journal.REVIEW, key, event, at=review["reviewed_at"])
    cursor = conn.execute(
        "INSERT INTO reviews "
        "(card_id, reviewed_at, rating, duration_ms, kind, grading, answer, due_after, scheduler_id, uid) "
        "VALUES (:card_id, :reviewed_at, :rating, :duration_ms, :kind, :grading, :answer, :due_after, "
        ":scheduler_id, :uid)",
        {"card_id": card.id, **review, "uid": uid},
    )
    return int(cursor.lastrowid or 0), uid


REVIEW_FIELDS = ("reviewed_at", "rating", "duration_ms", "kind", "grading", "answer", "due_after")


def undo_review(conn: sqlite3.Connection, card: ReviewCard, uid: str, *, at: str) -> None:
    """Take an answer back: an undo event, and its live row gone (inside the caller's transaction)."""
    journal.undo(conn, uid, journal.card_key(card.deck, card.note, card.ord), at=at)
    conn.execute("DELETE FROM reviews WHERE uid = ?", (uid,))


def card_reviews(conn: sqlite3.Connection, card_id: int) -> list[sqlite3.Row]:
    """A card's scheduling history in order (cram answers never touch the schedule)."""
    return conn.execute(
        "SELECT id, reviewed_at, rating, duration_ms, kind, due_after, scheduler_id FROM reviews "
        "WHERE card_id = ? AND kind != 'cram' ORDER BY reviewed_at, uid",
        (card_id,),
    ).fetchall()


def all_reviews(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """Every scheduling review, grouped by card, in order: the input of a full rebuild."""
    return conn.execute(
        "SELECT id, card_id, reviewed_at, rating, duration_ms, kind, due_after, scheduler_id FROM reviews "
        "WHERE kind != 'cram' ORDER BY card_id, reviewed_at, uid"
    )


def all_states(conn: sqlite3.Connection) -> dict[int, StateRow]:
    rows = conn.execute(
        "SELECT card_id, state, step, stability, difficulty, due, last_review, reps, lapses FROM card_state"
    )
    return {row[0]: StateRow(*tuple(row)[1:]) for row in rows}


def marks(conn: sqlite3.Connection, card_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM card_marks WHERE card_id = ?", (card_id,)).fetchone()
    return dict(row) if row else None


NO_MARKS: dict[str, Any] = {"suspended": 0, "leech": 0, "buried_until": None, "flag_note": None, "flagged_at": None}


def write_marks(conn: sqlite3.Connection, card_id: int, values: dict[str, Any], *, at: str) -> str:
    """Change what the user decided about a card (suspended, buried, flagged, leech): a mark
    event in the journal and the live row (inside the caller's transaction). Returns the uid."""
    if not set(values) <= set(NO_MARKS):
        raise ValueError(f"unknown marks: {sorted(set(values) - set(NO_MARKS))}")
    key = _key_of(conn, card_id)
    uid = journal.append(conn, journal.MARK, key, {"card": key, "set": values}, at=at)
    _store_marks(conn, card_id, {**NO_MARKS, **(marks(conn, card_id) or {}), **values})
    return uid


def undo_marks(conn: sqlite3.Connection, card_id: int, uid: str, *, at: str) -> None:
    """Take a mark change back: an undo event, and the card's marks folded again from the
    events that still stand (inside the caller's transaction)."""
    key = _key_of(conn, card_id)
    journal.undo(conn, uid, key, at=at)
    refold_marks(conn, card_id)


def refold_marks(conn: sqlite3.Connection, card_id: int) -> None:
    """Recompute a card's marks from its mark events, oldest first, leaving out undone ones."""
    changes = journal.about(conn, _key_of(conn, card_id), journal.MARK)
    taken_back = journal.undone(conn, [event.uid for event in changes])
    folded = dict(NO_MARKS)
    for event in changes:
        if event.uid not in taken_back:
            folded.update(event.data.get("set", {}))
    _store_marks(conn, card_id, folded)


def _store_marks(conn: sqlite3.Connection, card_id: int, values: dict[str, Any]) -> None:
    row = {name: values.get(name, default) for name, default in NO_MARKS.items()}
    if row == NO_MARKS:
        conn.execute("DELETE FROM card_marks WHERE card_id = ?", (card_id,))
        return
    conn.execute(
        "INSERT OR REPLACE INTO card_marks (card_id, suspended, leech, buried_until, flag_note, flagged_at) "
        "VALUES (:card_id, :suspended, :leech, :buried_until, :flag_note, :flagged_at)",
        {"card_id": card_id, **row},
    )


def _key_of(conn: sqlite3.Connection, card_id: int) -> str:
    row = conn.execute("SELECT deck, note, ord FROM cards WHERE id = ?", (card_id,)).fetchone()
    if row is None:
        raise LookupError(f"no card {card_id}")
    return journal.card_key(row[0], row[1], row[2])


def clear_marks(conn: sqlite3.Connection, deck: str, note: str, *, at: str) -> None:
    """Clear the flag and leech mark of every card of a note, and unsuspend them."""
    with write_transaction(conn):
        for (card_id,) in conn.execute("SELECT id FROM cards WHERE deck = ? AND note = ?", (deck, note)).fetchall():
            write_marks(conn, card_id, {"flag_note": None, "flagged_at": None, "leech": 0, "suspended": 0}, at=at)


def flagged(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Cards flagged, tagged leech or suspended: what `studyctl flags` lists."""
    rows = conn.execute(
        "SELECT c.id, c.deck, c.note, c.ord, c.type, c.front, m.flag_note, m.flagged_at, m.leech, m.suspended "
        "FROM card_marks m JOIN cards c ON c.id = m.card_id "
        "WHERE m.flagged_at IS NOT NULL OR m.leech = 1 OR m.suspended = 1 "
        "ORDER BY c.deck, c.note, c.ord"
    )
    return [dict(row) for row in rows]


def review_log(conn: sqlite3.Connection, card_id: int) -> list[dict[str, Any]]:
    """Every answer a card has had, cram ones too, oldest first: its history for `card info`."""
    rows = conn.execute(
        "SELECT reviewed_at, rating, duration_ms, kind, grading, answer, due_after FROM reviews "
        "WHERE card_id = ? ORDER BY reviewed_at, uid",
        (card_id,),
    )
    return [dict(row) for row in rows]


def unsuspend(conn: sqlite3.Connection, card_ids: list[int], *, at: str) -> list[str]:
    """Unsuspend these cards (a mark event each); returns the uids of the cards that were
    suspended (the others are left alone)."""
    uids = []
    with write_transaction(conn):
        for card_id in card_ids:
            current = marks(conn, card_id)
            if current and current["suspended"]:
                uids.append(write_marks(conn, card_id, {"suspended": 0}, at=at))
    return uids
