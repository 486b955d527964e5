"""Rebuild card states from the review log, the source of truth.

Each review names the scheduler config that computed it and the due time that was chosen
(after fuzz and load balancing), so replaying FSRS over the log reproduces every stored state
exactly. `studyctl db rebuild` and undo both use this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from fsrs import Scheduler

from studyctl.srs.scheduling import CardState, apply_rating, scheduler_from_config, with_due
from studyctl.store import reviewing

if TYPE_CHECKING:
    import sqlite3


def replay_card(reviews: Iterable[sqlite3.Row], configs: dict[int, str], card_id: int) -> CardState | None:
    """The state after `reviews` (one card's, in order); None when there are none (new card)."""
    state = None
    schedulers = _schedulers(tuple(sorted(configs.items())))
    for review in reviews:
        at = dt.datetime.fromisoformat(review["reviewed_at"])
        state = apply_rating(
            schedulers[review["scheduler_id"]], card_id, state, review["rating"], at, review["duration_ms"]
        )
        if review["due_after"]:
            state = with_due(state, dt.datetime.fromisoformat(review["due_after"]))
    return state


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


def rebuild(conn: sqlite3.Connection, *, write: bool) -> RebuildReport:
    """Replay the whole log; report cards whose stored state differs, and fix them if `write`."""
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
    for card_id in set(stored) | set(replayed):
        # a card without reviews is new; a card missing its state row is damage, repaired as new
        expected = replayed.get(card_id) or reviewing.NEW
        if stored.get(card_id) != expected:
            report.differences.append((card_id, stored.get(card_id), expected))
    report.cards = len(replayed)
    for (card_id,) in conn.execute("SELECT id FROM cards WHERE id NOT IN (SELECT card_id FROM card_state)"):
        report.differences.append((card_id, None, reviewing.NEW))
    if write and report.differences:
        from studyctl.store.db import write_transaction

        with write_transaction(conn):
            for card_id, _, state in report.differences:
                reviewing.write_state(conn, card_id, state)
    return report
