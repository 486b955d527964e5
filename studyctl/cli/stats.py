"""`studyctl stats`: answers per day, true retention, what is coming due, the streak."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@json_option
@click.pass_obj
def stats(home: Home, json_: bool) -> None:
    """Show reviews today and per day, 30-day true retention, the due forecast and your streak."""
    from studyctl.service.stats import stats as compute

    view = compute(home)
    if json_:
        print_json(view.to_dict())
        return
    result = view.stats
    retention = (
        f"{result.retention_30d:.1%} of {result.retention_reviews} reviews"
        if result.retention_30d is not None
        else "no reviews yet"
    )
    click.echo(f"Today ({result.day}): {result.reviews_today} answers; streak {result.streak} day(s)")
    click.echo(f"True retention, last 30 days: {retention}")
    peak = max(result.reviews_per_day.values()) or 1
    click.echo("Answers per day, last 30 days:")
    for day, count in list(result.reviews_per_day.items())[-14:]:
        click.echo(f"  {day}  {count:>5}  {'#' * round(20 * count / peak)}")
    click.echo("Due in the next 7 days (today includes overdue):")
    for day, count in result.due_next_7.items():
        click.echo(f"  {day}  {count:>5}")
    click.echo(f"Due in the next 30 days: {result.due_next_30_total}")
    from studyctl.presentation.sync import last_sync_line
    from studyctl.service.sync import last_sync

    if (last := last_sync(home)) is not None:
        click.echo(last_sync_line(last))
