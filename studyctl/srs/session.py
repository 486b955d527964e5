"""A review session: the queue for today and the actions on it (answer, undo, suspend, bury,
flag). The plain `studyctl review` and the TUI drive the same object.

Queue order: learning cards that are due now, then due reviews (most overdue relative to their
interval first, up to the daily review cap), then new cards (up to the daily limit, in the
active roadmap's deck order), then learning cards due within LEARN_AHEAD. A card whose sibling
(another deletion of the same cloze note) was answered today waits for another day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyctl.clock import day_end_utc, now_utc, study_day
from studyctl.srs import replay
from studyctl.srs.scheduling import (
    RATING_NAMES,
    CardState,
    apply_rating,
    balanced_due,
    describe_interval,
    make_scheduler,
    scheduler_config,
    with_due,
)
from studyctl.store import reviewing
from studyctl.store.db import write_transaction

if TYPE_CHECKING:
    import sqlite3

    from studyctl.settings import Settings

LEARN_AHEAD = dt.timedelta(minutes=20)
CRAM_LIMIT = 50


@dataclass(frozen=True)
class Answer:
    card: reviewing.ReviewCard
    rating: int
    review_id: int
    after: CardState | None  # None for cram answers, which leave the schedule alone
    leech: bool = False  # this answer made the card a leech: it is now suspended
    uid: str = ""  # the review event's id


@dataclass(frozen=True)
class _Undo:
    """One action of this session that `undo` can take back: an answer (with the leech mark it
    may have set), or a suspend, bury or flag."""

    action: str  # answer | suspend | bury | flag
    card: reviewing.ReviewCard
    uid: str  # the review or mark event
    mark_uids: tuple[str, ...] = ()  # marks the answer set (leech)
    rating: int = 0
    duration_ms: int | None = None


@dataclass(frozen=True)
class Undone:
    action: str
    card: reviewing.ReviewCard


@dataclass
class SessionTally:
    answered: int = 0
    by_rating: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    seconds: float = 0.0
    leeches: list[str] = field(default_factory=list)


class ReviewSession:
    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: Settings,
        *,
        decks: list[str] | None = None,
        deck_order: Sequence[str] = (),
        new_decks: frozenset[str] | None = None,
        limit: int | None = None,
        cram: bool = False,
        clock: Callable[[], dt.datetime] = now_utc,
        rng: random.Random | None = None,
    ):
        self.conn = conn
        self.settings = settings
        self.review = settings.review
        self.decks = list(decks) if decks else None
        self.limit = limit
        self.cram = cram
        self.clock = clock
        self.rng = rng or random.Random()
        self.scheduler = make_scheduler(self.review)
        now = self._now()
        self.scheduler_id = reviewing.scheduler_id(conn, scheduler_config(self.scheduler), _iso(now))
        self.day = study_day(now, settings.rollover_hour)
        self.day_start = day_end_utc(self.day - dt.timedelta(days=1), settings.rollover_hour)
        self.day_end = day_end_utc(self.day, settings.rollover_hour)
        self.tally = SessionTally()
        self._undo: list[_Undo] = []
        self._front: deque[reviewing.ReviewCard] = deque()
        self._seen_notes = reviewing.notes_seen_since(conn, _iso(self.day_start))
        if cram:
            self._reviews = deque(
                reviewing.cram_cards(conn, _iso(now), _iso(self.day_end), self.decks, limit or CRAM_LIMIT)
            )
            self._new: deque[reviewing.ReviewCard] = deque()
            return
        done = reviewing.counts_since(conn, _iso(self.day_start))
        reviews_left = max(0, self.review.max_reviews_per_day - done.get("review", 0))
        new_left = max(0, settings.new_cards_per_day - done.get("new", 0))
        self._reviews = deque(reviewing.reviews_due(conn, _iso(self.day_end), _iso(now), self.decks, reviews_left))
        self._new = deque(reviewing.new_cards(conn, _iso(now), list(deck_order), self.decks, new_left, new_decks))

    # -- the queue ---------------------------------------------------------------------------

    def next_card(self) -> reviewing.ReviewCard | None:
        """The card to show now, or None when the session is over."""
        if self.limit is not None and self.tally.answered >= self.limit:
            return None
        if self._front:
            return self._front.popleft()
        now = self._now()
        if not self.cram:
            learning = reviewing.learning_due(self.conn, _iso(now), _iso(now), self.decks, limit=1)
            if learning:
                return learning[0]
        while self._reviews:
            candidate = self._fresh(self._reviews.popleft(), now)
            if candidate is not None:
                return candidate
        while self._new:
            candidate = self._fresh(self._new.popleft(), now)
            if candidate is not None and candidate.state == "new":
                return candidate
        if not self.cram:
            ahead = reviewing.learning_due(self.conn, _iso(now + LEARN_AHEAD), _iso(now), self.decks, limit=1)
            if ahead:
                return ahead[0]
        return None

    def requeue(self, card: reviewing.ReviewCard) -> None:
        """Show `card` again after any card already waiting in front (used after an undo)."""
        self._front.append(card)

    def remaining(self) -> dict[str, int]:
        """Cards still queued (learning cards come back on their own and aren't counted)."""
        return {"review": len(self._reviews), "new": len(self._new)}

    def _fresh(self, queued: reviewing.ReviewCard, now: dt.datetime) -> reviewing.ReviewCard | None:
        """Re-read a queued card: skip it if it was answered meanwhile (another process), if it
        is now suspended or buried, or if a sibling was answered today."""
        if not self.cram and (queued.deck, queued.note) in self._seen_notes:
            return None
        current = reviewing.card(self.conn, queued.id)
        if current is None or current.state != queued.state or current.due != queued.due:
            return None
        marks = reviewing.marks(self.conn, queued.id)
        if marks and (marks["suspended"] or (marks["buried_until"] and marks["buried_until"] > _iso(now))):
            return None
        return current

    # -- answering ---------------------------------------------------------------------------

    def preview(self, card: reviewing.ReviewCard) -> dict[int, str]:
        """The interval each rating would give, e.g. {1: '1m', 2: '6m', 3: '10m', 4: '8d'}."""
        now = self._now()
        before = replay.from_row(reviewing.state_row(self.conn, card.id))
        return {
            rating: describe_interval(apply_rating(self.scheduler, card.id, before, rating, now, None).due - now)
            for rating in RATING_NAMES
        }

    def answer(
        self,
        card: reviewing.ReviewCard,
        rating: int,
        *,
        duration_ms: int | None = None,
        grading: str = "self",
        response: str | None = None,
    ) -> Answer:
        """Record one answer and reschedule the card, committed before this returns."""
        if rating not in RATING_NAMES:
            raise ValueError(f"rating should be 1-4, got {rating}")
        now = self._now()
        leech = False
        with write_transaction(self.conn):
            before = replay.from_row(reviewing.state_row(self.conn, card.id))
            marks_before = reviewing.marks(self.conn, card.id)
            review = {
                "reviewed_at": _iso(now),
                "rating": rating,
                "duration_ms": duration_ms,
                "kind": "cram" if self.cram else (before.state if before else "new"),  # before=None: new
                "grading": grading,
                "answer": response,
                "due_after": None,
                "scheduler_id": self.scheduler_id,
            }
            after = None
            mark_uids: tuple[str, ...] = ()
            if not self.cram:
                after = self._schedule(card.id, before, rating, now, duration_ms)
                review["due_after"] = _iso(after.due)
                reviewing.write_state(self.conn, card.id, replay.to_row(after))
                leech = self._check_leech(card.id, before, after, marks_before)
                if leech:
                    mark_uids = (reviewing.write_marks(self.conn, card.id, {"leech": 1, "suspended": 1}, at=_iso(now)),)
            review_id, uid = reviewing.insert_review(self.conn, card, review)
        self._undo.append(_Undo("answer", card, uid, mark_uids, rating, duration_ms))
        self._seen_notes.add((card.deck, card.note))
        self.tally.answered += 1
        self.tally.by_rating[rating] += 1
        self.tally.seconds += (duration_ms or 0) / 1000
        if leech:
            self.tally.leeches.append(f"{card.deck}/{card.note}")
        return Answer(card, rating, review_id, after, leech, uid)

    def _schedule(
        self, card_id: int, before: CardState | None, rating: int, now: dt.datetime, duration_ms: int | None
    ) -> CardState:
        after = apply_rating(self.scheduler, card_id, before, rating, now, duration_ms)
        if not self.review.fuzz:
            return after
        easy = tuple(("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(day) for day in self.review.easy_days)
        due = balanced_due(
            after,
            now,
            maximum_interval=self.review.maximum_interval,
            loads=self._cards_due_per_day,
            study_day=lambda moment: study_day(moment, self.settings.rollover_hour),
            easy_days=easy,
            rng=self.rng,
        )
        return with_due(after, due)

    def _cards_due_per_day(self, first: dt.date, last: dt.date) -> dict[dt.date, int]:
        rollover = self.settings.rollover_hour
        start = day_end_utc(first - dt.timedelta(days=1), rollover)
        end = day_end_utc(last, rollover)
        counts = reviewing.reviews_due_per_day(self.conn, _iso(start), _iso(end), rollover)
        return {dt.date.fromisoformat(day): count for day, count in counts.items()}

    def _check_leech(
        self, card_id: int, before: CardState | None, after: CardState, marks_before: dict[str, Any] | None
    ) -> bool:
        """A card that lapses `leech_threshold` times is tagged leech and suspended: drilling it
        again won't help; rewriting it (or splitting it) will."""
        lapsed = after.lapses > (before.lapses if before else 0)
        return bool(
            lapsed and after.lapses >= self.review.leech_threshold and not (marks_before and marks_before["leech"])
        )

    def undo(self) -> Undone | None:
        """Take back the last action of this session (an answer, a suspend, a bury or a flag) as
        an undo event; the card is shown again next."""
        if not self._undo:
            return None
        entry = self._undo.pop()
        at = _iso(self._now())
        with write_transaction(self.conn):
            if entry.action == "answer":
                reviewing.undo_review(self.conn, entry.card, entry.uid, at=at)
                if not self.cram:
                    history = reviewing.card_reviews(self.conn, entry.card.id)
                    configs = reviewing.scheduler_configs(self.conn)
                    state = replay.replay_card(history, configs, entry.card.id)
                    reviewing.write_state(self.conn, entry.card.id, replay.to_row(state))
            for uid in (*entry.mark_uids, *((entry.uid,) if entry.action != "answer" else ())):
                reviewing.undo_marks(self.conn, entry.card.id, uid, at=at)
        if entry.action == "answer":
            self._seen_notes = reviewing.notes_seen_since(self.conn, _iso(self.day_start))
            self.tally.answered -= 1
            self.tally.by_rating[entry.rating] -= 1
            self.tally.seconds -= (entry.duration_ms or 0) / 1000
            if entry.mark_uids:
                self.tally.leeches.remove(f"{entry.card.deck}/{entry.card.note}")
        card = reviewing.card(self.conn, entry.card.id) or entry.card
        if entry.action != "flag":  # a flag leaves the card on screen: nothing to bring back
            self._front.appendleft(card)
        return Undone(entry.action, card)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # -- marks -------------------------------------------------------------------------------

    def suspend(self, card: reviewing.ReviewCard) -> None:
        self._mark("suspend", card, {"suspended": 1})

    def bury(self, card: reviewing.ReviewCard) -> None:
        """Hide the card until the next study day."""
        self._mark("bury", card, {"buried_until": _iso(self.day_end)})

    def flag(self, card: reviewing.ReviewCard, note: str) -> None:
        """Mark the card as wrong or unclear; `studyctl flags` lists it so the deck gets fixed."""
        self._mark("flag", card, {"flag_note": note or "(no note)", "flagged_at": _iso(self._now())})

    def _mark(self, action: str, card: reviewing.ReviewCard, values: dict[str, Any]) -> None:
        with write_transaction(self.conn):
            uid = reviewing.write_marks(self.conn, card.id, values, at=_iso(self._now()))
        self._undo.append(_Undo(action, card, uid))

    def _now(self) -> dt.datetime:
        """Whole seconds: the log stores seconds, and replay must compute with the same time."""
        return self.clock().astimezone(dt.timezone.utc).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return replay.iso(moment)
