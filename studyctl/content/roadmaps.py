"""Turn a parsed roadmap file into a Roadmap: phases, tasks, budget, dependencies checked.

Besides each field's type, the loader checks what would make the plan impossible, all in one
run: a task that fits no day at the roadmap's budget, a task waiting for a later phase, a
`deadline` beside `duration_days`, required tasks that can't fit the roadmap's own span at its
own budget, and URLs that aren't web addresses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from studyctl.content.fields import Fields, describe, line_of
from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.roadmap import (
    MONDAY,
    SLOTS,
    TASK_KINDS,
    WEEKDAYS,
    Budget,
    Chunk,
    Part,
    Phase,
    Roadmap,
    Task,
    fits_slot,
)
from studyctl.i18n import _, ngettext

URL = re.compile(r"^https?://[^\s/:?#]+\.[^\s/:?#]+(:\d+)?([/?#]\S*)?$")
STRETCH = 0.15  # a day may run this much over its budget to finish a task (the planner's rule)

ROADMAP_KEYS = {
    "id",
    "title",
    "title_zh",
    "summary",
    "summary_zh",
    "source",
    "duration_days",
    "deadline",
    "budget",
    "phases",
}
PHASE_KEYS = {"id", "title", "title_zh", "weeks", "goal", "goal_zh", "tasks", "parallel"}
TASK_KEYS = {
    "id",
    "title",
    "title_zh",
    "kind",
    "minutes",
    "url",
    "after",
    "lab",
    "deck",
    "notes",
    "notes_zh",
    "optional",
    "slot",
    "chunk",
    "parts",
    "every",
}
CHUNK_KEYS = {"min", "max"}
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
                    path,
                    1,
                    _("a roadmap file should be a mapping with 'id', 'title' and 'phases', got {value}").format(
                        value=describe(data)
                    ),
                )
            ]
        )
    fields = Fields(data, path, issues, _("roadmap"))
    fields.unknown_keys(ROADMAP_KEYS)
    roadmap_id = fields.slug("id")
    if roadmap_id and roadmap_id != path.stem:
        fields.warn(
            "id", _("roadmap id '{id}' differs from the file name '{name}'").format(id=roadmap_id, name=path.stem)
        )
    budget_data = fields.get("budget", dict, default={})
    phases = _phases(fields.get("phases", list, required=True, default=[]), path, issues)
    _check_dependencies(phases, path, issues)
    budget = parse_budget(budget_data, path, issues, _("budget")) if budget_data else Budget()
    roadmap = Roadmap(
        id=roadmap_id,
        title=fields.text("title", required=True),
        path=path,
        phases=tuple(phases),
        budget=budget,
        title_zh=fields.text("title_zh"),
        summary=fields.text("summary"),
        summary_zh=fields.text("summary_zh"),
        source=fields.text("source"),
        duration_days=fields.positive("duration_days"),
        deadline=fields.get("deadline", dt.date),
    )
    if roadmap.deadline and roadmap.duration_days:
        fields.error(
            "deadline",
            _("roadmap: give either 'deadline' (a fixed date) or 'duration_days' (days from the start), not both"),
        )
    _check_phase_order(roadmap, path, issues)
    _check_fits_a_day(roadmap, path, issues)
    _check_span(roadmap, fields, issues)
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
            fields.error(
                key,
                _("{label}: '{key}' should be minutes between 0 and 1440, got {value}").format(
                    label=what, key=key, value=value
                ),
            )
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
                    _("phase #{number}: should be a mapping with 'id', 'title' and 'tasks', got {value}").format(
                        number=index + 1, value=describe(raw)
                    ),
                )
            )
            continue
        fields = Fields(raw, path, issues, _("phase #{number}").format(number=index + 1))
        fields.unknown_keys(PHASE_KEYS)
        phase_id = fields.slug("id")
        if phase_id in seen:
            fields.error(
                "id",
                _("duplicate phase id '{id}' (first used on line {line})").format(id=phase_id, line=seen[phase_id]),
            )
        seen[phase_id] = line
        raw_tasks = fields.get("tasks", list, required=True, default=[])
        parallel = fields.get("parallel", bool, default=False)
        if parallel and index == 0:
            fields.warn(
                "parallel",
                _("phase '{id}': the first phase has no phase before it to run beside").format(id=phase_id),
            )
        phases.append(
            Phase(
                id=phase_id,
                title=fields.text("title", required=True),
                tasks=tuple(_tasks(raw_tasks, phase_id, path, issues)),
                title_zh=fields.text("title_zh"),
                weeks=fields.positive("weeks"),
                goal=fields.text("goal"),
                goal_zh=fields.text("goal_zh"),
                parallel=parallel,
                line=line,
            )
        )
    return phases


def _tasks(raw_tasks: list, phase_id: str, path: Path, issues: list[Issue]) -> list[Task]:
    tasks = []
    for index, raw in enumerate(raw_tasks):
        line = line_of(raw_tasks, index) or 0
        if not isinstance(raw, dict):
            issues.append(
                Issue(
                    path,
                    line,
                    _("task #{number} of phase '{phase}': should be a mapping, got {value}").format(
                        number=index + 1, phase=phase_id, value=describe(raw)
                    ),
                )
            )
            continue
        label = (
            _("task '{id}'").format(id=raw.get("id"))
            if isinstance(raw.get("id"), str)
            else _("task #{number} of phase '{phase}'").format(number=index + 1, phase=phase_id)
        )
        fields = Fields(raw, path, issues, label)
        fields.unknown_keys(TASK_KEYS)
        kind = fields.get("kind", str, required=True, default="read")
        if kind not in TASK_KINDS:
            fields.error(
                "kind",
                _("{label}: '{key}' should be one of {choices}, got {value}").format(
                    label=label, key="kind", choices=", ".join(TASK_KINDS), value=repr(kind)
                ),
            )
        lab = fields.slug("lab", required=kind == "lab")
        deck = fields.slug("deck", required=kind == "deck")
        parts = _parts(fields, label)
        minutes = fields.positive("minutes", required=kind != "lab" and not parts)
        url = fields.text("url")
        if url and not URL.match(url):
            fields.error(
                "url",
                _("{label}: 'url' should be a web address (http:// or https://), got {value}").format(
                    label=label, value=repr(url)
                ),
            )
        slot = fields.get("slot", str, default="")
        if slot and slot not in SLOTS:
            fields.error(
                "slot",
                _("{label}: '{key}' should be one of {choices}, got {value}").format(
                    label=label, key="slot", choices=", ".join(SLOTS), value=repr(slot)
                ),
            )
            slot = ""
        tasks.append(
            Task(
                id=fields.slug("id"),
                title=fields.text("title", required=True),
                kind=kind,
                phase=phase_id,
                minutes=minutes,
                title_zh=fields.text("title_zh"),
                url=url,
                after=tuple(fields.strings("after")),
                lab=lab,
                deck=deck,
                notes=fields.text("notes"),
                notes_zh=fields.text("notes_zh"),
                line=line,
                optional=fields.get("optional", bool, default=False),
                slot=slot,
                chunk=_chunk(fields, label),
                parts=_spread(parts, minutes, fields, label),
                every=fields.positive("every"),
            )
        )
    return tasks


def _chunk(fields: Fields, label: str) -> Chunk | None:
    data = fields.get("chunk", dict)
    if data is None:
        return None
    chunk = Fields(data, fields.path, fields.issues, _("{label} chunk").format(label=label))
    chunk.unknown_keys(CHUNK_KEYS, severity="error")
    low, high = chunk.positive("min", required=True), chunk.positive("max", required=True)
    if low is None or high is None:
        return None
    if low > high:
        fields.error(
            "chunk",
            _("{label}: chunk 'min' ({low}) is more than 'max' ({high})").format(label=label, low=low, high=high),
        )
        return None
    return Chunk(low, high)


def _parts(fields: Fields, label: str) -> list[tuple[str, int | None]]:
    """(name, minutes or None) for each of `parts`: a name alone, or {name, minutes}."""
    raw = fields.get("parts", list, default=[])
    parts: list[tuple[str, int | None]] = []
    for index, item in enumerate(raw):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            parts.append((str(item), None))
            continue
        if not isinstance(item, dict):
            fields.error(
                "parts",
                _("{label}: part #{number} should be a name or {{name, minutes}}, got {value}").format(
                    label=label, number=index + 1, value=describe(item)
                ),
            )
            continue
        part = Fields(
            item, fields.path, fields.issues, _("{label} part #{number}").format(label=label, number=index + 1)
        )
        part.unknown_keys({"name", "minutes"}, severity="error")
        parts.append((part.text("name", required=True), part.positive("minutes")))
    return parts


def _spread(parts: list[tuple[str, int | None]], minutes: int | None, fields: Fields, label: str) -> tuple[Part, ...]:
    """Give parts without minutes an even share of what the task's minutes leave over."""
    if not parts:
        return ()
    given = sum(m for _, m in parts if m)
    unsized = [name for name, m in parts if not m]
    if unsized and minutes is None:
        fields.error(
            "parts", _("{label}: parts without minutes need the task's 'minutes' to share out").format(label=label)
        )
        return ()
    if minutes is not None and (given > minutes or (not unsized and given != minutes)):
        fields.error(
            "parts",
            _("{label}: the parts add up to {given} min but the task says {minutes}").format(
                label=label, given=given, minutes=minutes
            ),
        )
        return ()
    rest = (minutes or 0) - given
    share, extra = divmod(rest, len(unsized)) if unsized else (0, 0)
    if unsized and share == 0:
        fields.error(
            "parts",
            ngettext(
                "{label}: {rest} min is too little to share over {count} part",
                "{label}: {rest} min is too little to share over {count} parts",
                len(unsized),
            ).format(label=label, rest=rest, count=len(unsized)),
        )
        return ()
    result, index = [], 0
    for name, m in parts:
        if not m:
            m = share + (1 if index < extra else 0)
            index += 1
        result.append(Part(name, m))
    return tuple(result)


