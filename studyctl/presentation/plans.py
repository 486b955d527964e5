"""Day plans, forecasts and the week ahead as text (`today --plain`, `plan --week`, the TUI's
forecast panel)."""

from __future__ import annotations

from collections.abc import Callable

from studyctl.planner.day import DayPlan
from studyctl.planner.forecast import Forecast
from studyctl.store.queries import NEW_COUNT_CAP


def plain(text: str) -> str:
    return text


def format_plan(plan: DayPlan, bold: Callable[[str], str] = plain) -> str:
    """Today's plan as text read top to bottom (`studyctl today --plain`); `bold` styles headings."""
    heading = f"{plan.day:%A %d %B %Y}"
    if plan.roadmap_title:
        heading += f" - {plan.roadmap_title}"
        if plan.day_number and plan.day_number > 0:
            heading += f" (day {plan.day_number})"
    lines = [bold(heading), f"Budget {plan.budget_minutes} min, planned {plan.planned_minutes} min"]
    if not plan.day_off:
        lines += ["", bold("Cards"), *card_lines(plan), "", bold("Tasks"), *task_lines(plan)]
    if plan.forecast:
        lines += ["", bold("Forecast"), "  " + describe_forecast(plan.forecast)]
    for note in plan.notes:
        lines += ["", note]
    return "\n".join(lines)


def card_lines(plan: DayPlan) -> list[str]:
    due = f"{plan.reviews_planned} of {plan.reviews_due}" if plan.backlog_days else str(plan.reviews_due)
    unseen = f"{plan.new_available}+" if plan.new_available >= NEW_COUNT_CAP else str(plan.new_available)
    return [
        f"  {due:>4} reviews due{'':14}~{plan.review_minutes} min",
        f"  {plan.new_cards:>4} new cards ({unseen} not yet seen)  ~{plan.new_minutes} min",
    ]


def task_lines(plan: DayPlan) -> list[str]:
    lines = []
    if not plan.tasks and not plan.lab:
        lines.append("  (none today)")
    for task in plan.tasks:
        progress = ""
        if task.minutes_total > task.minutes_today:
            progress = f"  [{task.minutes_done}+{task.minutes_today} of {task.minutes_total} min]"
        lines.append(f"  {task.minutes_today:>4} min  {task.kind:<8} {task.title} ({task.id}){progress}")
        if task.kind == "deck":
            lines.append(f"{'':16}studyctl review --deck {task.deck}")
        elif task.url:
            lines.append(f"{'':16}{task.url}")
    if plan.lab:
        lines.append(
            f"  {plan.lab.minutes_today:>4} min  lab      {plan.lab.title} (studyctl lab start {plan.lab.lab})"
        )
    return lines


def describe_forecast(forecast: Forecast) -> str:
    """One or two sentences: hours left, the finish date at the real pace (or the budget), and
    the verdict against the deadline with what it would take to make it."""
    hours = forecast.minutes_left / 60
    if forecast.minutes_left == 0:
        return "Roadmap finished."
    if forecast.pace_per_day == 0:
        budget = f", at your budget on {forecast.finish_at_budget:%d %b %Y}" if forecast.finish_at_budget else ""
        return (
            f"{hours:.0f} h left. Nothing studied in the last two weeks: at this pace the roadmap never "
            f"ends{budget}. `studyctl done TASK --minutes M` logs what you did."
        )
    if forecast.pace_per_day is not None:
        basis = f"at your pace lately ({forecast.pace_per_day:.0f} min a day)"
    else:
        basis = "at your budget"
    if forecast.finish is None:
        return f"{hours:.0f} h left; {basis} the roadmap does not finish: raise the budget or trim the plan."
    text = f"{hours:.0f} h left; {basis} you finish on {forecast.finish:%d %b %Y}"
    if forecast.deadline is None:
        return text + "."
    if forecast.deadline_passed:
        return text + f". The deadline, {forecast.deadline:%d %b %Y}, has passed: set a new one in settings."
    if forecast.on_track:
        return text + f"; deadline {forecast.deadline:%d %b %Y}: on track."
    late = (forecast.finish - forecast.deadline).days
    return text + (
        f"; deadline {forecast.deadline:%d %b %Y}: {late} days behind. "
        f"{forecast.extra_minutes_per_day} more minutes a day would get you back on track."
    )


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
        lines.append(f"{head}  {reviews}, {day.new_cards} new cards")
        for task in [*day.tasks, *([day.lab] if day.lab else [])]:
            part = (
                f" ({task.minutes_done + task.minutes_today}/{task.minutes_total})"
                if task.minutes_total > task.minutes_today
                else ""
            )
            lines.append(f"{'':8}{task.minutes_today:>4} min  {task.kind:<8} {task.title}{part}")
    planned, budget = week_budget(plans)
    lines.append(f"\n{planned} of {budget} budgeted minutes planned.")
    if plans and plans[0].forecast:
        lines.append(describe_forecast(plans[0].forecast))
    return "\n".join(lines)
