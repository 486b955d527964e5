"""`studyctl plan --week`: the next seven days as the planner sees them."""

from __future__ import annotations

import datetime as dt

import click

from studyctl.cli.options import DATE, json_option, print_json


@click.command()
@click.option("--week", "days", flag_value=7, default=7, help="The next 7 days (the default).")
@click.option("--days", "days", type=click.IntRange(1, 60), help="The next N days.")
@click.option("--date", "on", type=DATE, help="Start from this day instead of today.")
@json_option
@click.pass_obj
def plan(ctx, days: int, on: dt.date | None, json_: bool) -> None:
    """Plan the next days: what each one holds if the days before go as planned."""
    from studyctl.cli.plan_text import describe_forecast
    from studyctl.planner.week import week_budget
    from studyctl.today import build_days

    plans, messages = build_days(ctx, days, on=on)
    for message in messages:
        click.echo(message, err=True)
    if json_:
        print_json([p.to_dict() for p in plans])
        return
    for day in plans:
        reviews = f"{day.reviews_planned} reviews" + (f" (of {day.reviews_due})" if day.backlog_days else "")
        head = f"{day.day:%a %d %b}  {day.planned_minutes:>3}/{day.budget_minutes:<3} min"
        if day.day_off:
            click.echo(f"{head}  day off")
            continue
        click.echo(f"{head}  {reviews}, {day.new_cards} new cards")
        items = [*day.tasks, *([day.lab] if day.lab else [])]
        for task in items:
            part = (
                f" ({task.minutes_done + task.minutes_today}/{task.minutes_total})"
                if task.minutes_total > task.minutes_today
                else ""
            )
            click.echo(f"{'':8}{task.minutes_today:>4} min  {task.kind:<8} {task.title}{part}")
    planned, budget = week_budget(plans)
    click.echo(f"\n{planned} of {budget} budgeted minutes planned.")
    if plans and plans[0].forecast:
        click.echo(describe_forecast(plans[0].forecast))
