"""`studyctl plan --week`: the next seven days as the planner sees them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, json_option, print_json
from studyctl.i18n import _

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.option("--week", "days", flag_value=7, default=7, help=_("The next 7 days (the default)."))
@click.option("--days", "days", type=click.IntRange(1, 60), help=_("The next N days."))
@click.option("--date", "on", type=DATE, help=_("Start from this day instead of today."))
@json_option
@click.pass_obj
def plan(home: Home, days: int, on: dt.date | None, json_: bool) -> None:
    """Plan the next days: what each one holds if the days before go as planned."""
    from studyctl.presentation.plans import format_days
    from studyctl.service.today import plan_days

    result = plan_days(home, days, on=on)
    for message in result.messages:
        click.echo(message, err=True)
    if json_:
        print_json(result.to_dict())
        return
    click.echo(format_days(list(result.plans)))
