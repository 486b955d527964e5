"""`studyctl done` and `studyctl skip`: tell the planner what happened to a roadmap task, the
way Taskwarrior logs work: on the day it happened, with a new estimate of what is left."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, json_option, print_json
from studyctl.i18n import _, day_label, localized

if TYPE_CHECKING:
    from studyctl.service.home import Home
    from studyctl.service.roadmaps import TaskLogged


def day_of(home: Home, on: dt.date | None, yesterday: bool) -> dt.date | None:
    if on is not None and yesterday:
        raise click.UsageError(_("give --date or --yesterday, not both"))
    return home.today() - dt.timedelta(days=1) if yesterday else on


def show(logged: TaskLogged, json_: bool, text: str) -> None:
    for warning in logged.warnings:
        click.echo(_("warning: {warning}").format(warning=warning), err=True)
    if json_:
        print_json(logged.to_dict())
    elif logged.logged:
        click.echo(text)


@click.command()
@click.argument("task_id")
@click.option("--minutes", type=click.IntRange(0, 24 * 60), help=_("Minutes you spent (default: what was left)."))
@click.option("--partial", is_flag=True, help=_("Log the minutes but keep the task open (a long task, in parts)."))
@click.option("--left", type=click.IntRange(0, 100 * 60), help=_("With --partial: minutes you think are still left."))
@click.option("--date", "on", type=DATE, help=_("The day you did it (default: today)."))
@click.option("--yesterday", is_flag=True, help=_("You did it yesterday."))
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
    if partial:
        if not minutes and left is None:
            raise click.UsageError(_("--partial needs --minutes (how long you worked on it) or --left"))
        logged = record_task(home, task_id, "progress", minutes, day=day, left=left)
        text = (
            _("Logged {minutes} min on {task} on {day}: {spent} of about {total} min.")
            if day
            else _("Logged {minutes} min on {task}: {spent} of about {total} min.")
        )
        show(
            logged,
            json_,
            text.format(
                minutes=logged.minutes,
                task=logged.task.id,
                day=day_label(day) if day else "",
                spent=logged.spent,
                total=logged.total,
            ),
        )
        return
    if left is not None:
        raise click.UsageError(_("--left re-estimates an open task: use it with --partial"))
    logged = record_task(home, task_id, "done", minutes, day=day)
    text = _("Done on {day}: {title} ({spent} min in all).") if day else _("Done: {title} ({spent} min in all).")
    show(
        logged,
        json_,
        text.format(day=day_label(day) if day else "", title=localized(logged.task), spent=logged.spent),
    )


@click.command()
@click.argument("task_id")
@click.option("--date", "on", type=DATE, help=_("The day you decided (default: today)."))
@json_option
@click.pass_obj
def skip(home: Home, task_id: str, on: dt.date | None, json_: bool) -> None:
    """Skip TASK_ID: the planner treats it as finished, and the forecast drops its minutes."""
    from studyctl.service.roadmaps import record_task

    logged = record_task(home, task_id, "skipped", day=on)
    show(logged, json_, _("Skipped: {title}.").format(title=localized(logged.task)))
