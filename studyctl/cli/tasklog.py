"""`studyctl undo` and `studyctl reopen`: take back the last task entry, or open a done task again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

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
    what = {"progress": "minutes", "done": "done", "skipped": "skip", "estimate": "estimate", "reopened": "reopen"}
    kinds = " and ".join(what.get(status, status) for status in undone.statuses)
    minutes = f" ({undone.minutes} min)" if undone.minutes else ""
    title = undone.task.title if undone.task else undone.task_id
    click.echo(f"Undone: {kinds}{minutes} on {title}, logged for {undone.day:%a %d %b}.")


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
    click.echo(f"Reopened: {logged.task.title} ({logged.spent} of about {logged.total} min so far).")
