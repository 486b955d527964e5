"""Turn a parsed roadmap file into a Roadmap: phases, tasks, budget, dependencies checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from studyctl.content.fields import Fields, describe, line_of
from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.roadmap import TASK_KINDS, WEEKDAYS, Budget, Phase, Roadmap, Task

ROADMAP_KEYS = {
    "id",
    "title",
    "title_zh",
    "summary",
    "source",
    "duration_days",
    "deadline",
    "budget",
    "phases",
}
PHASE_KEYS = {"id", "title", "title_zh", "weeks", "goal", "tasks"}
TASK_KEYS = {"id", "title", "title_zh", "kind", "minutes", "url", "after", "lab", "deck", "notes"}
BUDGET_KEYS = {"weekday", "weekend", *WEEKDAYS}


def load_roadmap(path: Path, cache=None) -> tuple[Roadmap, list[Issue]]:
    """Read a roadmap file. Raises ContentError if it has errors; returns warnings otherwise."""
    from studyctl.content.parsecache import load_through_cache

    return load_through_cache(path, roadmap_from_data, cache)


def roadmap_from_data(data, path: Path) -> tuple[Roadmap, list[Issue]]:
    issues: list[Issue] = []
    if not isinstance(data, dict):
        raise ContentError(
            [
                Issue(
                    path, 1, f"a roadmap file should be a mapping with 'id', 'title' and 'phases', got {describe(data)}"
                )
            ]
        )
    fields = Fields(data, path, issues, "roadmap")
    fields.unknown_keys(ROADMAP_KEYS)
    roadmap_id = fields.slug("id")
    if roadmap_id and roadmap_id != path.stem:
        fields.warn("id", f"roadmap id '{roadmap_id}' differs from the file name '{path.stem}'")
    budget_data = fields.get("budget", dict, default={})
    phases = _phases(fields.get("phases", list, required=True, default=[]), path, issues)
    _check_dependencies(phases, path, issues)
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    roadmap = Roadmap(
        id=roadmap_id,
        title=fields.text("title", required=True),
        path=path,
        phases=tuple(phases),
        budget=parse_budget(budget_data, path, issues, "budget") if budget_data else Budget(),
        title_zh=fields.text("title_zh"),
        summary=fields.text("summary"),
        source=fields.text("source"),
        duration_days=fields.positive("duration_days"),
        deadline=fields.get("deadline", dt.date),
    )
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    return roadmap, issues


def parse_budget(data, path: Path, issues: list[Issue], what: str, base: Budget | None = None) -> Budget:
    """Minutes per day: weekday/weekend plus optional mon..sun overrides (0 = a day off)."""
    fields = Fields(data, path, issues, what)
    fields.unknown_keys(BUDGET_KEYS, severity="error")
    base = base or Budget()
    minutes = {}
    for key in BUDGET_KEYS:
        value = fields.get(key, int)
        if value is not None and not 0 <= value <= 24 * 60:
            fields.error(key, f"{what}: '{key}' should be minutes between 0 and 1440, got {value}")
            value = None
        minutes[key] = value
    per_day = dict(base.per_day)
    per_day.update({i: minutes[day] for i, day in enumerate(WEEKDAYS) if minutes[day] is not None})
    return Budget(
        weekday=base.weekday if minutes["weekday"] is None else minutes["weekday"],
        weekend=base.weekend if minutes["weekend"] is None else minutes["weekend"],
        per_day=per_day,
    )


def _phases(raw_phases: list, path: Path, issues: list[Issue]) -> list[Phase]:
    phases = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_phases):
        line = line_of(raw_phases, index) or 0
        if not isinstance(raw, dict):
            issues.append(
                Issue(
                    path,
                    line,
                    f"phase #{index + 1}: should be a mapping with 'id', 'title' and 'tasks', got {describe(raw)}",
                )
            )
            continue
        fields = Fields(raw, path, issues, f"phase #{index + 1}")
        fields.unknown_keys(PHASE_KEYS)
        phase_id = fields.slug("id")
        if phase_id in seen:
            fields.error("id", f"duplicate phase id '{phase_id}' (first used on line {seen[phase_id]})")
        seen[phase_id] = line
        raw_tasks = fields.get("tasks", list, required=True, default=[])
        phases.append(
            Phase(
                id=phase_id,
                title=fields.text("title", required=True),
                tasks=tuple(_tasks(raw_tasks, phase_id, path, issues)),
                title_zh=fields.text("title_zh"),
                weeks=fields.positive("weeks"),
                goal=fields.text("goal"),
            )
        )
    return phases


def _tasks(raw_tasks: list, phase_id: str, path: Path, issues: list[Issue]) -> list[Task]:
    tasks = []
    for index, raw in enumerate(raw_tasks):
        line = line_of(raw_tasks, index) or 0
        if not isinstance(raw, dict):
            issues.append(
                Issue(path, line, f"task #{index + 1} of phase '{phase_id}': should be a mapping, got {describe(raw)}")
            )
            continue
        label = (
            f"task '{raw.get('id')}'" if isinstance(raw.get("id"), str) else f"task #{index + 1} of phase '{phase_id}'"
        )
        fields = Fields(raw, path, issues, label)
        fields.unknown_keys(TASK_KEYS)
        kind = fields.get("kind", str, required=True, default="read")
        if kind not in TASK_KINDS:
            fields.error("kind", f"{label}: 'kind' should be one of {', '.join(TASK_KINDS)}, got {kind!r}")
        lab = fields.slug("lab", required=kind == "lab")
        deck = fields.slug("deck", required=kind == "deck")
        tasks.append(
            Task(
                id=fields.slug("id"),
                title=fields.text("title", required=True),
                kind=kind,
                phase=phase_id,
                minutes=fields.positive("minutes", required=kind != "lab"),
                title_zh=fields.text("title_zh"),
                url=fields.text("url"),
                after=tuple(fields.strings("after")),
                lab=lab,
                deck=deck,
                notes=fields.text("notes"),
                line=line,
            )
        )
    return tasks


def _check_dependencies(phases: list[Phase], path: Path, issues: list[Issue]) -> None:
    """Task ids unique, `after` names known tasks, and no cycles (a cycle could never start)."""
    tasks: dict[str, Task] = {}
    for task in (task for phase in phases for task in phase.tasks):
        if task.id in tasks:
            issues.append(
                Issue(path, task.line, f"duplicate task id '{task.id}' (first used on line {tasks[task.id].line})")
            )
        tasks.setdefault(task.id, task)
    for task in tasks.values():
        for before in task.after:
            if before not in tasks:
                issues.append(Issue(path, task.line, f"task '{task.id}': 'after' names unknown task '{before}'"))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(task_id: str, trail: list[str]) -> None:
        state[task_id] = 1
        for before in tasks[task_id].after:
            if before not in tasks:
                continue
            if state.get(before) == 1:
                cycle = " -> ".join([*trail[trail.index(before) :], before]) if before in trail else before
                issues.append(Issue(path, tasks[task_id].line, f"task '{task_id}': dependency cycle {cycle}"))
            elif before not in state:
                visit(before, [*trail, before])
        state[task_id] = 2

    for task_id in tasks:
        if task_id not in state:
            visit(task_id, [task_id])
