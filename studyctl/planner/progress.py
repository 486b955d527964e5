"""A roadmap with what the user has done of it: the phases and tasks that `roadmap show` prints
and the TUI's roadmap and today screens draw, and the one place that records progress on a task
(`done`, `skip`, and the roadmap screen's keys).

`roadmap_view` is a pure function of a roadmap and its progress; `record_task` writes one line
to the task log through the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from studyctl.content.model.roadmap import Roadmap
from studyctl.planner.tasks import task_minutes
from studyctl.store.queries import TaskProgress

STATUSES = ("open", "started", "done", "skipped")


def task_status(progress: TaskProgress) -> str:
    return "done" if progress.done else "skipped" if progress.skipped else "started" if progress.minutes else "open"


def roadmap_view(roadmap: Roadmap, progress: dict[str, TaskProgress]) -> dict:
    """The roadmap as plain data: {id, title, phases: [{id, title, weeks, tasks: [...]}]}.

    Each task carries its minutes, the minutes spent and its status (open, started, done,
    skipped); this is also the JSON of `studyctl roadmap show --json`."""
    phases = []
    for phase in roadmap.phases:
        tasks = []
        for task in phase.tasks:
            p = progress.get(task.id, TaskProgress())
            tasks.append(
                {
                    "id": task.id,
                    "title": task.title,
                    "kind": task.kind,
                    "minutes": task_minutes(task),
                    "spent": p.minutes,
                    "status": task_status(p),
                    "url": task.url,
                    "after": list(task.after),
                    "deck": task.deck,
                    "lab": task.lab,
                }
            )
        phases.append({"id": phase.id, "title": phase.title, "weeks": phase.weeks, "tasks": tasks})
    return {"id": roadmap.id, "title": roadmap.title, "phases": phases}


def finished_minutes(tasks: list[dict]) -> tuple[int, int]:
    """(minutes finished, minutes in all) over tasks of `roadmap_view`: done and skipped tasks
    count whole, started ones by the minutes spent (at most their length)."""
    total = sum(t["minutes"] for t in tasks)
    finished = sum(t["minutes"] for t in tasks if t["status"] in ("done", "skipped"))
    finished += sum(min(t["spent"], t["minutes"]) for t in tasks if t["status"] == "started")
    return finished, total


def record_task(
    conn,
    roadmap_id: str,
    task_id: str,
    status: str,
    minutes: int,
    rollover_hour: int,
    *,
    clock: Callable[[], dt.datetime] | None = None,
) -> None:
    """Log progress on a task: 'progress' (minutes spent), 'done' or 'skipped', on the study
    day the clock says it is."""
    from studyctl.clock import iso_utc, now_utc, study_day
    from studyctl.store.queries import log_task

    if status not in ("progress", "done", "skipped"):
        raise ValueError(f"status should be progress, done or skipped, got {status!r}")
    now = (clock or now_utc)()
    day = study_day(now, rollover_hour).isoformat()
    log_task(conn, roadmap_id, task_id, status, minutes, day, iso_utc(now))
