"""When will the roadmap be finished, and is that before the deadline?

Two projections: at the budget (what the plan promises), and at the pace the user actually
kept over the last PACE_DAYS days (what will happen if nothing changes). The verdict uses the
real pace once there is enough history, and says how many more minutes a day would get back
on track.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studyctl.content.model.roadmap import Budget, Roadmap
from studyctl.planner.model import TaskProgress
from studyctl.planner.tasks import minutes_left

HORIZON_DAYS = 5 * 365  # stop counting: at this pace the plan never ends
PACE_DAYS = 14  # the window for "minutes actually studied lately"
MIN_HISTORY_DAYS = 7  # below this, the pace is too noisy: judge by the budget


@dataclass(frozen=True)
class Forecast:
    minutes_left: int
    finish_at_budget: dt.date | None  # None: the budget is zero, or beyond the horizon
    deadline: dt.date | None
    pace_per_day: float | None = None  # minutes a day actually studied lately (None: too new)
    finish_at_pace: dt.date | None = None
    extra_minutes_per_day: int = 0  # more a day, over the pace, to make the deadline
    today: dt.date | None = None

    @property
    def finish(self) -> dt.date | None:
        """The finish the verdict is about: at the real pace when known, else at the budget."""
        return self.finish_at_pace if self.pace_per_day is not None else self.finish_at_budget

    @property
    def on_track(self) -> bool | None:
        if self.deadline is None or self.minutes_left == 0:
            return None if self.deadline is None else True
        return self.finish is not None and self.finish <= self.deadline

    @property
    def deadline_passed(self) -> bool:
        return bool(self.deadline and self.today and self.today > self.deadline and self.minutes_left)

    def to_dict(self) -> dict[str, Any]:
        def iso(day: dt.date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "minutes_left": self.minutes_left,
            "deadline": iso(self.deadline),
            "finish": iso(self.finish),
            "finish_at_budget": iso(self.finish_at_budget),
            "finish_at_pace": iso(self.finish_at_pace),
            "pace_per_day": round(self.pace_per_day, 1) if self.pace_per_day is not None else None,
            "on_track": self.on_track,
            "deadline_passed": self.deadline_passed,
            "extra_minutes_per_day": self.extra_minutes_per_day,
        }


def roadmap_deadline(roadmap: Roadmap, start: dt.date | None, override: dt.date | None) -> dt.date | None:
    """The user's deadline, else the roadmap's own, else start + the roadmap's duration."""
    if override:
        return override
    if roadmap.deadline:
        return roadmap.deadline
    if start and roadmap.duration_days:
        return start + dt.timedelta(days=roadmap.duration_days - 1)
    return None


def forecast(
    roadmap: Roadmap,
    progress: dict[str, TaskProgress],
    budget: Budget,
    today: dt.date,
    *,
    start: dt.date | None,
    deadline: dt.date | None,
    studied_minutes: float | None = None,
    days_off: frozenset[dt.date] = frozenset(),
) -> Forecast:
    """`studied_minutes`: roadmap and review minutes logged over the last PACE_DAYS days."""
    left = sum(minutes_left(task, progress) for task in roadmap.tasks)
    the_deadline = roadmap_deadline(roadmap, start, deadline)
    at_budget = _finish(left, today, lambda day: 0 if day in days_off else budget.minutes_on(day))
    pace = None
    if studied_minutes is not None and start is not None and (today - start).days >= MIN_HISTORY_DAYS:
        window = min(PACE_DAYS, (today - start).days)
        pace = studied_minutes / window
    at_pace = _finish(left, today, lambda day: pace) if pace else None
    extra = 0
    if the_deadline and today > the_deadline:
        pass  # past the deadline no rate makes it; the message says so and shows the finish
    elif the_deadline and left and pace is not None:
        days = max(1, (the_deadline - today).days + 1)
        extra = max(0, math.ceil(left / days - pace))
    elif the_deadline and left and at_budget and at_budget > the_deadline:
        days = max(1, (the_deadline - today).days + 1)
        extra = max(0, math.ceil(left / days - budget.minutes_per_week() / 7))
    return Forecast(left, at_budget, the_deadline, pace, at_pace, extra, today)


def _finish(minutes: float, today: dt.date, per_day: Callable[[dt.date], float | None]) -> dt.date | None:
    if minutes <= 0:
        return today
    day = today
    for _ in range(HORIZON_DAYS):
        minutes -= per_day(day) or 0
        if minutes <= 0:
            return day
        day += dt.timedelta(days=1)
    return None