def _check_dependencies(phases: list[Phase], path: Path, issues: list[Issue]) -> None:
    """Task ids unique, `after` names known tasks, and no cycles (a cycle could never start)."""
    tasks: dict[str, Task] = {}
    for task in (task for phase in phases for task in phase.tasks):
        if task.id in tasks:
            issues.append(
                Issue(
                    path,
                    task.line,
                    _("duplicate task id '{id}' (first used on line {line})").format(
                        id=task.id, line=tasks[task.id].line
                    ),
                )
            )
        tasks.setdefault(task.id, task)
    for task in tasks.values():
        for before in task.after:
            if before not in tasks:
                issues.append(
                    Issue(
                        path,
                        task.line,
                        _("task '{id}': 'after' names unknown task '{before}'").format(id=task.id, before=before),
                    )
                )
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(task_id: str, trail: list[str]) -> None:
        state[task_id] = 1
        for before in tasks[task_id].after:
            if before not in tasks:
                continue
            if state.get(before) == 1:
                cycle = " -> ".join([*trail[trail.index(before) :], before]) if before in trail else before
                issues.append(
                    Issue(
                        path,
                        tasks[task_id].line,
                        _("task '{id}': dependency cycle {cycle}").format(id=task_id, cycle=cycle),
                    )
                )
            elif before not in state:
                visit(before, [*trail, before])
        state[task_id] = 2

    for task_id in tasks:
        if task_id not in state:
            visit(task_id, [task_id])


