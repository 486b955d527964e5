"""A simulated learner who reviews through the real ReviewSession, for tests and benchmarks.

The learner's memory follows FSRS with hidden parameters (`TRUE_PARAMETERS`, deliberately far
from the package defaults), so a review log made here has something for `studyctl optimize` to
find. Recall is drawn from that true memory at the moment of each answer (elapsed time counted
to the second); the ratings, answer times, days off and session start times vary with a seeded
random generator. The schedule itself is studyctl's: every answer goes through
`ReviewSession.answer` with a fake clock, so the log has the queue order, learning steps, daily
limits and load-balanced fuzz of real use.

Use it on a throwaway database: `new_store` makes one holding a single generated deck.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from studyctl.settings import Settings

START = dt.datetime(2026, 1, 5, 18, 0, tzinfo=dt.timezone.utc)  # a Monday evening

# The hidden memory of the simulated learner: concepts fade faster than FSRS-6's defaults assume
# (the learner's complaint that knowledge "stays on the surface"). First-day stabilities after Hard,
# Good and Easy about half the defaults', slower stability growth after a success (w8 1.0 against
# 1.87) and a steeper forgetting curve (decay 0.5 against 0.154).
TRUE_PARAMETERS = (
    0.2,  # initial stability after Again (days)
    0.6,  # ... after Hard
    1.0,  # ... after Good
    4.0,  # ... after Easy
    6.8,  # initial difficulty
    0.6,
    2.2,  # difficulty change per rating
    0.02,  # mean reversion of difficulty
    1.0,  # stability growth after a recall
    0.3,
    1.1,
    1.2,  # stability after a lapse
    0.09,
    0.35,
    1.9,
    0.4,  # Hard penalty
    2.4,  # Easy bonus
    0.7,  # short-term (same-day) stability
    0.3,
    0.1,
    0.5,  # decay of the forgetting curve
)


@dataclass(frozen=True)
class Learner:
    """How the simulated person answers, besides what their memory holds."""

    parameters: tuple[float, ...] = TRUE_PARAMETERS
    first_ratings: tuple[float, float, float, float] = (0.25, 0.15, 0.45, 0.15)  # a card never seen
    recalled_ratings: tuple[float, float, float] = (0.15, 0.72, 0.13)  # Hard, Good, Easy when recalled
    day_off: float = 0.12  # chance of skipping a day (real life)
    answer_seconds: tuple[int, int] = (3, 30)


@dataclass(frozen=True)
class SimulationResult:
    days: int
    reviews: int
    cards_seen: int
    seconds: float


def new_store(db_path: Path, cards: int, deck_id: str = "sim") -> sqlite3.Connection:
    """A fresh database at `db_path` with one deck of `cards` basic cards (its YAML file is written
    beside the database). Only for simulations: syncing one file retires every other deck."""
    from studyctl.store.db import connect
    from studyctl.store.sync import sync_decks

    folder = db_path.parent / "simulated-decks"
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / f"{deck_id}.yaml"
    lines = [f"id: {deck_id}", f"title: Simulated deck {deck_id}", "cards:"]
    lines += [f"  - {{id: c{i}, type: basic, front: 'Question {i}', back: 'Answer {i}'}}" for i in range(cards)]
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conn = connect(db_path)
    report = sync_decks(conn, [deck])
    if any(issue.is_error for issue in report.issues):  # pragma: no cover - the YAML above is fixed
        raise RuntimeError(f"simulated deck did not sync: {report.issues}")
    return conn


class _Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def simulate(
    conn: sqlite3.Connection,
    settings: Settings,
    *,
    days: int,
    learner: Learner | None = None,
    seed: int = 0,
    start: dt.datetime = START,
    max_reviews: int | None = None,
) -> SimulationResult:
    """Study every evening for `days` days (minus days off), answering every card the session
    offers, until `max_reviews` answers if given. Returns what was logged."""
    from fsrs import Card, Rating, Scheduler

    from studyctl.srs.session import ReviewSession

    learner = learner or Learner()
    began = time.perf_counter()
    rng = random.Random(seed)
    # The true memory: FSRS with the learner's parameters, no steps (only S and D matter here).
    memory = Scheduler(parameters=learner.parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    decay = -learner.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    cards: dict[int, Card] = {}
    clock = _Clock(start)
    reviews = 0
    for day in range(days):
        evening = start + dt.timedelta(days=day, minutes=rng.randint(0, 240))  # 18:00 to 22:00 UTC
        if rng.random() < learner.day_off:
            continue
        clock.now = evening
        session = ReviewSession(conn, settings, clock=clock, rng=random.Random(rng.random()))
        while (card := session.next_card()) is not None:
            now = clock.now
            true_card = cards.get(card.id)
            if true_card is None:
                rating = rng.choices((1, 2, 3, 4), weights=learner.first_ratings)[0]
                true_card = Card(card_id=card.id, due=now)
            else:
                elapsed = (now - (true_card.last_review or now)).total_seconds() / 86400
                recall = (1 + factor * elapsed / true_card.stability) ** decay
                recalled = rng.random() < recall
                rating = rng.choices((2, 3, 4), weights=learner.recalled_ratings)[0] if recalled else 1
            cards[card.id], _ = memory.review_card(true_card, Rating(rating), review_datetime=now)
            low, high = learner.answer_seconds
            duration_ms = int(rng.uniform(low, high) * (1.6 if rating == 1 else 1.0) * 1000)
            session.answer(card, rating, duration_ms=duration_ms)
            reviews += 1
            clock.now = now + dt.timedelta(milliseconds=duration_ms + rng.randint(1000, 4000))
            if max_reviews is not None and reviews >= max_reviews:
                return SimulationResult(day + 1, reviews, len(cards), time.perf_counter() - began)
    return SimulationResult(days, reviews, len(cards), time.perf_counter() - began)
