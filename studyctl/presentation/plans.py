"""Day plans, forecasts and the week ahead as text (`today --plain`, `plan --week`, the TUI's
today screen and forecast panel)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable

from studyctl.planner.day import DayPlan, PlannedTask
from studyctl.planner.forecast import MIN_HISTORY_DAYS, Forecast
from studyctl.store.queries import NEW_COUNT_CAP

INDENT = " " * 16


def plain(text: str) -> str:
    return text


def date(day: dt.date | None) -> str:
    return f"{day:%a %d %b %Y}" if day else "never"


def days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def format_plan(plan: DayPlan, bold: Callable[[str], str] = plain) -> str:
    """Today's plan as text read top to bottom (`studyctl today --plain`); `bold` styles headings."""
    heading = f"{plan.day:%A %d %B %Y}"
    if plan.roadmap_title:
        heading += f" - {plan.roadmap_title}"
        if plan.day_number and plan.day_number > 0:
            heading += f" (day {plan.day_number})"
    lines = [bold(heading), budget_line(plan)]
    if not plan.day_off:
        lines += ["", bold("Cards"), *card_lines(plan), "", bold("Tasks"), *task_lines(plan)]
    if plan.forecast:
        lines += ["", bold("Forecast"), *("  " + line for line in forecast_lines(plan.forecast, plan.roadmap_id))]
    for note in plan.notes:
        lines += ["", note]
    return "\n".join(lines)


def budget_line(plan: DayPlan) -> str:
    """ "Budget 120 min · studied today 35 min, 85 left · planned 85 min"."""
    return (
        f"Budget {plan.budget_minutes} min · studied today {plan.studied_minutes} min, {plan.left_minutes} left"
        f" · planned {plan.planned_minutes} min"
    )


def card_lines(plan: DayPlan) -> list[str]:
    due = f"{plan.reviews_planned} of {plan.reviews_due}" if plan.backlog_days else str(plan.reviews_due)
    unseen = f"{plan.new_available}+" if plan.new_available >= NEW_COUNT_CAP else str(plan.new_available)
    lines = [
        f"  {due:>4} reviews due{'':14}~{plan.review_minutes} min",
        f"  {plan.new_cards:>4} new cards ({unseen} not yet seen in your unlocked decks)  ~{plan.new_minutes} min",
    ]
    if plan.new_from:
        lines.append(f"{INDENT}from " + ", ".join(f"{deck} ({n})" for deck, n in plan.new_from.items()))
    for task in plan.deck_tasks:
        lines.append(
            f"{INDENT}deck task {task.id}: {task.minutes_done + task.minutes_today} of {task.minutes_total} min"
            f" of card time{'' if task.minutes_today else ' (no new cards from it today)'}"
        )
    if plan.reviews_due or plan.new_cards:
        lines.append(f"{INDENT}studyctl review")
    return lines


def task_lines(plan: DayPlan) -> list[str]:
    if not plan.tasks:
        return ["  (none today)"]
    lines: list[str] = []
    phase = None
    for task in plan.tasks:
        if task.phase != phase:
            phase = task.phase
            goal = f"{task.phase_title}" + (f". Goal: {task.phase_goal}" if task.phase_goal else "")
            lines += textwrap.wrap(goal, 100, initial_indent="  ", subsequent_indent="    ")
        lines += task_block(task)
    return lines


def task_block(task: PlannedTask) -> list[str]:
    """One task: minutes, kind and title, then its parts, Chinese title, where to find it and
    the roadmap's notes on it."""
    progress = ""
    if task.minutes_total > task.minutes_today:
        progress = f"  [{task.minutes_done}+{task.minutes_today} of {task.minutes_total} min]"
    optional = " (optional)" if task.optional else ""
    lines = [f"  {task.minutes_today:>4} min  {task.kind:<8} {task.title}{optional} ({task.id}){progress}"]
    if task.parts:
        lines.append(f"{INDENT}today: {task.parts}")
    if task.title_zh:
        lines.append(f"{INDENT}{task.title_zh}")
    if task.kind == "lab":
        lines.append(f"{INDENT}studyctl lab start {task.lab}")
    elif task.url:
        lines.append(f"{INDENT}{task.url}")
    if task.notes:
        lines += textwrap.wrap(task.notes, 100, initial_indent=INDENT, subsequent_indent=INDENT)
    return lines


