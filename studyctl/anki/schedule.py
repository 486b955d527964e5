"""Schedules between studyctl and Anki: a card's FSRS state as Anki's card columns (with the
review log) for an export with schedule, and Anki's review log and card marks as studyctl
reviews for an import.

Anki keeps a review card's due date as a day number counted from the collection's creation
(`col.crt`), and shifts it by the difference of the two collections' day counts on import, so
the exported collection is created at the start of today's study day and a card due in 5 days
has due = 5. FSRS's memory state goes in the card's `data` JSON (`s`, `d`, `dr`, `decay`,
`lrt`), the form Anki 23.10+ reads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from studyctl.anki.apkg import Collection
from studyctl.i18n import N_
from studyctl.store.anki_history import CardSchedule, IncomingMarks, IncomingReview, iso_from_millis

CARD_NEW, CARD_LEARNING, CARD_REVIEW, CARD_RELEARNING = 0, 1, 2, 3
QUEUE_SUSPENDED, QUEUE_BURIED, QUEUE_NEW, QUEUE_LEARNING, QUEUE_REVIEW, QUEUE_DAY_LEARNING = -1, -2, 0, 1, 2, 3
TYPES = {"new": CARD_NEW, "learning": CARD_LEARNING, "review": CARD_REVIEW, "relearning": CARD_RELEARNING}
REVLOG_TYPES = {"new": 0, "learning": 0, "review": 1, "relearning": 2, "cram": 3}
KINDS = {1: "review", 2: "relearning", 3: "cram"}


@dataclass(frozen=True)
class AnkiCard:
    """The columns of Anki's `cards` row that carry the schedule."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    flags: int
    data: str


@dataclass(frozen=True)
class Settings:
    desired_retention: float
    decay: float  # FSRS-6's w[20]
    learning_steps: int


def anki_card(
    schedule: CardSchedule,
    position: int,
    *,
    day_of: Callable[[dt.datetime], int],
    now: dt.datetime,
    settings: Settings,
) -> AnkiCard:
    """`day_of(moment)`: the study day number of a moment, counted from the exported
    collection's creation (today is 0)."""
    state = schedule.state
    flags = 1 if schedule.flagged else 0
    if state.state == "new" or not state.due:
        queue = QUEUE_SUSPENDED if schedule.suspended else QUEUE_BURIED if schedule.buried else QUEUE_NEW
        return AnkiCard(CARD_NEW, queue, position, 0, 0, 0, 0, 0, flags, "{}")
    due = dt.datetime.fromisoformat(state.due)
    last = dt.datetime.fromisoformat(state.last_review) if state.last_review else None
    kind = TYPES.get(state.state, CARD_REVIEW)
    memory = {"s": state.stability or 0.0, "d": state.difficulty or 0.0}
    memory.update(dr=settings.desired_retention, decay=settings.decay)
    if last is not None:
        memory["lrt"] = int(last.timestamp())
    if kind == CARD_REVIEW:
        queue, anki_due = QUEUE_REVIEW, day_of(due)
        interval = max(1, day_of(due) - day_of(last)) if last else max(1, anki_due)
        left = 0
    else:
        short = due - now < dt.timedelta(days=1) and (last is None or day_of(due) == day_of(last))
        queue, anki_due = (QUEUE_LEARNING, int(due.timestamp())) if short else (QUEUE_DAY_LEARNING, day_of(due))
        interval = 0
        left = max(1, settings.learning_steps - (state.step or 0))
    if schedule.suspended:
        queue = QUEUE_SUSPENDED
    elif schedule.buried:
        queue = QUEUE_BURIED
    data = json.dumps(memory, separators=(",", ":"))
    return AnkiCard(kind, queue, anki_due, interval, 2500, state.reps, state.lapses, left, flags, data)


def revlog_rows(schedule: CardSchedule, card_id: int, taken: set[int]) -> list[tuple[int, ...]]:
    """Anki review log rows (id, cid, usn, ease, ivl, lastIvl, factor, time, type) for a card's
    reviews; ids are the answer's time in milliseconds, nudged past ids already `taken`."""
    rows: list[tuple[int, ...]] = []
    last_interval = 0
    for review in schedule.reviews:
        at = dt.datetime.fromisoformat(review["reviewed_at"])
        review_id = int(at.timestamp() * 1000)
        while review_id in taken:
            review_id += 1
        taken.add(review_id)
        interval = 0
        if review.get("due_after"):
            seconds = (dt.datetime.fromisoformat(review["due_after"]) - at).total_seconds()
            interval = round(seconds / 86400) if seconds >= 86400 else -int(seconds)
        kind = REVLOG_TYPES.get(review["kind"], 1)
        duration = min(int(review.get("duration_ms") or 0), 60_000)
        rows.append((review_id, card_id, -1, int(review["rating"]), interval, last_interval, 0, duration, kind))
        last_interval = interval
    return rows


@dataclass
class History:
    reviews: list[IncomingReview] = field(default_factory=list)
    marks: list[IncomingMarks] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> reviews


def history(collection: Collection, links: dict[tuple[str, int], tuple[str, str, int]]) -> History:
    """Anki's reviews and marks of every card `links` knows ((GUID, Anki ord) -> card key);
    the rest counted in `skipped` by reason."""
    found = History()
    notes = {note.id: note for note in collection.notes}
    cards = {}
    for card in collection.cards:
        note = notes.get(card.note_id)
        target = links.get((note.guid, card.ord)) if note else None
        cards[card.id] = target
        if target is not None:
            found.marks.append(
                IncomingMarks(
                    *target,
                    changed_at=iso_from_millis(card.mod * 1000),
                    suspended=card.queue == QUEUE_SUSPENDED,
                    flag=card.flags & 7,
                )
            )
    seen: set[int] = set()
    for review in sorted(collection.reviews, key=lambda r: r.id):
        target = cards.get(review.card_id)
        if review.card_id not in cards:
            found.skipped[N_("its card is not in the package")] += 1
            continue
        if target is None:
            found.skipped[N_("its note is not in studyctl (skipped or left out)")] += 1
            continue
        if review.ease not in (1, 2, 3, 4) or review.kind in (4, 5):
            found.skipped[N_("a manual reschedule in Anki, not an answer")] += 1
            continue
        if review.kind == 0:
            kind = "learning" if review.card_id in seen else "new"
        else:
            kind = KINDS.get(review.kind, "review")
        if kind != "cram":
            seen.add(review.card_id)
        found.reviews.append(
            IncomingReview(
                *target,
                review_id=review.id,
                reviewed_at=iso_from_millis(review.id),
                rating=review.ease,
                duration_ms=max(0, min(review.time_ms, 3_600_000)),
                kind=kind,
            )
        )
    return found
