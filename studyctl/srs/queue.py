"""Today's review queue: the one function that says which cards a review will show, so that the
counts `today` promises are the cards `review` (CLI and TUI) shows.

In the order a session shows them:

1. learning cards due now (their steps are minutes apart: they come first);
2. review cards due before the study day ends, most overdue relative to their interval first,
   up to the daily review cap less the reviews already answered that day;
3. new cards, up to the daily limit less the new cards already answered that day, in the
   roadmap's deck order;
4. learning cards due within LEARN_AHEAD (rather than ending the session a minute early).

Suspended, buried and retired cards never enter. One note shows one card a day: a card whose
sibling (another deletion of the same cloze note) was answered that day, or comes earlier in
this queue, waits for another day, and so takes no place in the limits. Learning cards are the
exception: they continue their steps. Cram answers count for nothing here: cramming never
changes what normal review shows.

A session opened for another study day (`today --date D` in the TUI) shows D's queue: cards due
before D ends; the limits count the answers given during D and those given since the session
opened.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from studyctl.clock import day_end_utc, iso_utc, study_day
from studyctl.store import reviewing

if TYPE_CHECKING:
    import sqlite3

    from studyctl.settings import Settings

LEARN_AHEAD = dt.timedelta(minutes=20)


@dataclass(frozen=True)
class QueueCounts:
    learning: int
    review: int
    new: int
    new_by_deck: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new

    def to_dict(self) -> dict[str, int]:
        return {"learning": self.learning, "review": self.review, "new": self.new}


@dataclass(frozen=True)
class Queue:
    """The cards a review shows now, group by group, in the order it shows them."""

    learning: tuple[reviewing.ReviewCard, ...]  # due now
    reviews: tuple[reviewing.ReviewCard, ...]
    new: tuple[reviewing.ReviewCard, ...]
    ahead: tuple[reviewing.ReviewCard, ...]  # learning cards due within LEARN_AHEAD
    learning_later: int  # learning cards due later that day: not shown yet, not counted
    notes: frozenset[tuple[str, str]] = frozenset()  # (deck, note) answered that day or in this queue

    def cards(self) -> Iterator[reviewing.ReviewCard]:
        yield from self.learning
        yield from self.reviews
        yield from self.new
        yield from self.ahead

    def first(self) -> reviewing.ReviewCard | None:
        return next(self.cards(), None)

    @property
    def counts(self) -> QueueCounts:
        by_deck = Counter(card.deck for card in self.new)
        return QueueCounts(len(self.learning) + len(self.ahead), len(self.reviews), len(self.new), dict(by_deck))


def build_queue(
    conn: sqlite3.Connection,
    settings: Settings,
    now: dt.datetime,
    *,
    day: dt.date | None = None,
    decks: list[str] | None = None,
    deck_order: Sequence[str] = (),
    new_decks: frozenset[str] | None = None,
    opened_at: dt.datetime | None = None,
) -> Queue:
    """The queue at `now` for study `day` (default: the day `now` falls in).

    decks: only these decks (None: all). deck_order: the decks new cards come from first.
    new_decks: the decks new cards may come from (None: any). opened_at: when the session
    asking opened; its answers count against the day's limits even outside `day`.
    """
    rollover = settings.rollover_hour
    day = day or study_day(now, rollover)
    day_start = day_end_utc(day - dt.timedelta(days=1), rollover)
    day_end = day_end_utc(day, rollover)
    windows = _answer_windows(day_start, day_end, opened_at)
    done: dict[str, int] = {}
    blocked: set[tuple[str, str]] = set()
    for start, end in windows:
        for kind, count in reviewing.answer_counts(conn, start, end).items():
            done[kind] = done.get(kind, 0) + count
        blocked |= reviewing.notes_answered(conn, start, end)

    at = iso_utc(now)
    due_now, ahead, later = _learning(conn, now, day_end, decks)
    blocked |= {(card.deck, card.note) for card in (*due_now, *ahead)}

    reviews_left = settings.review.max_reviews_per_day - done.get("review", 0)
    reviews = _take(reviewing.reviews_due(conn, iso_utc(day_end), at, decks), reviews_left, blocked)
    new_left = settings.new_cards_per_day - done.get("new", 0)
    new = _take(reviewing.new_cards(conn, at, deck_order, decks, new_decks), new_left, blocked)
    return Queue(due_now, reviews, new, ahead, later, frozenset(blocked))


def _learning(
    conn: sqlite3.Connection, now: dt.datetime, day_end: dt.datetime, decks: list[str] | None
) -> tuple[tuple[reviewing.ReviewCard, ...], tuple[reviewing.ReviewCard, ...], int]:
    """Learning cards due now, those due within LEARN_AHEAD, and how many come later that day."""
    at = iso_utc(now)
    ahead_until = min(now + LEARN_AHEAD, day_end)
    learning = reviewing.learning_due(conn, iso_utc(ahead_until), at, decks)
    due_now = tuple(card for card in learning if card.due is not None and card.due <= at)
    ahead = tuple(card for card in learning if card.due is None or card.due > at)
    later = reviewing.learning_count(conn, iso_utc(ahead_until), iso_utc(day_end), at, decks)
    return due_now, ahead, later


# -- keeping a session's queue current without reading every due card again ---------------------
#
# A session answers one card at a time; reading the whole queue again after each answer costs
# a sort of every due and new card. These two steps give what `build_queue` would give (at the
# same moment) from the queue before: an answered card leaves its group and its limit shrinks by
# one, so the rest of the group stays exactly as it was; only the learning cards move with time.
# Where that does not hold (a card answered from outside the queue, a learning card whose note
# the queue has not seen), they return None: read the queue again.


def answered(queue: Queue, card: reviewing.ReviewCard) -> Queue | None:
    """The queue after `card` (shown from it) was answered."""
    note = (card.deck, card.note)
    if any(queued.id == card.id for queued in queue.reviews):
        return replace(queue, reviews=tuple(queued for queued in queue.reviews if queued.id != card.id))
    if any(queued.id == card.id for queued in queue.new):
        return replace(queue, new=tuple(queued for queued in queue.new if queued.id != card.id))
    if any(queued.id == card.id for queued in (*queue.learning, *queue.ahead)) and note in queue.notes:
        return queue  # its next step comes with the learning cards
    return None


def with_learning_now(
    queue: Queue, conn: sqlite3.Connection, settings: Settings, now: dt.datetime, day: dt.date,
    decks: list[str] | None,
) -> Queue | None:  # fmt: skip
    """The queue with its learning cards read again for `now`."""
    day_end = day_end_utc(day, settings.rollover_hour)
    due_now, ahead, later = _learning(conn, now, day_end, decks)
    if any((card.deck, card.note) not in queue.notes for card in (*due_now, *ahead)):
        return None  # a learning card the queue has not seen: its siblings may have to wait
    return replace(queue, learning=due_now, ahead=ahead, learning_later=later)


def _take(
    candidates: Iterable[reviewing.ReviewCard], limit: int, blocked: set[tuple[str, str]]
) -> tuple[reviewing.ReviewCard, ...]:
    """Up to `limit` candidates whose note is not blocked; each one taken blocks its note."""
    taken: list[reviewing.ReviewCard] = []
    if limit <= 0:
        return ()
    for card in candidates:
        if (card.deck, card.note) in blocked:
            continue
        blocked.add((card.deck, card.note))
        taken.append(card)
        if len(taken) >= limit:
            break
    return tuple(taken)


def _answer_windows(
    day_start: dt.datetime, day_end: dt.datetime, opened_at: dt.datetime | None
) -> list[tuple[str, str | None]]:
    """The disjoint time ranges whose answers count against the day's limits: the day itself,
    and (for a session) everything since it opened, which for today's own session is one
    range from the day's start on."""
    if opened_at is None:
        return [(iso_utc(day_start), iso_utc(day_end))]
    if opened_at <= day_end:
        return [(iso_utc(min(day_start, opened_at)), None)]
    return [(iso_utc(day_start), iso_utc(day_end)), (iso_utc(opened_at), None)]
