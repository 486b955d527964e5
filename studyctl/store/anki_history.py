"""Review history to and from Anki: what an export with schedule needs, and merging Anki's
review log into the journal.

Each Anki review becomes a journal `review` event whose uid is derived from Anki's review id
and the card it belongs to: importing the same package twice adds nothing, and two machines
importing it make the same events (sync merges them as one). A review already in studyctl's
log at the same second (one studyctl exported, coming back) is not added again. Flags and
suspensions become `mark` events. Card states are rebuilt by the caller's replay, inside the
same write transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studyctl.store import journal, reviewing
from studyctl.store.db import write_transaction


@dataclass(frozen=True)
class IncomingReview:
    deck: str
    note: str
    ord: int
    review_id: int  # Anki's revlog id (epoch milliseconds)
    reviewed_at: str  # UTC ISO 8601, whole seconds
    rating: int
    duration_ms: int
    kind: str  # new | learning | review | relearning | cram


@dataclass(frozen=True)
class IncomingMarks:
    deck: str
    note: str
    ord: int
    changed_at: str  # when Anki last changed the card (UTC ISO)
    suspended: bool
    flag: int  # Anki's flag colour, 0 for none


@dataclass
class MergeReport:
    added: int = 0
    already: int = 0  # imported before (same uid)
    same_time: int = 0  # studyctl's own review at that second (exported earlier, now back)
    missing: int = 0  # no such card in the store
    marks: int = 0
    cards: set[int] = field(default_factory=set)


FLAG_NAMES = {1: "red", 2: "orange", 3: "green", 4: "blue", 5: "pink", 6: "turquoise", 7: "purple"}
FLAG_PREFIX = "Anki flag"


def review_uid(review_id: int, key: str) -> str:
    """Deterministic: 12 hex digits of the review's time (sortable, like every uid), 20 of a hash."""
    digest = hashlib.sha256(f"anki-revlog/{review_id}/{key}".encode()).hexdigest()[:20]
    return f"{review_id & 0xFFFFFFFFFFFF:012x}{digest}"


def merge(
    conn: sqlite3.Connection,
    reviews: list[IncomingReview],
    marks: list[IncomingMarks],
    scheduler_id: int,
    replay: Callable[[list[sqlite3.Row], int], reviewing.StateRow],
    *,
    now: str,
) -> MergeReport:
    """Add the reviews (and marks) not already there, then rebuild the touched cards' states
    with `replay(card's reviews, card id)`; one write transaction."""
    report = MergeReport()
    with write_transaction(conn):
        ids = _card_ids(conn)
        for review in reviews:
            key = journal.card_key(review.deck, review.note, review.ord)
            card_id = ids.get(key)
            if card_id is None:
                report.missing += 1
                continue
            uid = review_uid(review.review_id, key)
            if conn.execute("SELECT 1 FROM journal WHERE uid = ?", (uid,)).fetchone():
                report.already += 1
                continue
            if conn.execute(
                "SELECT 1 FROM reviews WHERE card_id = ? AND reviewed_at = ? AND grading IS NOT 'anki'",
                (card_id, review.reviewed_at),
            ).fetchone():
                report.same_time += 1
                continue
            _append_review(conn, key, card_id, review, uid, scheduler_id)
            report.added += 1
            report.cards.add(card_id)
        for card_id in sorted(report.cards):
            reviewing.write_state(conn, card_id, replay(reviewing.card_reviews(conn, card_id), card_id))
        for change in marks:
            card_id = ids.get(journal.card_key(change.deck, change.note, change.ord))
            if card_id is not None and _apply_marks(conn, card_id, change, now):
                report.marks += 1
    return report


