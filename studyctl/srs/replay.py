"""Rebuild card states from the review log, the source of truth.

Each review names the scheduler config that computed it and the due time that was chosen
(after fuzz and load balancing), so replaying FSRS over the log reproduces every stored state
exactly. `studyctl db rebuild`, undo and device sync all use this.

The order of replay, the rule that makes every device end with the same states: a card's
reviews are replayed by `reviewed_at` (UTC, whole seconds, from the clock of the device that
answered), ties broken by the event uid. Every machine sorts the same set of reviews the same
way, so the result never depends on which device synced first, and it needs no agreement
between clocks. A device whose clock runs behind only changes where its own answers fall
among the others' (an answer is replayed at the time its device said it was given); nothing
is ever replayed before a review it is sorted after, so FSRS never sees time run backwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from fsrs import Scheduler

from studyctl.srs.scheduling import CardState, apply_rating, scheduler_from_config, with_due
from studyctl.store import journal, materialise, reviewing

if TYPE_CHECKING:
    import sqlite3

    from studyctl.store.journal_audit import JournalCheck


def replay_card(reviews: Iterable[sqlite3.Row], configs: dict[int, str], card_id: int) -> CardState | None:
    """The state after `reviews` (one card's, in order); None when there are none (new card)."""
    state = None
    schedulers = _schedulers(tuple(sorted(configs.items())))
    for review in reviews:
        at = dt.datetime.fromisoformat(review["reviewed_at"])
        scheduler = schedulers.get(review["scheduler_id"]) or _default_scheduler()
        state = apply_rating(scheduler, card_id, state, review["rating"], at, review["duration_ms"])
        if review["due_after"]:
            state = with_due(state, dt.datetime.fromisoformat(review["due_after"]))
    return state


@lru_cache(maxsize=1)
def _default_scheduler() -> Scheduler:
    """For a review whose scheduler config was lost (an old log): FSRS's defaults, no fuzz."""
    return Scheduler(enable_fuzzing=False)


@lru_cache(maxsize=8)
def _schedulers(configs: tuple[tuple[int, str], ...]) -> dict[int, Scheduler]:
    return {scheduler_id: scheduler_from_config(config) for scheduler_id, config in configs}


def to_row(state: CardState | None) -> reviewing.StateRow:
    if state is None:
        return reviewing.NEW
    return reviewing.StateRow(
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=iso(state.due),
        last_review=iso(state.last_review) if state.last_review else None,
        reps=state.reps,
        lapses=state.lapses,
    )


def from_row(row: reviewing.StateRow | None) -> CardState | None:
    """None for a new card: FSRS starts it fresh."""
    if row is None or row.state == "new":
        return None
    return CardState(
        state=row.state,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=dt.datetime.fromisoformat(row.due or ""),
        last_review=dt.datetime.fromisoformat(row.last_review) if row.last_review else None,
        reps=row.reps,
        lapses=row.lapses,
    )


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class RebuildReport:
    cards: int = 0
    reviews: int = 0
    differences: list[tuple[int, reviewing.StateRow | None, reviewing.StateRow]] = field(default_factory=list)
    journal: JournalCheck | None = None  # with --from-journal: what the live tables lacked or had extra


def rebuild(conn: sqlite3.Connection, *, write: bool, from_journal: bool = False) -> RebuildReport:
    """Replay the whole log; report cards whose stored state differs, and fix them if `write`.
    With `from_journal`, first compare (and repair) the live reviews, marks, task log and lab
    runs against the journal.

    Everything happens in one transaction: a write transaction when repairing (answers made
    meanwhile wait for it, then build on the repaired state: none is overwritten), a read
    transaction when only checking (one snapshot: an answer committed halfway through can't
    show up in the log but not in the states)."""
    from studyctl.store import journal_audit
    from studyctl.store.db import read_transaction, write_transaction

    with write_transaction(conn) if write else read_transaction(conn):
        found = None
        if from_journal:
            found = journal_audit.check(conn)
            if write and found.differences:
                journal_audit.repair(conn, found)
        report = _compare_states(conn)
        report.journal = found
        if write:
            for card_id, _, state in report.differences:
                reviewing.write_state(conn, card_id, state)
    return report


def _compare_states(conn: sqlite3.Connection) -> RebuildReport:
    configs = reviewing.scheduler_configs(conn)
    stored = reviewing.all_states(conn)
    report = RebuildReport()
    replayed: dict[int, reviewing.StateRow] = {}
    current_card = -1
    batch: list[sqlite3.Row] = []
    for review in reviewing.all_reviews(conn):
        if review["card_id"] != current_card and batch:
            replayed[current_card] = to_row(replay_card(batch, configs, current_card))
            batch = []
        current_card = review["card_id"]
        batch.append(review)
        report.reviews += 1
    if batch:
        replayed[current_card] = to_row(replay_card(batch, configs, current_card))
    report.cards = len(replayed)
    # every card has a state row: a missing one is damage, repaired with what the log says
    for card_id in sorted(set(stored) | set(replayed) | set(materialise.cards_without_state(conn))):
        expected = replayed.get(card_id, reviewing.NEW)
        if stored.get(card_id) != expected:
            report.differences.append((card_id, stored.get(card_id), expected))
    return report


# -- events from elsewhere ---------------------------------------------------------------------


def replay_cards(conn: sqlite3.Connection, card_ids: set[int]) -> None:
    """Write the replayed state of these cards (inside the caller's transaction)."""
    configs = reviewing.scheduler_configs(conn)
    histories = materialise.reviews_of(conn, sorted(card_ids))
    for card_id in card_ids:
        reviewing.write_state(conn, card_id, to_row(replay_card(histories.get(card_id, []), configs, card_id)))


def settle(conn: sqlite3.Connection, events: list[journal.Event]) -> materialise.Applied:
    """Apply events just added to the journal to the live tables and replay the cards they
    touched (inside the caller's transaction)."""
    applied = materialise.apply(conn, events)
    replay_cards(conn, applied.cards)
    return applied


def settle_waiting(conn: sqlite3.Connection) -> materialise.Applied:
    """Apply the events that waited for a card this machine now has (after a deck sync).
    Costs one query when nothing waits."""
    from studyctl.store.db import write_transaction

    if not materialise.waiting_count(conn):
        return materialise.Applied()
    with write_transaction(conn):
        return settle(conn, materialise.waiting_for_cards(conn))
