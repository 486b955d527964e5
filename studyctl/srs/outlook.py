"""The review load ahead, from FSRS, for the planner's projection.

One card answered Good every time, through the user's scheduler (parameters, desired
retention, learning steps), gives the review curve: the days after its first day a new card
comes back, and the stability after each review. A card already seen is placed on that curve
by its stability, so its later reviews follow the same steps from its next due day. The curve
depends only on the review settings, so the service keeps it in machine state and `today`
doesn't import FSRS at all once it is there.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyctl.settings import ReviewSettings

CURVE_DAYS = 3 * 366  # as far as the planner projects
START = dt.datetime(2024, 1, 1, 18, 0, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class ReviewCurve:
    comeback_days: tuple[int, ...]  # days after its first day a new card is reviewed again
    stabilities: tuple[float, ...]  # stability (days) after each of those reviews
    answers_first_day: float  # answers a new card takes on its first day
    answers_per_review: float  # answers a review takes, relearning a forgotten card included

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewCurve:
        return cls(
            tuple(int(d) for d in data["comeback_days"]),
            tuple(float(s) for s in data["stabilities"]),
            float(data["answers_first_day"]),
            float(data["answers_per_review"]),
        )


def review_curve(review: ReviewSettings) -> ReviewCurve:
    """The Good path of one card through the user's FSRS scheduler."""
    from fsrs import Card, Rating

    from studyctl.srs.scheduling import make_scheduler

    scheduler = make_scheduler(review)
    card = Card(card_id=1, due=START)
    now = START
    days: list[int] = []
    stabilities: list[float] = []
    first_day_answers = 0
    while True:
        card, _ = scheduler.review_card(card, Rating.Good, review_datetime=now)
        now = card.due
        offset = (now.date() - START.date()).days
        if offset == 0:
            first_day_answers += 1
            continue
        if offset > CURVE_DAYS:
            break
        days.append(offset)
        stabilities.append(float(card.stability or 0.0))
    forgetting = 1 - review.desired_retention
    return ReviewCurve(
        comeback_days=tuple(days),
        stabilities=tuple(stabilities),
        answers_first_day=float(first_day_answers + 1 + len(review.learning_steps) * forgetting * 4),
        answers_per_review=1 + forgetting * (1 + len(review.relearning_steps)),
    )


def future_reviews(cards: Iterable[tuple[dt.date, int, int]], curve: ReviewCurve, last: dt.date) -> dict[dt.date, int]:
    """Reviews per day up to `last` of cards already seen, given as (next due day, stage on the
    curve, how many cards): the review on the due day, then the curve's later steps."""
    counts: dict[dt.date, int] = {}
    gaps = [b - a for a, b in zip(curve.comeback_days, curve.comeback_days[1:], strict=False)]
    for due, stage, number in cards:
        day, step = due, stage
        while day <= last:
            counts[day] = counts.get(day, 0) + number
            if step >= len(gaps):
                break
            day += dt.timedelta(days=gaps[step])
            step += 1
    return counts


def stage_of(curve: ReviewCurve, stability: float | None) -> int:
    """The stage of the curve a card with this stability has reached."""
    return max(0, bisect.bisect_right(curve.stabilities, stability or 0.0) - 1)
