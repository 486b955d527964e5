"""A roadmap with progress as text (`studyctl roadmap show`): phases with their goal, tasks
with their marks, and the guidance the roadmap gives for each (Chinese title, where to find it,
notes)."""

from __future__ import annotations

import textwrap

from studyctl.planner.progress import RoadmapView, TaskView

MARKS = {"done": "[x]", "skipped": "[-]", "started": "[~]", "open": "[ ]"}
INDENT = " " * 8


def roadmap_lines(view: RoadmapView) -> list[str]:
    lines = [f"{view.title} ({view.id})" + (f"  {view.title_zh}" if view.title_zh else "")]
    for phase in view.phases:
        weeks = f", {phase.weeks} weeks" if phase.weeks else ""
        beside = ", beside the phase before" if phase.parallel else ""
        zh = f"  {phase.title_zh}" if phase.title_zh else ""
        lines.append(
            f"\n{phase.title} ({phase.id}{weeks}{beside}){zh}: {phase.percent}% of {phase.total_minutes / 60:.0f} h"
        )
        if phase.goal:
            lines += textwrap.wrap(f"Goal: {phase.goal}", 100, initial_indent="  ", subsequent_indent="    ")
        for task in phase.tasks:
            lines += task_lines(task)
    return lines


def task_lines(task: TaskView) -> list[str]:
    spent = f"{task.spent}/{task.minutes} min" if task.status == "started" else f"{task.minutes} min"
    flags = [task.kind, spent]
    if task.optional:
        flags.append("optional")
    if task.slot:
        flags.append(f"{task.slot}s")
    if task.every:
        flags.append(f"every {task.every} days")
    if task.status in ("open", "started") and task.ready:
        flags.append("ready")
    lines = [f"  {MARKS[task.status]} {task.id}: {task.title} ({', '.join(flags)})"]
    if task.title_zh:
        lines.append(f"{INDENT}{task.title_zh}")
    if task.parts:
        lines += textwrap.wrap("parts: " + ", ".join(task.parts), 100, initial_indent=INDENT, subsequent_indent=INDENT)
    where = (
        f"studyctl lab start {task.lab}"
        if task.lab
        else f"studyctl review (deck {task.deck})"
        if task.deck
        else task.url
    )
    if where:
        lines.append(f"{INDENT}{where}")
    if task.lab and task.url:
        lines.append(f"{INDENT}{task.url}")
    if task.notes:
        lines += textwrap.wrap(task.notes, 100, initial_indent=INDENT, subsequent_indent=INDENT)
    if task.after and task.status == "open" and not task.ready:
        lines.append(f"{INDENT}after: {', '.join(task.after)}")
    return lines
