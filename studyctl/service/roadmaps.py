"""Roadmaps as the user follows them: which one is active, when it started and is due, what has
been done of it, and recording progress on its tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from studyctl.content.model.roadmap import Roadmap, Task
from studyctl.errors import NotFound, StudyctlError
from studyctl.planner.model import TaskProgress
from studyctl.planner.progress import RoadmapView, roadmap_view
from studyctl.service.home import Home

STATUSES = ("progress", "done", "skipped")


def find_roadmap(home: Home, roadmap_id: str) -> Roadmap:
    """The roadmap `roadmap_id`, parsed through the cache. Raises NotFound (with close matches)
    or ContentError (file:line) when its file is broken."""
    from studyctl.content.roadmaps import load_roadmap

    files = home.files("roadmap")
    if roadmap_id not in files:
        raise NotFound("roadmap", roadmap_id, files, listing="studyctl roadmap list")
    roadmap, _ = load_roadmap(files[roadmap_id], cache=home.parse_cache)
    return roadmap


def active_roadmap(home: Home) -> Roadmap:
    """The roadmap settings.yaml names (raises like find_roadmap)."""
    return find_roadmap(home, home.settings.roadmap)


def active_roadmap_or_none(home: Home, messages: list[str]) -> Roadmap | None:
    """The active roadmap, or None with a line in `messages` saying why it can't be used: the
    plan still shows cards when the roadmap is missing or broken."""
    try:
        return active_roadmap(home)
    except StudyctlError as exc:
        messages.extend(line.removeprefix("error: ") for line in exc.lines())
        return None


def progress_of(home: Home, roadmap_id: str) -> dict[str, TaskProgress]:
    from studyctl.store.queries import task_totals

    return {
        task: TaskProgress(minutes, done, skipped)
        for task, (minutes, done, skipped) in task_totals(home.conn, roadmap_id).items()
    }


def view_of(home: Home, roadmap: Roadmap) -> RoadmapView:
    return roadmap_view(roadmap, progress_of(home, roadmap.id))


def active_view(home: Home) -> RoadmapView | None:
    """The active roadmap with progress, or None when none loads (the screen says so)."""
    roadmap = active_roadmap_or_none(home, [])
    return view_of(home, roadmap) if roadmap is not None else None


# -- start and deadline, kept per roadmap ------------------------------------------------------


@dataclass(frozen=True)
class RoadmapDates:
    start: dt.date | None
    deadline: dt.date | None


def dates_of(home: Home, roadmap: Roadmap) -> RoadmapDates:
    """When `roadmap` was started and is due. Kept per roadmap in machine state, so switching to
    another roadmap and back keeps both; settings.yaml's start_date / deadline, when set, apply
    to the active roadmap and win. A roadmap with no deadline of its own is due its
    duration_days after the start."""
    settings = home.settings
    record = home.state(f"roadmaps/{roadmap.id}", {}) or {}
    start = _date(record.get("start"))
    deadline = _date(record.get("deadline"))
    if roadmap.id == settings.roadmap:
        start = settings.start_date or start
        deadline = settings.deadline or deadline
    if deadline is None:
        deadline = roadmap.deadline
    if deadline is None and start is not None and roadmap.duration_days:
        deadline = start + dt.timedelta(days=roadmap.duration_days - 1)
    return RoadmapDates(start, deadline)


def set_start(home: Home, roadmap_id: str, start: dt.date) -> None:
    record = dict(home.state(f"roadmaps/{roadmap_id}", {}) or {})
    home.remember(f"roadmaps/{roadmap_id}", {**record, "start": start.isoformat()})


def _date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) and text else None
    except (TypeError, ValueError):
        return None


# -- choosing a roadmap ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapSummary:
    id: str
    title: str
    title_zh: str
    active: bool
    phases: int
    tasks: int
    hours: int
    duration_days: int | None
    weekday_minutes: int
    weekend_minutes: int
    path: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RoadmapList:
    roadmaps: tuple[RoadmapSummary, ...]
    problems: tuple[str, ...]  # broken roadmap files, file:line

    def to_dict(self) -> list[dict[str, Any]]:
        return [roadmap.to_dict() for roadmap in self.roadmaps]


def list_roadmaps(home: Home) -> RoadmapList:
    """Every roadmap in the content folders that loads (a broken one is named in `problems`)."""
    from studyctl.content.issues import ContentError
    from studyctl.content.roadmaps import load_roadmap
    from studyctl.planner.tasks import task_minutes

    rows, problems = [], []
    active = home.settings.roadmap
    for path in home.files("roadmap").values():
        try:
            roadmap, _ = load_roadmap(path, cache=home.parse_cache)
        except ContentError as exc:
            problems += [str(issue) for issue in exc.issues if issue.is_error]
            continue
        rows.append(
            RoadmapSummary(
                id=roadmap.id,
                title=roadmap.title,
                title_zh=roadmap.title_zh,
                active=roadmap.id == active,
                phases=len(roadmap.phases),
                tasks=len(roadmap.tasks),
                hours=round(sum(task_minutes(t) for t in roadmap.tasks) / 60),
                duration_days=roadmap.duration_days,
                weekday_minutes=roadmap.budget.weekday,
                weekend_minutes=roadmap.budget.weekend,
                path=str(path),
            )
        )
    return RoadmapList(tuple(sorted(rows, key=lambda r: r.id)), tuple(problems))


def use_roadmap(
    home: Home, roadmap_id: str, *, start: dt.date | None = None, budget: dict[str, int] | None = None
) -> tuple[Roadmap, dt.date]:
    """Follow `roadmap_id` from now on. Its start is `start`, else the day it was first started
    (switching back keeps it), else today. settings.yaml's start_date / deadline belonged to the
    roadmap followed until now: they move into that roadmap's record."""
    roadmap = find_roadmap(home, roadmap_id)  # refused before anything is written
    settings = home.settings
    if settings.roadmap != roadmap.id and (settings.start_date or settings.deadline):
        old = dict(home.state(f"roadmaps/{settings.roadmap}", {}) or {})
        if settings.start_date:
            old["start"] = settings.start_date.isoformat()
        if settings.deadline:
            old["deadline"] = settings.deadline.isoformat()
        home.remember(f"roadmaps/{settings.roadmap}", old)
        settings = settings.with_changes(start_date=None, deadline=None)
    if settings.roadmap == roadmap.id and start is not None:
        settings = settings.with_changes(start_date=None)
    known = dates_of(home, roadmap).start if settings.roadmap == roadmap.id else None
    known = known or _date((home.state(f"roadmaps/{roadmap.id}", {}) or {}).get("start"))
    begin = start or known or home.today()
    set_start(home, roadmap.id, begin)
    changes: dict[str, Any] = {"roadmap": roadmap.id}
    if budget is not None:
        changes["budget"] = budget
    home.save_settings(settings.with_changes(**changes))
    return roadmap, begin


