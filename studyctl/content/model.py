"""Plain dataclasses for content. No behaviour beyond small derived views."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

CARD_TYPES = ("basic", "cloze", "choice", "typed")
TASK_KINDS = ("read", "watch", "lab", "deck", "project", "competition", "practice")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True)
class Card:
    """One note from a deck file. A cloze card becomes one review card per deletion."""

    id: str
    type: str
    front: str  # for cloze: the text with {{cN::...}} deletions
    back: str = ""
    zh: str = ""
    refs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    answer: str = ""
    accept: tuple[str, ...] = ()
    tolerance: float | None = None
    line: int = 0

    @property
    def ordinals(self) -> list[int]:
        """Review cards this note makes: the cloze numbers, or [0] for other types."""
        if self.type != "cloze":
            return [0]
        return sorted({int(number) for number, _, _ in CLOZE.findall(self.front)})


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    path: Path
    cards: tuple[Card, ...]
    title_zh: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Lab:
    id: str
    title: str
    path: Path  # the lab's folder
    teaches: str = ""
    topic: str = ""
    minutes: int = 30
    time_limit: int = 120
    files: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
