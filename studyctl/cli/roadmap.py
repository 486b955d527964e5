"""`studyctl roadmap`: list the roadmaps you can follow and pick the active one."""

from __future__ import annotations

import datetime as dt

import click

from studyctl.cli.options import DATE, json_option, print_json


@click.group()
def roadmap() -> None:
    """List roadmaps, show one, and choose the one you follow."""


@roadmap.command(name="list")
@json_option
@click.pass_obj
def list_roadmaps(ctx, json_: bool) -> None:
    """List every roadmap in your content folders; the active one is marked with '*'."""
    from studyctl.content.library import load_library
    from studyctl.planner.tasks import task_minutes

    library = load_library(ctx.roots)
    for issue in library.issues:
        if issue.is_error and issue.path.parent.name == "schedule":
            click.echo(f"skipped: {issue}", err=True)
    active = ctx.settings.roadmap
    rows = [
        {
            "id": r.id,
            "title": r.title,
            "title_zh": r.title_zh,
            "active": r.id == active,
            "phases": len(r.phases),
            "tasks": len(r.tasks),
            "hours": round(sum(task_minutes(t) for t in r.tasks) / 60),
            "duration_days": r.duration_days,
            "path": str(r.path),
        }
        for r in sorted(library.roadmaps.values(), key=lambda r: r.id)
    ]
    if json_:
        print_json(rows)
        return
    for row in rows:
        mark = "*" if row["active"] else " "
        days = f", {row['duration_days']} days" if row["duration_days"] else ""
        click.echo(
            f"{mark} {row['id']}: {row['title']}"
            f" ({row['phases']} phases, {row['tasks']} tasks, ~{row['hours']} h{days})"
        )


@roadmap.command()
@click.argument("roadmap_id")
@click.option("--start", type=DATE, help="The day you start (default: today).")
@click.pass_obj
def use(ctx, roadmap_id: str, start: dt.date | None) -> None:
    """Make ROADMAP_ID the roadmap `today` plans from."""
    from studyctl import paths
    from studyctl.clock import now_utc, study_day
    from studyctl.content.files import find_file
    from studyctl.content.roadmaps import load_roadmap
    from studyctl.settings import save_settings

    path = find_file(ctx.roots, "roadmap", roadmap_id)
    if path is None:
        raise click.ClickException(f"no roadmap '{roadmap_id}'; `studyctl roadmap list` shows the ones you have")
    roadmap, _ = load_roadmap(path)  # a broken roadmap is refused with file:line
    start = start or study_day(now_utc(), ctx.settings.rollover_hour)
    save_settings(ctx.settings.with_changes(roadmap=roadmap.id, start_date=start), paths.settings_path())
    click.echo(f"Now following '{roadmap.id}' ({roadmap.title}), started {start.isoformat()}.")


@roadmap.command()
@click.argument("roadmap_id", required=False)
@json_option
@click.pass_obj
def show(ctx, roadmap_id: str | None, json_: bool) -> None:
    """Show a roadmap (default: the active one): phases, tasks, and what you have done."""
    from studyctl.content.files import find_file
    from studyctl.content.roadmaps import load_roadmap
    from studyctl.planner.progress import finished_minutes, roadmap_view
    from studyctl.store.queries import task_progress

    roadmap_id = roadmap_id or ctx.settings.roadmap
    path = find_file(ctx.roots, "roadmap", roadmap_id)
    if path is None:
        raise click.ClickException(f"no roadmap '{roadmap_id}'; `studyctl roadmap list` shows the ones you have")
    road, _ = load_roadmap(path)
    view = roadmap_view(road, task_progress(ctx.conn, road.id))
    phases = view["phases"]
    if json_:
        print_json(view)
        return
    marks = {"done": "[x]", "skipped": "[-]", "started": "[~]", "open": "[ ]"}
    click.echo(f"{road.title} ({road.id})" + (f"  {road.title_zh}" if road.title_zh else ""))
    for phase in phases:
        finished, total = finished_minutes(phase["tasks"])
        weeks = f", {phase['weeks']} weeks" if phase["weeks"] else ""
        click.echo(
            f"\n{phase['title']} ({phase['id']}{weeks}): {finished * 100 // max(total, 1)}% of {total / 60:.0f} h"
        )
        for task in phase["tasks"]:
            spent = (
                f" {task['spent']}/{task['minutes']} min" if task["status"] == "started" else f" {task['minutes']} min"
            )
            click.echo(f"  {marks[task['status']]} {task['id']}: {task['title']} ({task['kind']},{spent})")
