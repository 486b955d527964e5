"""`studyctl today`: what to study today, sized to today's minutes."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, print_json
from studyctl.i18n import _

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.option("--plain", is_flag=True, help=_("Print text, not the app (the default when not on a terminal)."))
@click.option("--json", "json_", is_flag=True, help=_("Print the plan as JSON."))
@click.option("--date", "on", type=DATE, help=_("Plan another day (default: today)."))
@click.option("--minutes", type=click.IntRange(0, 1440), help=_("Minutes you have today, instead of the budget."))
@click.pass_obj
def today(home: Home, plain: bool, json_: bool, on: dt.date | None, minutes: int | None) -> None:
    """Show today's plan: due reviews, new cards, the roadmap's next tasks and a lab.

    On a terminal this opens the studyctl app (reviews, roadmap, labs, stats)."""
    from studyctl import cli

    if not (plain or json_) and sys.stdout.isatty() and cli.open_app is not None:
        cli.open_app(home, on=on, minutes=minutes)
        return
    from studyctl.service.today import today as plan_today

    result = plan_today(home, on=on, minutes=minutes)
    for message in result.messages:
        click.echo(message, err=True)
    if json_:
        print_json(result.to_dict())
        return
    from studyctl.presentation.plans import format_plan

    bold = (lambda text: click.style(text, bold=True)) if sys.stdout.isatty() else (lambda text: text)
    click.echo(format_plan(result.plan, bold=bold))
    _last_sync(home)


def _last_sync(home: Home) -> None:
    """One line under the plan, once this machine has synced with another (studyctl sync)."""
    from studyctl.presentation.sync import last_sync_line
    from studyctl.service.sync import last_sync

    if (last := last_sync(home)) is not None:
        click.echo(last_sync_line(last))
