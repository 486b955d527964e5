"""`studyctl done` and `studyctl skip`: tell the planner what happened to a roadmap task."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.argument("task_id")
@click.option("--minutes", type=click.IntRange(0, 24 * 60), help="Minutes you spent (default: what was left).")
@click.option("--partial", is_flag=True, help="Log the minutes but keep the task open (a long task, in parts).")
@click.pass_obj
def done(home: Home, task_id: str, minutes: int | None, partial: bool) -> None:
    """Mark TASK_ID of the active roadmap done (or log --partial progress on it)."""
    from studyctl.service.roadmaps import record_task

    if partial:
        if not minutes:
            raise click.UsageError("--partial needs --minutes: how long you worked on it")
        logged = record_task(home, task_id, "progress", minutes)
        click.echo(f"Logged {minutes} min on {logged.task.id}: {logged.spent} of about {logged.total} min.")
        return
    logged = record_task(home, task_id, "done", minutes)
    click.echo(f"Done: {logged.task.title}.")


@click.command()
@click.argument("task_id")
@click.pass_obj
def skip(home: Home, task_id: str) -> None:
    """Skip TASK_ID: the planner treats it as finished, and the forecast drops its minutes."""
    from studyctl.service.roadmaps import record_task

    logged = record_task(home, task_id, "skipped")
    click.echo(f"Skipped: {logged.task.title}.")
