"""`studyctl done` and `studyctl skip`: tell the planner what happened to a roadmap task."""

from __future__ import annotations

import click


def _task(ctx, task_id: str):
    """The active roadmap and its task `task_id`, or a clear error naming close matches."""
    from studyctl.today import active_roadmap

    messages: list[str] = []
    roadmap = active_roadmap(ctx, ctx.settings.roadmap, messages)
    if roadmap is None:
        raise click.ClickException(" ".join(messages))
    tasks = {task.id: task for task in roadmap.tasks}
    if task_id not in tasks:
        import difflib

        close = difflib.get_close_matches(task_id, tasks, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else " `studyctl roadmap show` lists the tasks."
        raise click.ClickException(f"roadmap '{roadmap.id}' has no task '{task_id}'.{hint}")
    return roadmap, tasks[task_id]


def _log(ctx, roadmap, task, status: str, minutes: int) -> None:
    from studyctl.planner.progress import record_task

    record_task(ctx.conn, roadmap.id, task.id, status, minutes, ctx.settings.rollover_hour)


@click.command()
@click.argument("task_id")
@click.option("--minutes", type=click.IntRange(0, 24 * 60), help="Minutes you spent (default: what was left).")
@click.option("--partial", is_flag=True, help="Log the minutes but keep the task open (a long task, in parts).")
@click.pass_obj
def done(ctx, task_id: str, minutes: int | None, partial: bool) -> None:
    """Mark TASK_ID of the active roadmap done (or log --partial progress on it)."""
    from studyctl.planner.tasks import minutes_left, task_minutes
    from studyctl.store.queries import task_progress

    roadmap, task = _task(ctx, task_id)
    progress = task_progress(ctx.conn, roadmap.id)
    left = minutes_left(task, progress)
    if partial:
        if not minutes:
            raise click.UsageError("--partial needs --minutes: how long you worked on it")
        _log(ctx, roadmap, task, "progress", minutes)
        spent = progress[task_id].minutes + minutes if task_id in progress else minutes
        click.echo(f"Logged {minutes} min on {task.id}: {spent} of about {task_minutes(task)} min.")
        return
    _log(ctx, roadmap, task, "done", left if minutes is None else minutes)
    click.echo(f"Done: {task.title}.")


@click.command()
@click.argument("task_id")
@click.pass_obj
def skip(ctx, task_id: str) -> None:
    """Skip TASK_ID: the planner treats it as finished, and the forecast drops its minutes."""
    roadmap, task = _task(ctx, task_id)
    _log(ctx, roadmap, task, "skipped", 0)
    click.echo(f"Skipped: {task.title}.")
