"""Keep a check's result: one row in lab_runs, and, when the lab passed, every task of the
active roadmap that names this lab marked done (so `today` moves on)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studyctl.content.model.lab import Lab
from studyctl.labkit.result import RunResult


@dataclass
class Recorded:
    run_id: int
    roadmap: str = ""
    tasks_done: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def roadmap_tasks_for(roots, roadmap_id: str, lab_id: str) -> list[str]:
    """Ids of the tasks in roadmap `roadmap_id` that are this lab (kind: lab, lab: <id>).
    Raises ContentError when the roadmap file is broken."""
    from studyctl.content.files import find_file
    from studyctl.content.roadmaps import load_roadmap

    path = find_file(roots, "roadmap", roadmap_id)
    if path is None:
        return []
    roadmap, _ = load_roadmap(path)
    return [task.id for task in roadmap.tasks if task.kind == "lab" and task.lab == lab_id]


def record_result(
    conn, lab: Lab, result: RunResult, *, files_hash: str, started: dt.datetime, settings, roots
) -> Recorded:
    """Store `result`; on a pass, mark the active roadmap's tasks for this lab done."""
    from studyctl.clock import iso_utc, now_utc, study_day
    from studyctl.content.issues import ContentError
    from studyctl.store.labruns import insert_run, mark_tasks_done

    run_id = insert_run(
        conn,
        lab=lab.id,
        started_at=iso_utc(started),
        seconds=result.seconds,
        device=result.device,
        passed=result.passed,
        steps=[{"name": s.name, "status": s.status, "message": s.message, "seconds": s.seconds} for s in result.steps],
        metrics=result.metrics,
        files_hash=files_hash,
    )
    recorded = Recorded(run_id, roadmap=settings.roadmap)
    if not result.passed:
        return recorded
    try:
        tasks = roadmap_tasks_for(roots, settings.roadmap, lab.id)
    except ContentError as exc:
        recorded.warnings.append(f"roadmap '{settings.roadmap}' is broken, no task marked done: {exc.issues[0]}")
        return recorded
    now = now_utc()
    recorded.tasks_done = mark_tasks_done(
        conn,
        settings.roadmap,
        tasks,
        minutes=lab.minutes,
        day=study_day(now, settings.rollover_hour).isoformat(),
        logged_at=iso_utc(now),
    )
    return recorded


def lab_status(lab: Lab, last: dict | None, folder) -> str:
    """What `lab list` and the TUI call a lab: passed once ever, checked but failing, started
    (work in its folder) or not started."""
    from studyctl.labkit.workspace import has_work

    if last and last["ever_passed"]:
        return "passed"
    if last:
        return "failed"
    return "started" if has_work(lab, folder) else "not started"
