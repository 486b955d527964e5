"""`studyctl today`: what to study today, sized to today's minutes."""

from __future__ import annotations

import datetime as dt
import sys

import click

from studyctl.cli.options import DATE, print_json
from studyctl.store.queries import NEW_COUNT_CAP


@click.command()
@click.option("--plain", is_flag=True, help="Print the plan as text (the default when not on a terminal).")
@click.option("--json", "json_", is_flag=True, help="Print the plan as JSON.")
@click.option("--date", "on", type=DATE, help="Plan another day (default: today).")
@click.option("--minutes", type=click.IntRange(0, 1440), help="Minutes you have today, instead of the budget.")
@click.pass_obj
def today(ctx, plain: bool, json_: bool, on: dt.date | None, minutes: int | None) -> None:
    """Show today's plan: due reviews, new cards, the roadmap's next tasks and a lab."""
    from studyctl.today import build_today

    result = build_today(ctx, on=on, minutes=minutes)
    for message in result.messages:
        click.echo(message, err=True)
    if json_:
        print_json(result.plan.to_dict())
    else:  # the Textual app arrives with the TUI issue; text until then, on any stdout
        del plain
        click.echo(format_plan(result.plan, color=sys.stdout.isatty()))


def format_plan(plan, color: bool = False) -> str:
    """The day plan as a short text a person reads top to bottom."""

    def bold(text: str) -> str:
        return click.style(text, bold=True) if color else text

    lines = []
    heading = f"{plan.day:%A %d %B %Y}"
    if plan.roadmap_title:
        heading += f" - {plan.roadmap_title}"
        if plan.day_number and plan.day_number > 0:
            heading += f" (day {plan.day_number})"
    lines.append(bold(heading))
    lines.append(f"Budget {plan.budget_minutes} min, planned {plan.planned_minutes} min")
    lines.append("")
    lines.append(bold("Cards"))
    lines.append(f"  {plan.reviews_due:>4} reviews due{'':14}~{plan.review_minutes} min")
    unseen = f"{plan.new_available}+" if plan.new_available >= NEW_COUNT_CAP else str(plan.new_available)
    lines.append(f"  {plan.new_cards:>4} new cards ({unseen} not yet seen)  ~{plan.new_minutes} min")
    lines.append("")
    lines.append(bold("Tasks"))
    if not plan.tasks and not plan.lab:
        lines.append("  (none today)")
    for task in plan.tasks:
        progress = ""
        if task.minutes_total > task.minutes_today:
            progress = f"  [{task.minutes_done}+{task.minutes_today} of {task.minutes_total} min]"
        lines.append(f"  {task.minutes_today:>4} min  {task.kind:<8} {task.title} ({task.id}){progress}")
        if task.url:
            lines.append(f"{'':16}{task.url}")
    if plan.lab:
        lines.append(
            f"  {plan.lab.minutes_today:>4} min  lab      {plan.lab.title} (studyctl lab start {plan.lab.lab})"
        )
    if plan.forecast:
        lines.append("")
        lines.append(bold("Forecast"))
        lines.append("  " + describe_forecast(plan.forecast))
    for note in plan.notes:
        lines.append("")
        lines.append(note)
    return "\n".join(lines)


def describe_forecast(forecast) -> str:
    hours = forecast.minutes_left / 60
    if forecast.minutes_left == 0:
        return "Roadmap finished."
    if forecast.finish is None:
        return f"{hours:.0f} h left; at this budget the roadmap does not finish: raise the budget."
    text = f"{hours:.0f} h left; at your budget you finish on {forecast.finish:%d %b %Y}"
    if forecast.deadline:
        verdict = "on track" if forecast.on_track else f"{(forecast.finish - forecast.deadline).days} days late"
        text += f"; deadline {forecast.deadline:%d %b %Y}: {verdict}"
    return text + "."
