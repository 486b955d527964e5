"""A roadmap with progress as text (`studyctl roadmap show`): phases with their goal, tasks
with their marks, and the guidance the roadmap gives for each (its title in the other
language, where to find it, notes)."""

from __future__ import annotations

from studyctl.i18n import N_, _, localized, ngettext
from studyctl.planner.progress import RoadmapView, TaskView
from studyctl.presentation.words import join, kind_label, other_title, wrap

MARKS = {"done": "[x]", "skipped": "[-]", "started": "[~]", "open": "[ ]"}
SLOTS = {"weekday": N_("weekdays"), "weekend": N_("weekends")}
INDENT = " " * 8


def _beside(item: object) -> str:
    """The title in the other language, two spaces after the localized one ("" when none)."""
    other = other_title(item)
    return f"  {other}" if other else ""


def roadmap_lines(view: RoadmapView) -> list[str]:
    lines = [f"{localized(view)} ({view.id}){_beside(view)}"]
    if view.summary or view.summary_zh:
        lines += wrap(localized(view, "summary"), "", "")
    for phase in view.phases:
        details = [phase.id]
        if phase.weeks:
            details.append(ngettext("{count} week", "{count} weeks", phase.weeks).format(count=phase.weeks))
        if phase.parallel:
            details.append(_("beside the phase before"))
        head = _("{title} ({details}){other}: {percent}% of {hours:.0f} h").format(
            title=localized(phase),
            details=join(details),
            other=_beside(phase),
            percent=phase.percent,
            hours=phase.total_minutes / 60,
        )
        lines.append("\n" + head)
        if phase.goal or phase.goal_zh:
            goal = _("Goal: {goal}").format(goal=localized(phase, "goal"))
            lines += wrap(goal, "  ", "    ")
        for task in phase.tasks:
            lines += task_lines(task)
    return lines


def task_lines(task: TaskView) -> list[str]:
    if task.status == "started":
        spent = _("{spent}/{minutes} min").format(spent=task.spent, minutes=task.minutes)
    else:
        spent = _("{minutes} min").format(minutes=task.minutes)
    flags = [kind_label(task.kind), spent]
    if task.optional:
        flags.append(_("optional"))
    if task.slot:
        flags.append(_(SLOTS[task.slot]) if task.slot in SLOTS else f"{task.slot}s")
    if task.every:
        flags.append(ngettext("every {count} day", "every {count} days", task.every).format(count=task.every))
    if task.status in ("open", "started") and task.ready:
        flags.append(_("ready"))
    line = _("{id}: {title} ({flags})").format(id=task.id, title=localized(task), flags=join(flags))
    lines = [f"  {MARKS[task.status]} {line}"]
    other = other_title(task)
    if other:
        lines.append(f"{INDENT}{other}")
    if task.parts:
        parts = _("parts: {parts}").format(parts=", ".join(task.parts))
        lines += wrap(parts, INDENT)
    if task.lab:
        where = f"studyctl lab start {task.lab}"  # i18n: not shown (a command)
    elif task.deck:
        where = _("studyctl review (deck {deck})").format(deck=task.deck)
    else:
        where = task.url
    if where:
        lines.append(f"{INDENT}{where}")
    if task.lab and task.url:
        lines.append(f"{INDENT}{task.url}")
    notes = localized(task, "notes")
    if notes:
        lines += wrap(notes, INDENT)
    if task.after and task.status == "open" and not task.ready:
        lines.append(INDENT + _("after: {tasks}").format(tasks=", ".join(task.after)))
    return lines
