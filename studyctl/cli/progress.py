"""`studyctl done` and `studyctl skip`: tell the planner what happened to a roadmap task, the
way Taskwarrior logs work: on the day it happened, with a new estimate of what is left."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home
    from studyctl.service.roadmaps import TaskLogged


def day_of(home: Home, on: dt.date | None, yesterday: bool) -> dt.date | None:
    if on is not None and yesterday:
        raise click.UsageError("give --date or --yesterday, not both")
    return home.today() - dt.timedelta(days=1) if yesterday else on


def show(logged: TaskLogged, json_: bool, text: str) -> None:
    for warning in logged.warnings:
        click.echo(f"warning: {warning}", err=True)
    if json_:
        print_json(logged.to_dict())
    elif logged.logged:
        click.echo(text)


@click.command()
@click.argument("task_id")
@click.option("--minutes", type=click.IntRange(0, 24 * 60), help="Minutes you spent (default: what was left).")
@click.option("--partial", is_flag=True, help="Log the minutes but keep the task open (a long task, in parts).")
@click.option("--left", type=click.IntRange(0, 100 * 60), help="With --partial: minutes you think are still left.")
@click.option("--date", "on", type=DATE, help="The day you did it (default: today).")
@click.option("--yesterday", is_flag=True, help="You did it yesterday.")
@json_option
@click.pass_obj
def done(
    home: Home,
    task_id: str,
    minutes: int | None,
    partial: bool,
    left: int | None,
    on: dt.date | None,
    yesterday: bool,
    json_: bool,
) -> None:
    """Mark TASK_ID of the active roadmap done (or log --partial progress on it).

    `studyctl undo` takes the last entry back; `studyctl reopen TASK_ID` opens a done task again."""
    from studyctl.service.roadmaps import record_task

    day = day_of(home, on, yesterday)
    when = f" on {day:%a %d %b}" if day else ""
    if partial:
        if not minutes and left is None:
            raise click.UsageError("--partial needs --minutes (how long you worked on it) or --left")
        logged = record_task(home, task_id, "progress", minutes, day=day, left=left)
        show(
            logged,
            json_,
            f"Logged {logged.minutes} min on {logged.task.id}{when}: {logged.spent} of about {logged.total} min.",
        )
        return
    if left is not None:
        raise click.UsageError("--left re-estimates an open task: use it with --partial")
    logged = record_task(home, task_id, "done", minutes, day=day)
    show(logged, json_, f"Done{when}: {logged.task.title} ({logged.spent} min in all).")


@click.command()
@click.argument("task_id")
@click.option("--date", "on", type=DATE, help="The day you decided (default: today).")
@json_option
@click.pass_obj
def skip(home: Home, task_id: str, on: dt.date | None, json_: bool) -> None:
    """Skip TASK_ID: the planner treats it as finished, and the forecast drops its minutes."""
    from studyctl.service.roadmaps import record_task

    logged = record_task(home, task_id, "skipped", day=on)
    show(logged, json_, f"Skipped: {logged.task.title}.")
