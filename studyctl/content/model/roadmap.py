"""Roadmap content: phases of tasks, and the weekly time budget they are planned against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

TASK_KINDS = ("read", "watch", "lab", "deck", "project", "competition", "practice")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Budget:
    """Study minutes per day of week (Monday = 0)."""

    weekday: int = 60
    weekend: int = 120
    per_day: dict[int, int] = field(default_factory=dict)

    def minutes_on(self, day: dt.date) -> int:
        weekday = day.weekday()
        if weekday in self.per_day:
            return self.per_day[weekday]
        return self.weekend if weekday >= 5 else self.weekday

    def minutes_per_week(self) -> int:
        return sum(self.minutes_on(dt.date(2024, 1, 1) + dt.timedelta(days=i)) for i in range(7))


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    kind: str
    phase: str
    minutes: int | None = None
    title_zh: str = ""
    url: str = ""
    after: tuple[str, ...] = ()
    lab: str = ""
    deck: str = ""
    notes: str = ""
    line: int = 0


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    tasks: tuple[Task, ...]
    title_zh: str = ""
    weeks: int | None = None
    goal: str = ""


@dataclass(frozen=True)
class Roadmap:
    id: str
    title: str
    path: Path
    phases: tuple[Phase, ...]
    budget: Budget
    title_zh: str = ""
    summary: str = ""
    source: str = ""
    duration_days: int | None = None
    deadline: dt.date | None = None

    @property
    def tasks(self) -> list[Task]:
        return [task for phase in self.phases for task in phase.tasks]
