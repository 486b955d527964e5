"""Assemble today's plan from settings, content and the store: the one function behind both
`studyctl today` and (later) the TUI's today screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studyctl import paths
from studyctl.clock import day_end_utc, iso_utc, now_utc, study_day
from studyctl.content.issues import ContentError
from studyctl.planner.day import DayPlan, ReviewLoad, plan_day
from studyctl.settings import save_settings
from studyctl.store import queries


@dataclass
class TodayResult:
    plan: DayPlan
    messages: list[str] = field(default_factory=list)  # for stderr: problems, first-run notes


def build_today(ctx, *, on: dt.date | None = None, minutes: int | None = None) -> TodayResult:
    settings = ctx.settings
    day = on or study_day(now_utc(), settings.rollover_hour)
    messages: list[str] = []
    if settings.start_date is None and on is None:
        settings = settings.with_changes(start_date=day)
        save_settings(settings, paths.settings_path())
        ctx.settings = settings
        messages.append(f"Starting roadmap '{settings.roadmap}' today; settings saved to {paths.settings_path()}")
    sync_issues = ctx.sync()
    broken = sorted({str(issue.path) for issue in sync_issues if issue.is_error})
    for issue in sync_issues:
        if issue.is_error:
            messages.append(f"skipped: {issue}")
    if broken:
        messages.append(f"{len(broken)} deck file(s) have errors and were skipped; run `studyctl validate`.")
    roadmap = active_roadmap(ctx, settings.roadmap, messages)
    conn = ctx.conn
    day_start = iso_utc(day_end_utc(day - dt.timedelta(days=1), settings.rollover_hour))
    load = ReviewLoad(
        due=queries.due_count(conn, iso_utc(day_end_utc(day, settings.rollover_hour))),
        new_available=queries.new_count(conn),
        new_seen_today=queries.new_introduced_since(conn, day_start),
    )
    progress = queries.task_progress(conn, roadmap.id) if roadmap else {}
    budget = settings.budget_over(roadmap.budget) if roadmap else settings.budget_over(_default_budget())
    plan = plan_day(
        day,
        roadmap,
        progress,
        load,
        budget=budget,
        new_per_day=settings.new_cards_per_day,
        start=settings.start_date,
        deadline=settings.deadline,
        minutes_today=minutes,
    )
    return TodayResult(plan, messages)


def active_roadmap(ctx, roadmap_id: str, messages: list[str]):
    """The roadmap `roadmap_id`, or None with a message saying why it isn't usable."""
    from studyctl.content.files import find_file
    from studyctl.content.roadmaps import load_roadmap

    path = find_file(ctx.roots, "roadmap", roadmap_id)
    if path is None:
        messages.append(f"Roadmap '{roadmap_id}' was not found; `studyctl roadmap list` shows those you can use.")
        return None
    try:
        roadmap, _ = load_roadmap(path, cache=ctx.parse_cache)
    except ContentError as exc:
        messages.extend(f"roadmap skipped: {issue}" for issue in exc.issues if issue.is_error)
        return None
    return roadmap


def _default_budget():
    from studyctl.content.model.roadmap import Budget

    return Budget()
