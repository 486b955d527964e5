"""When will the roadmap be finished at this pace, and is that before the deadline?

First version: assumes the user studies their budget every day from today. The planner issue
replaces the pace with the minutes actually studied lately.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from studyctl.content.model.roadmap import Budget, Roadmap
from studyctl.planner.tasks import minutes_left
from studyctl.store.queries import TaskProgress

HORIZON_DAYS = 5 * 365  # stop counting: at this pace the plan never ends


@dataclass(frozen=True)
class Forecast:
    minutes_left: int
    finish: dt.date | None  # None: the budget is zero, or the end is past the horizon
    deadline: dt.date | None

    @property
    def on_track(self) -> bool | None:
        if self.deadline is None:
            return None
        return self.finish is not None and self.finish <= self.deadline

    def to_dict(self) -> dict:
        return {
            "minutes_left": self.minutes_left,
            "finish": self.finish.isoformat() if self.finish else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "on_track": self.on_track,
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
) -> Forecast:
    left = sum(minutes_left(task, progress) for task in roadmap.tasks)
    finish = None
    if left == 0:
        finish = today
    elif budget.minutes_per_week() > 0:
        remaining, day = left, today
        for _ in range(HORIZON_DAYS):
            remaining -= budget.minutes_on(day)
            if remaining <= 0:
                finish = day
                break
            day += dt.timedelta(days=1)
    return Forecast(left, finish, roadmap_deadline(roadmap, start, deadline))