def ensure_started(home: Home, roadmap: Roadmap, messages: list[str]) -> None:
    """The first plan of a roadmap starts it today (said in `messages`)."""
    if dates_of(home, roadmap).start is None:
        set_start(home, roadmap.id, home.today())
        messages.append(f"Starting roadmap '{roadmap.id}' today ({home.today():%d %b %Y}).")


# -- progress on tasks -------------------------------------------------------------------------


def find_task(roadmap: Roadmap, task_id: str) -> Task:
    tasks = {task.id: task for task in roadmap.tasks}
    if task_id not in tasks:
        raise NotFound("task", task_id, tasks, where=f"roadmap '{roadmap.id}'", listing="studyctl roadmap show")
    return tasks[task_id]


@dataclass(frozen=True)
class TaskLogged:
    roadmap: str
    task: Task
    status: str
    minutes: int
    spent: int  # minutes logged on the task in all, this entry included
    total: int  # the task's estimated length


def record_task(home: Home, task_id: str, status: str, minutes: int | None = None) -> TaskLogged:
    """Log progress on a task of the active roadmap: 'progress' (minutes spent), 'done' (default
    minutes: what was left) or 'skipped', on the study day it is now."""
    from studyctl.clock import iso_utc
    from studyctl.planner.tasks import minutes_left, task_minutes
    from studyctl.store.tasks import log_task

    if status not in STATUSES:
        raise ValueError(f"status should be one of {STATUSES}, got {status!r}")
    if status == "progress" and not minutes:
        raise StudyctlError("logging partial progress needs the minutes you worked on it")
    roadmap = active_roadmap(home)
    task = find_task(roadmap, task_id)
    progress = progress_of(home, roadmap.id)
    if minutes is None:
        minutes = minutes_left(task, progress) if status == "done" else 0
    now = home.clock()
    log_task(home.conn, roadmap.id, task.id, status, minutes, home.today().isoformat(), iso_utc(now))
    spent = progress.get(task.id, TaskProgress()).minutes + minutes
    return TaskLogged(roadmap.id, task, status, minutes, spent, task_minutes(task))
