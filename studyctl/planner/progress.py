"""A roadmap with what the user has done of it: the phases and tasks that `roadmap show` prints
and the TUI's roadmap and today screens draw.

`roadmap_view` is a pure function of a roadmap and its progress; recording progress is the
service layer's job (service/roadmaps.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from studyctl.content.model.roadmap import Roadmap
from studyctl.planner.model import NOTHING_DONE, TaskProgress
from studyctl.planner.tasks import length, readiness

STATUSES = ("open", "started", "done", "skipped")


def task_status(progress: TaskProgress) -> str:
    return "done" if progress.done else "skipped" if progress.skipped else "started" if progress.minutes else "open"


@dataclass(frozen=True)
class TaskView:
    id: str
    title: str
    kind: str
    minutes: int
    spent: int
    status: str  # open | started | done | skipped
    url: str = ""
    after: tuple[str, ...] = ()
    deck: str = ""
    lab: str = ""
    title_zh: str = ""
    notes: str = ""
    optional: bool = False
    slot: str = ""
    parts: tuple[str, ...] = ()
    every: int | None = None
    ready: bool = False  # can be worked on now (prerequisites and earlier phases finished)
    notes_zh: str = ""

    @property
    def finished(self) -> bool:
        return self.status in ("done", "skipped")

    @property
    def minutes_left(self) -> int:
        return 0 if self.finished else max(0, self.minutes - self.spent)


@dataclass(frozen=True)
class PhaseView:
    id: str
    title: str
    weeks: int | None
    tasks: tuple[TaskView, ...]
    title_zh: str = ""
    goal: str = ""
    parallel: bool = False
    goal_zh: str = ""

    @property
    def finished_minutes(self) -> int:
        """Done and skipped tasks count whole, started ones by the minutes spent (at most their length)."""
        return sum(t.minutes if t.finished else min(t.spent, t.minutes) for t in self.tasks)

    @property
    def total_minutes(self) -> int:
        return sum(t.minutes for t in self.tasks)

    @property
    def percent(self) -> int:
        return self.finished_minutes * 100 // max(self.total_minutes, 1)


@dataclass(frozen=True)
class RoadmapView:
    id: str
    title: str
    phases: tuple[PhaseView, ...]
    title_zh: str = ""
    summary: str = ""
    summary_zh: str = ""

    @property
    def tasks(self) -> list[TaskView]:
        return [task for phase in self.phases for task in phase.tasks]

    def task(self, task_id: str) -> TaskView | None:
        return next((task for task in self.tasks if task.id == task_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `studyctl roadmap show --json`."""
        data = asdict(self)
        for phase, view in zip(data["phases"], self.phases, strict=True):
            phase.update(finished_minutes=view.finished_minutes, total_minutes=view.total_minutes)
        return data


def roadmap_view(roadmap: Roadmap, progress: dict[str, TaskProgress]) -> RoadmapView:
    """The roadmap with each task's minutes, the minutes spent and its status. `progress` has
    deck tasks' card time folded in (tasks.with_decks) when the caller knows it."""
    ready = {task.id for task in readiness(roadmap, progress).ready}
    phases = []
    for phase in roadmap.phases:
        tasks = []
        for task in phase.tasks:
            p = progress.get(task.id, NOTHING_DONE)
            tasks.append(
                TaskView(
                    id=task.id,
                    title=task.title,
                    kind=task.kind,
                    minutes=length(task, p),
                    spent=p.minutes,
                    status=task_status(p),
                    url=task.url,
                    after=tuple(task.after),
                    deck=task.deck,
                    lab=task.lab,
                    title_zh=task.title_zh,
                    notes=task.notes,
                    optional=task.optional,
                    slot=task.slot,
                    parts=tuple(part.name for part in task.parts),
                    every=task.every,
                    ready=task.id in ready,
                    notes_zh=task.notes_zh,
                )
            )
        phases.append(
            PhaseView(
                phase.id,
                phase.title,
                phase.weeks,
                tuple(tasks),
                phase.title_zh,
                phase.goal,
                phase.parallel,
                goal_zh=phase.goal_zh,
            )
        )
    return RoadmapView(roadmap.id, roadmap.title, tuple(phases), roadmap.title_zh, roadmap.summary, roadmap.summary_zh)
