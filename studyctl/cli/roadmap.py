"""`studyctl roadmap`: list the roadmaps you can follow and pick the active one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, json_option, print_json

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
        click.echo(f"skipped: {problem}", err=True)
    if json_:
        print_json(found.to_dict())
        return
    for row in found.roadmaps:
        mark = "*" if row.active else " "
        days = f", {row.duration_days} days" if row.duration_days else ""
        click.echo(f"{mark} {row.id}: {row.title} ({row.phases} phases, {row.tasks} tasks, ~{row.hours} h{days})")


@roadmap.command()
@click.argument("roadmap_id")
@click.option("--start", type=DATE, help="The day you start (default: the day you first started it, else today).")
@click.option("--deadline", type=DATE, help="Your deadline for it (default: the roadmap's own).")
@click.pass_obj
def use(home: Home, roadmap_id: str, start: dt.date | None, deadline: dt.date | None) -> None:
    """Make ROADMAP_ID the roadmap `today` plans from. Its start and deadline are kept: switch
    to another roadmap and back, and they are still there."""
    from studyctl.service.roadmaps import dates_of, use_roadmap

    chosen, began = use_roadmap(home, roadmap_id, start=start, deadline=deadline)
    due = dates_of(home, chosen).deadline
    until = f", deadline {due.isoformat()}" if due else ""
    click.echo(f"Now following '{chosen.id}' ({chosen.title}), started {began.isoformat()}{until}.")


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
