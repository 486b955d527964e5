"""Assemble plans from settings, content and the store: the functions behind `studyctl today`,
`studyctl plan` and the TUI's today screen. The planner itself stays pure; this is where its
inputs are read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studyctl import paths
from studyctl.clock import day_end_utc, iso_utc, now_utc, study_day
from studyctl.content.issues import ContentError
from studyctl.planner.day import DayPlan, ReviewLoad, plan_day
from studyctl.planner.forecast import PACE_DAYS
from studyctl.settings import save_settings
from studyctl.store import queries


@dataclass
class PlanInputs:
    day: dt.date
    roadmap: object | None
    progress: dict
    load: ReviewLoad
    options: dict  # keyword arguments for plan_day: budget, new_per_day, start, deadline, days_off
    messages: list[str] = field(default_factory=list)  # for stderr: problems, first-run notes


@dataclass
class TodayResult:
    plan: DayPlan
    messages: list[str] = field(default_factory=list)


def build_today(ctx, *, on: dt.date | None = None, minutes: int | None = None) -> TodayResult:
    inputs = gather(ctx, on=on)
    plan = plan_day(inputs.day, inputs.roadmap, inputs.progress, inputs.load, minutes_today=minutes, **inputs.options)
    return TodayResult(plan, inputs.messages)


def build_days(ctx, days: int, *, on: dt.date | None = None) -> tuple[list[DayPlan], list[str]]:
    from studyctl.planner.week import plan_days
    from studyctl.store.stats import due_per_day

    inputs = gather(ctx, on=on)
    rollover = ctx.settings.rollover_hour
    until = iso_utc(day_end_utc(inputs.day + dt.timedelta(days=days), rollover))
    due = {dt.date.fromisoformat(day): count for day, count in due_per_day(ctx.conn, until, rollover).items()}
    plans = plan_days(inputs.day, days, inputs.roadmap, inputs.progress, inputs.load, due, **inputs.options)
    return plans, inputs.messages


def gather(ctx, *, on: dt.date | None = None) -> PlanInputs:
    """Everything the planner needs for a day, read once: settings (first run: saved with
    today as the start), deck sync, the active roadmap, progress, the review load, the pace."""
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
    messages += [f"skipped: {issue}" for issue in sync_issues if issue.is_error]
    if broken:
        messages.append(f"{len(broken)} deck file(s) have errors and were skipped; run `studyctl validate`.")
    roadmap = active_roadmap(ctx, settings.roadmap, messages)
    conn = ctx.conn
    rollover = settings.rollover_hour
    pace_start = day - dt.timedelta(days=PACE_DAYS)
    load = ReviewLoad(
        due=queries.due_count(conn, iso_utc(day_end_utc(day, rollover))),
        new_available=queries.new_count(conn),
        new_seen_today=queries.new_introduced_since(conn, iso_utc(day_end_utc(day - dt.timedelta(days=1), rollover))),
        seconds_per_review=queries.median_answer_seconds(conn),
        studied_minutes=queries.studied_minutes_since(
            conn,
            roadmap.id if roadmap else "",
            iso_utc(day_end_utc(pace_start - dt.timedelta(days=1), rollover)),
            pace_start.isoformat(),
        ),
    )
    from studyctl.content.model.roadmap import Budget

    options = {
        "budget": settings.budget_over(roadmap.budget if roadmap else Budget()),
        "new_per_day": settings.new_cards_per_day,
        "start": settings.start_date,
        "deadline": settings.deadline,
        "days_off": frozenset(settings.days_off),
    }
    from studyctl.srs.optimize_record import optimize_hint  # a small JSON file and one COUNT

    if hint := optimize_hint(conn):
        messages.append(hint)
    progress = queries.task_progress(conn, roadmap.id) if roadmap else {}
    return PlanInputs(day, roadmap, progress, load, options, messages)


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
