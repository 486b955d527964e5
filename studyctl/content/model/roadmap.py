"""Roadmap content: phases of tasks, and the weekly time budget they are planned against.

Besides its length, a task says how it may be cut into evening-sized blocks (`chunk`, `parts`),
which kind of day it belongs to (`slot`), whether the plan may drop it when behind (`optional`)
and, for a habit such as writing notes, how many days apart its blocks come (`every`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

TASK_KINDS = ("read", "watch", "lab", "deck", "project", "competition", "practice")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOTS = ("weekday", "weekend")

DEFAULT_LAB_MINUTES = 45
DEFAULT_TASK_MINUTES = 30
# Blocks a task is cut into when the roadmap doesn't say: long enough to get into the material,
# short enough that one resource doesn't eat a whole weekend day.
DEFAULT_CHUNK_MIN = 20
DEFAULT_CHUNK_MAX = 180


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
        return sum(self.minutes_on(MONDAY + dt.timedelta(days=i)) for i in range(7))

    def longest_day(self, slot: str = "") -> int:
        """The most minutes any day of the week has (of `slot`'s days when given)."""
        days = [MONDAY + dt.timedelta(days=i) for i in range(7)]
        return max((self.minutes_on(day) for day in days if fits_slot(slot, day)), default=0)


MONDAY = dt.date(2024, 1, 1)


def fits_slot(slot: str, day: dt.date) -> bool:
    """Whether a task of `slot` (weekday, weekend or none) may be planned on `day`."""
    if slot == "weekday":
        return day.weekday() < 5
    if slot == "weekend":
        return day.weekday() >= 5
    return True


@dataclass(frozen=True)
class Chunk:
    """The shortest and longest block of a task in one day, in minutes."""

    min: int
    max: int


@dataclass(frozen=True)
class Part:
    """A named unit of a task (a lecture, a chapter): long tasks split at these."""

    name: str
    minutes: int


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
    notes_zh: str = ""
    line: int = 0
    optional: bool = False
    slot: str = ""  # "" any day, "weekday" or "weekend"
    chunk: Chunk | None = None
    parts: tuple[Part, ...] = ()
    every: int | None = None  # a habit: at most one block every this many days

    @property
    def length(self) -> int:
        """The estimated minutes: given, else the parts' sum, else a default for the kind."""
        if self.minutes:
            return self.minutes
        if self.parts:
            return sum(part.minutes for part in self.parts)
        return DEFAULT_LAB_MINUTES if self.kind == "lab" else DEFAULT_TASK_MINUTES

    @property
    def blocks(self) -> Chunk:
        """The block sizes the planner may give this task in one day."""
        if self.chunk is not None:
            return self.chunk
        low = min(DEFAULT_CHUNK_MIN, self.length)
        return Chunk(low, max(low, DEFAULT_CHUNK_MAX))

    @property
    def is_habit(self) -> bool:
        return self.every is not None


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    tasks: tuple[Task, ...]
    title_zh: str = ""
    weeks: int | None = None
    goal: str = ""
    goal_zh: str = ""
    parallel: bool = False  # runs beside the phase before it instead of after it
    line: int = 0


@dataclass(frozen=True)
class Roadmap:
    id: str
    title: str
    path: Path
    phases: tuple[Phase, ...]
    budget: Budget
    title_zh: str = ""
    summary: str = ""
    summary_zh: str = ""
    source: str = ""
    duration_days: int | None = None
    deadline: dt.date | None = None

    @property
    def tasks(self) -> list[Task]:
        return [task for phase in self.phases for task in phase.tasks]

    def phase_of(self, task: Task) -> Phase:
        return next(phase for phase in self.phases if phase.id == task.phase)

    def groups(self) -> dict[str, int]:
        """Phase id -> its place in the order: a parallel phase shares the place of the one
        before it; every other phase waits for all the phases of earlier places."""
        groups: dict[str, int] = {}
        group = -1
        for index, phase in enumerate(self.phases):
            group = group if phase.parallel and index else group + 1
            groups[phase.id] = group
        return groups
