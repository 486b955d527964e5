"""FSRS through the `fsrs` package, plus the parts studyctl owns.

The package runs with fuzz switched off; studyctl then moves a review interval inside the
package's own fuzz range to the day with the fewest cards due (easy days count double), and
logs the due time it chose. Replaying the log with the same scheduler config therefore gives
back every card's state exactly, fuzz and load balancing included.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from studyctl.i18n import N_, _

if TYPE_CHECKING:
    from studyctl.settings import ReviewSettings

STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
STATES = {name: state for state, name in STATE_NAMES.items()}
RATING_NAMES = {1: N_("Again"), 2: N_("Hard"), 3: N_("Good"), 4: N_("Easy")}  # shown through rating_name()


def rating_name(rating: int) -> str:
    """The rating's name in the interface language ("Good" / "良好")."""
    return _(RATING_NAMES[rating])


@dataclass(frozen=True)
class CardState:
    """A card's schedule as stored in card_state (a card with no row is new)."""

    state: str
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reps: int = 0
    lapses: int = 0

    def to_fsrs(self, card_id: int) -> FsrsCard:
        return FsrsCard(
            card_id=card_id,
            state=STATES[self.state],
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )


def make_scheduler(review_settings: ReviewSettings) -> Scheduler:
    """An fsrs Scheduler from the user's review settings, fuzz off (studyctl applies its own)."""
    learning = tuple(dt.timedelta(minutes=m) for m in review_settings.learning_steps)
    relearning = tuple(dt.timedelta(minutes=m) for m in review_settings.relearning_steps)
    if review_settings.fsrs_parameters:
        return Scheduler(
            parameters=review_settings.fsrs_parameters,
            desired_retention=review_settings.desired_retention,
            learning_steps=learning,
            relearning_steps=relearning,
            maximum_interval=review_settings.maximum_interval,
            enable_fuzzing=False,
        )
    return Scheduler(
        desired_retention=review_settings.desired_retention,
        learning_steps=learning,
        relearning_steps=relearning,
        maximum_interval=review_settings.maximum_interval,
        enable_fuzzing=False,
    )


def scheduler_config(scheduler: Scheduler) -> str:
    """Canonical JSON of a scheduler: the key under which reviews record what scheduled them."""
    return json.dumps(scheduler.to_dict(), sort_keys=True)


def scheduler_from_config(config: str) -> Scheduler:
    return Scheduler.from_dict(json.loads(config))


def apply_rating(
    scheduler: Scheduler, card_id: int, before: CardState | None, rating: int, at: dt.datetime, duration_ms: int | None
) -> CardState:
    """FSRS's next state for one answer (the due time is FSRS's own, unfuzzed)."""
    card = before.to_fsrs(card_id) if before else FsrsCard(card_id=card_id, due=at)
    after, _ = scheduler.review_card(card, Rating(rating), review_datetime=at, review_duration=duration_ms)
    lapse = before is not None and before.state == "review" and rating == Rating.Again
    return CardState(
        state=STATE_NAMES[after.state],
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
        reps=(before.reps if before else 0) + 1,
        lapses=(before.lapses if before else 0) + int(lapse),
    )


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """The interval range FSRS's own fuzz would draw from (same constants as the package)."""
    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0
    for band in FUZZ_RANGES:
        delta += band["factor"] * max(min(float(interval_days), band["end"]) - band["start"], 0.0)
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), maximum_interval)
    return min(low, high), high


def balanced_due(
    state: CardState,
    at: dt.datetime,
    *,
    maximum_interval: int,
    loads: Callable[[dt.date, dt.date], dict[dt.date, int]],
    study_day: Callable[[dt.datetime], dt.date],
    easy_days: tuple[int, ...] = (),
    rng: random.Random | None = None,
) -> dt.datetime:
    """Move a review-state due time, within the fuzz range, to the least loaded study day.

    `loads(first, last)` gives the cards already due per study day in that range (days with
    none may be missing). An easy day's load counts double, so it
    only gets cards when the other days are twice as busy. Ties go to a random candidate, so
    cards learned together drift apart (the point of fuzz).
    """
    if state.state != "review":
        return state.due
    interval = round((state.due - at) / dt.timedelta(days=1))
    low, high = fuzz_range(interval, maximum_interval)
    if low == high:
        return at + dt.timedelta(days=low)
    candidates = {days: study_day(at + dt.timedelta(days=days)) for days in range(low, high + 1)}
    counts = loads(candidates[low], candidates[high])  # one query for the whole range
    best: list[int] = []
    best_load = math.inf
    for days, day in candidates.items():
        easy = day.weekday() in easy_days
        weighted = counts.get(day, 0) * (2 if easy else 1) + easy  # an easy day loses ties too
        if weighted < best_load:
            best, best_load = [days], weighted
        elif weighted == best_load:
            best.append(days)
    chosen = (rng or random).choice(best)
    return at + dt.timedelta(days=chosen)


def with_due(state: CardState, due: dt.datetime) -> CardState:
    return replace(state, due=due)


def describe_interval(delta: dt.timedelta) -> str:
    """'10m', '3h', '4d', '2.5mo', '1.2y' ('10分钟', '3小时', '4天', '2.5个月', '1.2年'): how long
    until a card comes back."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 3600:
        return _("{minutes}m").format(minutes=max(1, round(seconds / 60)))
    if seconds < 86400:
        return _("{hours}h").format(hours=round(seconds / 3600))
    days = seconds / 86400
    if days < 30:
        return _("{days}d").format(days=round(days))
    if days < 365:
        return _("{months:.1f}mo").format(months=days / 30)
    return _("{years:.1f}y").format(years=days / 365)
