"""When will the roadmap be finished, and is that before the deadline?

The finish "at budget" is not a division: it is the last day of the day-by-day projection
(project.py), the same days `plan --days N` shows, with the review load taken off each day
first. Beside it, the finish at the pace the learner really kept (task minutes logged a day,
smoothed over the last weeks). The verdict is in Beeminder's terms: how many safe days of
buffer are left before the deadline, or how many days behind the plan is and what it takes
to catch up ("+M min a day for D days").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PACE_DAYS = 28  # the window for "minutes actually studied lately"
HALF_LIFE_DAYS = 7  # a day a week ago counts half as much as yesterday
MIN_HISTORY_DAYS = 7  # below this, the pace is too noisy to show
HORIZON_DAYS = 3 * 366  # stop projecting: at this budget the plan never ends


@dataclass(frozen=True)
class Forecast:
    today: dt.date
    minutes_left: int  # roadmap minutes the projection still plans (required, and optional kept)
    finish_at_budget: dt.date | None  # None: not within HORIZON_DAYS (or stuck)
    deadline: dt.date | None
    pace_per_day: float | None = None  # task minutes a day lately, smoothed (None: too little history)
    finish_at_pace: dt.date | None = None
    safe_days: int | None = None  # on track: days of buffer before the deadline
    days_behind: int | None = None  # behind: days the finish at budget is after the deadline
    extra_minutes_per_day: int = 0  # behind: this much more a day ...
    extra_days: int = 0  # ... on each of this many study days until the deadline
    dropped: tuple[str, ...] = ()  # optional tasks dropped to make the deadline
    dropped_minutes: int = 0
    stuck: tuple[str, ...] = ()  # tasks no day of the budget can take
    history_days: int = 0  # days since the start (for "no pace yet")

    @property
    def finish(self) -> dt.date | None:
        return self.finish_at_budget

    @property
    def finished(self) -> bool:
        return self.minutes_left == 0

    @property
    def on_track(self) -> bool | None:
        if self.deadline is None:
            return None
        if self.finished:
            return True
        return self.finish is not None and self.finish <= self.deadline

    @property
    def deadline_passed(self) -> bool:
        return bool(self.deadline and self.today > self.deadline and not self.finished)

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
            "safe_days": self.safe_days,
            "days_behind": self.days_behind,
            "deadline_passed": self.deadline_passed,
            "extra_minutes_per_day": self.extra_minutes_per_day,
            "extra_days": self.extra_days,
            "dropped": list(self.dropped),
            "dropped_minutes": self.dropped_minutes,
            "stuck": list(self.stuck),
        }


def roadmap_deadline(duration_days: int | None, fixed: dt.date | None, start: dt.date | None) -> dt.date | None:
    """The roadmap's own deadline: a fixed date, else start + its duration."""
    if fixed:
        return fixed
    if start and duration_days:
        return start + dt.timedelta(days=duration_days - 1)
    return None


def pace(minutes_by_day: Mapping[dt.date, int], today: dt.date, start: dt.date | None) -> float | None:
    """Task minutes a day over the days before `today` since the start (at most PACE_DAYS),
    weighted so recent days count more. None with under MIN_HISTORY_DAYS of history."""
    if start is None:
        return None
    days = min(PACE_DAYS, (today - start).days)
    if days < MIN_HISTORY_DAYS:
        return None
    weights = [0.5 ** (age / HALF_LIFE_DAYS) for age in range(1, days + 1)]
    minutes = [minutes_by_day.get(today - dt.timedelta(days=age), 0) for age in range(1, days + 1)]
    return float(sum(w * m for w, m in zip(weights, minutes, strict=True)) / sum(weights))


def finish_at(minutes: int, today: dt.date, per_day: float | None) -> dt.date | None:
    """The day `minutes` are done at `per_day` minutes every day from today (None: never)."""
    if minutes <= 0:
        return today
    if not per_day or per_day <= 0:
        return None
    days = math.ceil(minutes / per_day)
    return today + dt.timedelta(days=days - 1) if days <= HORIZON_DAYS else None