def _check_phase_order(roadmap: Roadmap, path: Path, issues: list[Issue]) -> None:
    """A task can't wait for a task of a later phase: phases run in order, so it would never start."""
    groups = roadmap.groups()
    tasks = {task.id: task for task in roadmap.tasks}
    for task in roadmap.tasks:
        for before in task.after:
            other = tasks.get(before)
            if other is not None and groups[other.phase] > groups[task.phase]:
                issues.append(
                    Issue(
                        path,
                        task.line,
                        _(
                            "task '{id}' waits for '{before}' of the later phase '{phase}': phases run "
                            "in order, so it would never start (move one of them, or mark the phase parallel: true)"
                        ).format(id=task.id, before=before, phase=other.phase),
                    )
                )


def _check_fits_a_day(roadmap: Roadmap, path: Path, issues: list[Issue]) -> None:
    """Every task needs a day long enough for its shortest block (or for all of it)."""
    for task in roadmap.tasks:
        if task.kind == "deck":
            continue  # done in card time, a few minutes a day
        longest = roadmap.budget.longest_day(task.slot)
        smallest = min(task.blocks.min, task.length)
        whole = task.length <= math.floor(longest * (1 + STRETCH))  # done in one (stretched) day
        if longest == 0 or not (whole or task.blocks.min <= longest):
            message = (
                _(
                    "task '{id}' fits no day: its shortest block is {smallest} min but the longest {slot} day of "
                    "the budget has {longest} min (lower chunk.min, or raise the budget)"
                )
                if task.slot
                else _(
                    "task '{id}' fits no day: its shortest block is {smallest} min but the longest day of "
                    "the budget has {longest} min (lower chunk.min, or raise the budget)"
                )
            )
            issues.append(
                Issue(
                    path,
                    task.line,
                    message.format(id=task.id, smallest=smallest, slot=task.slot, longest=longest),
                )
            )


def _check_span(roadmap: Roadmap, fields: Fields, issues: list[Issue]) -> None:
    """The required tasks must fit `duration_days` at the roadmap's own budget, by kind of day."""
    if not roadmap.duration_days:
        return
    days = [MONDAY + dt.timedelta(days=i) for i in range(roadmap.duration_days)]
    required = [task for task in roadmap.tasks if not task.optional]
    for slot in ("", *SLOTS):
        need = sum(task.length for task in required if not slot or task.slot == slot)
        have = sum(roadmap.budget.minutes_on(day) for day in days if fits_slot(slot, day))
        if need > have:
            span = roadmap.duration_days
            message = (
                ngettext(
                    "roadmap: the required {slot} tasks take {need:.0f} h but {days} day at "
                    "this budget gives {have:.0f} h of {slot} time: raise the budget, lengthen duration_days "
                    "or mark tasks optional: true",
                    "roadmap: the required {slot} tasks take {need:.0f} h but {days} days at "
                    "this budget give {have:.0f} h of {slot} time: raise the budget, lengthen duration_days "
                    "or mark tasks optional: true",
                    span,
                )
                if slot
                else ngettext(
                    "roadmap: the required tasks take {need:.0f} h but {days} day at "
                    "this budget gives {have:.0f} h of time: raise the budget, lengthen duration_days "
                    "or mark tasks optional: true",
                    "roadmap: the required tasks take {need:.0f} h but {days} days at "
                    "this budget give {have:.0f} h of time: raise the budget, lengthen duration_days "
                    "or mark tasks optional: true",
                    span,
                )
            )
            fields.error(
                "duration_days",
                message.format(slot=slot, need=need / 60, days=span, have=have / 60),
            )
            return