def forecast_lines(forecast: Forecast, roadmap_id: str = "") -> list[str]:
    """The verdict against the deadline in Beeminder's terms, then the finish at the real pace."""
    if forecast.finished:
        return ["Roadmap finished."]
    lines = [verdict(forecast, roadmap_id)]
    if forecast.dropped:
        lines.append(
            f"Dropped {len(forecast.dropped)} optional task{'s' if len(forecast.dropped) > 1 else ''} "
            f"({forecast.dropped_minutes / 60:.0f} h) to make the deadline: {', '.join(forecast.dropped)}."
        )
    lines.append(pace_line(forecast))
    return lines


def verdict(forecast: Forecast, roadmap_id: str = "") -> str:
    hours = f"{forecast.minutes_left / 60:.0f} h left"
    deadline = forecast.deadline
    new_deadline = f"studyctl roadmap use {roadmap_id or 'ID'} --deadline YYYY-MM-DD"
    if forecast.stuck:
        return (
            f"{hours}, but no day of your budget fits {', '.join(forecast.stuck)}: raise the budget, or lower "
            "the task's chunk.min."
        )
    finish = forecast.finish
    catch_up = ""
    if forecast.extra_minutes_per_day:
        catch_up = (
            f" +{forecast.extra_minutes_per_day} min a day for the {days(forecast.extra_days)} to the deadline"
            " would make it."
        )
    if finish is None:
        text = f"{hours}: at this budget the roadmap doesn't finish within three years."
        return text + catch_up if deadline else text
    if deadline is None:
        return f"{hours}; at your budget you finish {date(finish)}. No deadline: set one with `{new_deadline}`."
    if forecast.deadline_passed:
        ago = (forecast.today - deadline).days
        return (
            f"Deadline {date(deadline)} passed {days(ago)} ago; {hours}, at your budget you finish {date(finish)}"
            f" ({days((finish - deadline).days)} late). Set a new one: `{new_deadline}`."
        )
    if finish <= deadline:
        return (
            f"On track: {hours}, at your budget you finish {date(finish)}, "
            f"{forecast.safe_days or 0} safe day{'' if forecast.safe_days == 1 else 's'} before the deadline "
            f"({date(deadline)})."
        )
    return (
        f"Behind: {hours}, at your budget you finish {date(finish)}, {days(forecast.days_behind or 0)} after the "
        f"deadline ({date(deadline)}).{catch_up}"
    )


def pace_line(forecast: Forecast) -> str:
    if forecast.pace_per_day is None:
        wait = max(1, MIN_HISTORY_DAYS - forecast.history_days)
        return f"Your real pace shows after {days(wait)} more of logging (`studyctl done TASK --minutes M`)."
    if forecast.pace_per_day < 1:
        return "Your real pace: no task minutes logged lately; at that pace the roadmap never ends."
    text = (
        f"At your real pace lately ({forecast.pace_per_day:.0f} min of tasks a day) you finish "
        f"{date(forecast.finish_at_pace)}"
    )
    if forecast.deadline and forecast.finish_at_pace and forecast.finish_at_pace > forecast.deadline:
        text += f", {days((forecast.finish_at_pace - forecast.deadline).days)} after the deadline"
    return text + "."


def describe_forecast(forecast: Forecast, roadmap_id: str = "") -> str:
    """The forecast in a few sentences on one line."""
    return " ".join(forecast_lines(forecast, roadmap_id))


def format_days(plans: list[DayPlan]) -> str:
    """The days ahead, one block a day (`studyctl plan --week`)."""
    from studyctl.planner.week import week_budget

    lines = []
    for day in plans:
        reviews = f"{day.reviews_planned} reviews" + (f" (of {day.reviews_due})" if day.backlog_days else "")
        head = f"{day.day:%a %d %b}  {day.planned_minutes:>3}/{day.budget_minutes:<3} min"
        if day.day_off:
            lines.append(f"{head}  day off")
            continue
        new = f"{day.new_cards} new cards" + (f" ({', '.join(day.new_from)})" if day.new_from else "")
        lines.append(f"{head}  {reviews}, {new}")
        for task in day.tasks:
            part = (
                f" ({task.minutes_done + task.minutes_today}/{task.minutes_total})"
                if task.minutes_total > task.minutes_today
                else ""
            )
            what = f": {task.parts}" if task.parts else ""
            lines.append(f"{'':8}{task.minutes_today:>4} min  {task.kind:<8} {task.title}{what}{part}")
    planned, budget = week_budget(plans)
    lines.append(f"\n{planned} of {budget} budgeted minutes planned.")
    if plans and plans[0].forecast:
        lines += forecast_lines(plans[0].forecast, plans[0].roadmap_id)
    return "\n".join(lines)
