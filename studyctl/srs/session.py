"""A review session: the queue for today and the actions on it (answer, undo, suspend, bury,
flag). The plain `studyctl review` and the TUI drive the same object.

The card shown next is always the head of `srs.queue.build_queue`, read again after every
action, so a session shows exactly what `today` counted (see that module for the order, the
limits and siblings), and a card suspended or buried mid-session frees its place for the next
one. Cram sessions are the exception: a fixed list of cards not due, which leaves the schedule
alone. Choice options are shown shuffled (`srs.choices`), the same way all day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyctl.clock import day_end_utc, now_utc, study_day
from studyctl.i18n import N_
from studyctl.srs import replay
from studyctl.srs.choices import shuffled_choices
from studyctl.srs.queue import Queue, answered, build_queue, with_learning_now
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

CRAM_LIMIT = 50
NO_FLAG_NOTE = N_("(no note)")  # stored (and synced) in English; shown through _() where read


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
        day: dt.date | None = None,
        limit: int | None = None,
        cram: bool = False,
        clock: Callable[[], dt.datetime] = now_utc,
        rng: random.Random | None = None,
    ):
        self.conn = conn
        self.settings = settings
        self.review = settings.review
        self.decks = list(decks) if decks else None
        self.deck_order = tuple(deck_order)
        self.new_decks = new_decks
        self.limit = limit
        self.cram = cram
        self.clock = clock
        self.rng = rng or random.Random()
        self.scheduler = make_scheduler(self.review)
        now = self._now()
        self.opened_at = now
        self.scheduler_id = reviewing.scheduler_id(conn, scheduler_config(self.scheduler), _iso(now))
        self.day = day or study_day(now, settings.rollover_hour)
        self.day_start = day_end_utc(self.day - dt.timedelta(days=1), settings.rollover_hour)
        self.day_end = day_end_utc(self.day, settings.rollover_hour)
        self.tally = SessionTally()
        self._undo: list[_Undo] = []
        self._front: deque[reviewing.ReviewCard] = deque()
        self._cram: list[reviewing.ReviewCard] = []
        self._queue: Queue | None = None  # the queue as last read, until this session changes something
        self._read_at: dt.datetime | None = None  # when its learning cards were last read
        if cram:
            self._cram = reviewing.cram_cards(conn, _iso(now), _iso(self.day_end), self.decks, limit or CRAM_LIMIT)

    # -- the queue ---------------------------------------------------------------------------

    def queue(self) -> Queue:
        """The cards this session shows from now on (not counting cards brought back by undo)."""
        self._queue = build_queue(
            self.conn,
            self.settings,
            self._now(),
            day=self.day,
            decks=self.decks,
            deck_order=self.deck_order,
            new_decks=self.new_decks,
            opened_at=self.opened_at,
        )
        return self._queue

    def next_card(self) -> reviewing.ReviewCard | None:
        """The card to show now, or None when the session is over. Until it is answered (or set
        aside) the same card comes back."""
        if self.limit is not None and self.tally.answered >= self.limit:
            return None
        if self._front:
            return self._front.popleft()
        if self.cram:
            return self._next_cram()
        head = self._current().first()
        if head is None or self._unchanged(head):
            return head
        self._queue, self._read_at = None, None  # another process answered or set it aside: read again
        return self._current().first()

    def _current(self) -> Queue:
        """The queue now: the last one read with its learning cards brought up to date, or read
        again when this session changed what it can't follow (see srs/queue.py)."""
        now = self._now()
        if self._queue is not None and self._read_at == now:
            return self._queue  # nothing changed since it was read, this very second
        if self._queue is not None:
            current = with_learning_now(self._queue, self.conn, self.settings, now, self.day, self.decks)
            if current is not None:
                self._queue, self._read_at = current, now
                return current
        self._read_at = now
        return self.queue()

    def _unchanged(self, card: reviewing.ReviewCard) -> bool:
        """The card is as the queue read it: same schedule, not suspended or buried since."""
        current = reviewing.card(self.conn, card.id)
        if current is None or (current.state, current.due) != (card.state, card.due):
            return False
        marks = reviewing.marks(self.conn, card.id)
        now = _iso(self._now())
        return not (marks and (marks["suspended"] or (marks["buried_until"] or "") > now))

    def requeue(self, card: reviewing.ReviewCard) -> None:
        """Show `card` again after any card already waiting in front (used after an undo)."""
        self._front.append(card)

    def remaining(self) -> dict[str, int]:
        """Cards left to show, the one on screen included: learning (due now or within the
        learn-ahead time), review and new."""
        if self.cram:
            return {"learning": 0, "review": len(self._cram), "new": 0}
        return self._current().counts.to_dict()

    def choices(self, card: reviewing.ReviewCard) -> list[str]:
        """A choice card's options in the order shown (and answered by number) today."""
        return shuffled_choices(card, self.day)

    def _next_cram(self) -> reviewing.ReviewCard | None:
        """The first cram card still there to practise (not suspended or buried meanwhile)."""
        now = _iso(self._now())
        while self._cram:
            current = reviewing.card(self.conn, self._cram[0].id)
            marks = reviewing.marks(self.conn, self._cram[0].id)
            hidden = marks and (marks["suspended"] or (marks["buried_until"] and marks["buried_until"] > now))
            if current is not None and not hidden:
                return current
            self._cram.pop(0)
        return None

    def _done_with(self, card: reviewing.ReviewCard) -> None:
        """The card was set aside: its place goes to the next card, so the queue is read again
        (and a cram card leaves the cram list)."""
        self._queue, self._read_at = None, None
        self._cram = [queued for queued in self._cram if queued.id != card.id]

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
            raise ValueError(f"rating should be 1-4, got {rating}")  # i18n: not shown (a bug)
        leech = False
        with write_transaction(self.conn):
            now = self._now()  # under the write lock: answers are timed in the order they commit
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
        # the card leaves its group (a leech too: suspended, it would not be read again either)
        self._queue = answered(self._queue, card) if self._queue is not None else None
        self._read_at = None
        self._cram = [queued for queued in self._cram if queued.id != card.id]
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
            self.tally.answered -= 1
            self.tally.by_rating[entry.rating] -= 1
            self.tally.seconds -= (entry.duration_ms or 0) / 1000
            if entry.mark_uids:
                self.tally.leeches.remove(f"{entry.card.deck}/{entry.card.note}")
        self._queue, self._read_at = None, None
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
        """Hide the card until the next study day (the session's, or today's if that is later)."""
        today_end = day_end_utc(study_day(self._now(), self.settings.rollover_hour), self.settings.rollover_hour)
        self._mark("bury", card, {"buried_until": _iso(max(self.day_end, today_end))})

    def flag(self, card: reviewing.ReviewCard, note: str) -> None:
        """Mark the card as wrong or unclear; `studyctl flags` lists it so the deck gets fixed."""
        self._mark("flag", card, {"flag_note": note or NO_FLAG_NOTE, "flagged_at": _iso(self._now())})

    def _mark(self, action: str, card: reviewing.ReviewCard, values: dict[str, Any]) -> None:
        with write_transaction(self.conn):
            uid = reviewing.write_marks(self.conn, card.id, values, at=_iso(self._now()))
        self._undo.append(_Undo(action, card, uid))
        if action != "flag":
            self._done_with(card)

    def _now(self) -> dt.datetime:
        """Whole seconds: the log stores seconds, and replay must compute with the same time."""
        return self.clock().astimezone(dt.timezone.utc).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return replay.iso(moment)