def _append_review(
    conn: sqlite3.Connection, key: str, card_id: int, review: IncomingReview, uid: str, scheduler_id: int
) -> None:
    config = conn.execute("SELECT config FROM schedulers WHERE id = ?", (scheduler_id,)).fetchone()
    event = {
        "card": key,
        "reviewed_at": review.reviewed_at,
        "rating": review.rating,
        "duration_ms": review.duration_ms,
        "kind": review.kind,
        "grading": "anki",
        "answer": None,
        "due_after": None,  # FSRS computes it from the merged log
        "scheduler": config[0] if config else None,
        "anki_review": review.review_id,
    }
    journal.append(conn, journal.REVIEW, key, event, at=review.reviewed_at, uid=uid)
    conn.execute(
        "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, grading, answer, due_after,"
        " scheduler_id, uid) VALUES (?, ?, ?, ?, ?, 'anki', NULL, NULL, ?, ?)",
        (card_id, review.reviewed_at, review.rating, review.duration_ms, review.kind, scheduler_id, uid),
    )


def _apply_marks(conn: sqlite3.Connection, card_id: int, change: IncomingMarks, now: str) -> bool:
    """Take Anki's suspension and flag when Anki changed the card after studyctl last marked it
    and they differ; a mark event through `reviewing.write_marks`."""
    current = reviewing.marks(conn, card_id) or dict(reviewing.NO_MARKS)
    key = _key(conn, card_id)
    last = max((event.at for event in journal.about(conn, key, journal.MARK)), default="")
    if last and last >= change.changed_at:
        return False
    values: dict[str, Any] = {}
    if bool(current.get("suspended")) != change.suspended:
        values["suspended"] = int(change.suspended)
    flag_note = current.get("flag_note")
    if change.flag and not flag_note:
        values.update(flag_note=f"{FLAG_PREFIX}: {FLAG_NAMES.get(change.flag, change.flag)}", flagged_at=now)
    elif not change.flag and isinstance(flag_note, str) and flag_note.startswith(FLAG_PREFIX):
        values.update(flag_note=None, flagged_at=None)
    if not values:
        return False
    reviewing.write_marks(conn, card_id, values, at=change.changed_at)
    return True


def _card_ids(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT id, deck, note, ord FROM cards")
    return {journal.card_key(row[1], row[2], row[3]): int(row[0]) for row in rows}


def _key(conn: sqlite3.Connection, card_id: int) -> str:
    row = conn.execute("SELECT deck, note, ord FROM cards WHERE id = ?", (card_id,)).fetchone()
    return journal.card_key(row[0], row[1], row[2])


@dataclass(frozen=True)
class CardSchedule:
    """A card's schedule, marks and scheduling reviews, as an export with schedule writes them."""

    state: reviewing.StateRow
    suspended: bool
    buried: bool
    flagged: bool
    reviews: tuple[dict[str, Any], ...]


def schedules(conn: sqlite3.Connection, deck_ids: list[str], now: str) -> dict[str, CardSchedule]:
    """Card key -> its schedule, for the live cards of `deck_ids`."""
    marks = " ".join("?" for _ in deck_ids)
    rows = conn.execute(
        "SELECT c.id, c.deck, c.note, c.ord, s.state, s.step, s.stability, s.difficulty, s.due, s.last_review,"
        " s.reps, s.lapses, m.suspended, m.buried_until, m.flag_note FROM cards c"
        " LEFT JOIN card_state s ON s.card_id = c.id LEFT JOIN card_marks m ON m.card_id = c.id"
        f" WHERE c.retired = 0 AND c.deck IN ({marks.replace(' ', ', ')})",
        deck_ids,
    ).fetchall()
    found = {}
    for row in rows:
        reviews = conn.execute(
            "SELECT reviewed_at, rating, duration_ms, kind, due_after FROM reviews WHERE card_id = ?"
            " ORDER BY reviewed_at, uid",
            (row[0],),
        ).fetchall()
        state = reviewing.StateRow(
            row[4] or "new", row[5], row[6], row[7], row[8], row[9], int(row[10] or 0), int(row[11] or 0)
        )
        found[journal.card_key(row[1], row[2], row[3])] = CardSchedule(
            state=state,
            suspended=bool(row[12]),
            buried=bool(row[13] and row[13] > now),
            flagged=bool(row[14]),
            reviews=tuple(
                dict(zip(("reviewed_at", "rating", "duration_ms", "kind", "due_after"), r, strict=True))
                for r in reviews
            ),
        )
    return found


def iso_from_millis(millis: int) -> str:
    return dt.datetime.fromtimestamp(millis / 1000, dt.timezone.utc).isoformat(timespec="seconds")
