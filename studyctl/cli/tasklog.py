"""`studyctl undo` and `studyctl reopen`: take back the last task entry, or open a done task again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import N_, _, day_label, localized

# What `undo` took back, by the status of the entry.
UNDONE = {
    "progress": N_("minutes"),
    "done": N_("done"),
    "skipped": N_("skip"),
    "estimate": N_("estimate"),
    "reopened": N_("reopen"),
}

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@json_option
@click.pass_obj
def undo(home: Home, json_: bool) -> None:
    """Take back the last done, skip or partial minutes logged on the active roadmap.

    Run it again to take back the entry before. (Card answers are undone inside a review.)"""
    from studyctl.service.roadmaps import undo_last

    undone = undo_last(home)
    if json_:
        print_json(undone.to_dict())
        return
    words = [_(UNDONE[status]) if status in UNDONE else status for status in undone.statuses]
    kinds = words[0] if words else ""
    for word in words[1:]:
        kinds = _("{first} and {second}").format(first=kinds, second=word)
    title = localized(undone.task) if undone.task else undone.task_id
    text = (
        _("Undone: {what} ({minutes} min) on {title}, logged for {day}.")
        if undone.minutes
        else _("Undone: {what} on {title}, logged for {day}.")
    )
    click.echo(text.format(what=kinds, minutes=undone.minutes, title=title, day=day_label(undone.day)))


@click.command()
@click.argument("task_id")
@json_option
@click.pass_obj
def reopen(home: Home, task_id: str, json_: bool) -> None:
    """Open TASK_ID again after done or skip (the minutes spent on it stay)."""
    from studyctl.service.roadmaps import reopen as reopen_task

    logged = reopen_task(home, task_id)
    if json_:
        print_json(logged.to_dict())
        return
    click.echo(
        _("Reopened: {title} ({spent} of about {total} min so far).").format(
            title=localized(logged.task), spent=logged.spent, total=logged.total
        )
    )
