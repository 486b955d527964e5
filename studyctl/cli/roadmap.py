"""`studyctl roadmap`: list the roadmaps you can follow and pick the active one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, json_option, print_json
from studyctl.i18n import _, localized, ngettext, plain_date

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.group()
def roadmap() -> None:
    """List roadmaps, show one, and choose the one you follow."""


@roadmap.command(name="list")
@json_option
@click.pass_obj
def list_roadmaps(home: Home, json_: bool) -> None:
    """List every roadmap in your content folders; the active one is marked with '*'."""
    from studyctl.service.roadmaps import list_roadmaps as roadmaps

    found = roadmaps(home)
    for problem in found.problems:
        click.echo(_("skipped: {problem}").format(problem=problem), err=True)
    if json_:
        print_json(found.to_dict())
        return
    for row in found.roadmaps:
        mark = "*" if row.active else " "
        phases = ngettext("{n} phase", "{n} phases", row.phases).format(n=row.phases)
        tasks = ngettext("{n} task", "{n} tasks", row.tasks).format(n=row.tasks)
        if row.duration_days:
            days = ngettext("{n} day", "{n} days", row.duration_days).format(n=row.duration_days)
            text = _("{mark} {id}: {title} ({phases}, {tasks}, ~{hours} h, {days})")
        else:
            days = ""
            text = _("{mark} {id}: {title} ({phases}, {tasks}, ~{hours} h)")
        click.echo(
            text.format(
                mark=mark, id=row.id, title=localized(row), phases=phases, tasks=tasks, hours=row.hours, days=days
            )
        )


@roadmap.command()
@click.argument("roadmap_id")
@click.option("--start", type=DATE, help=_("The day you start (default: the day you first started it, else today)."))
@click.option("--deadline", type=DATE, help=_("Your deadline for it (default: the roadmap's own)."))
@click.pass_obj
def use(home: Home, roadmap_id: str, start: dt.date | None, deadline: dt.date | None) -> None:
    """Make ROADMAP_ID the roadmap `today` plans from. Its start and deadline are kept: switch
    to another roadmap and back, and they are still there."""
    from studyctl.service.roadmaps import dates_of, use_roadmap

    chosen, began = use_roadmap(home, roadmap_id, start=start, deadline=deadline)
    due = dates_of(home, chosen).deadline
    text = (
        _("Now following '{id}' ({title}), started {start}, deadline {deadline}.")
        if due
        else _("Now following '{id}' ({title}), started {start}.")
    )
    click.echo(
        text.format(
            id=chosen.id,
            title=localized(chosen),
            start=plain_date(began),
            deadline=plain_date(due) if due else "",
        )
    )


@roadmap.command()
@click.argument("roadmap_id", required=False)
@json_option
@click.pass_obj
def show(home: Home, roadmap_id: str | None, json_: bool) -> None:
    """Show a roadmap (default: the active one): phases, tasks, and what you have done."""
    from studyctl.service.roadmaps import find_roadmap, view_of

    road = find_roadmap(home, roadmap_id or home.settings.roadmap)
    view = view_of(home, road)
    if json_:
        print_json(view.to_dict())
        return
    from studyctl.presentation.roadmaps import roadmap_lines

    click.echo("\n".join(roadmap_lines(view)))
