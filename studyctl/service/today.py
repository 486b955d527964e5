"""Today's plan and the days ahead (`studyctl today`, `studyctl plan`, the TUI's today screen):
read the planner's inputs once from settings, content and the store, then call the pure planner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from studyctl.clock import day_end_utc, iso_utc
from studyctl.content.model.roadmap import Roadmap
from studyctl.planner.day import DayPlan, ReviewLoad, plan_day
from studyctl.planner.forecast import PACE_DAYS
from studyctl.planner.model import TaskProgress
from studyctl.planner.progress import RoadmapView
from studyctl.service import roadmaps
from studyctl.service.home import Home
from studyctl.service.queue import today_queue
from studyctl.store import queries


@dataclass(frozen=True)
class PlanInputs:
    day: dt.date
    roadmap: Roadmap | None
    progress: dict[str, TaskProgress]
    load: ReviewLoad
    options: dict[str, Any]  # keyword arguments for plan_day: budget, new_per_day, start, deadline, days_off
    messages: tuple[str, ...]  # for stderr: problems, first-run notes


@dataclass(frozen=True)
class Today:
    plan: DayPlan
    messages: tuple[str, ...]
    roadmap: RoadmapView | None  # the active roadmap with progress (the TUI's bars)

    def to_dict(self) -> dict[str, Any]:
        return self.plan.to_dict()


def today(home: Home, *, on: dt.date | None = None, minutes: int | None = None) -> Today:
    inputs = gather(home, on=on)
    plan = plan_day(inputs.day, inputs.roadmap, inputs.progress, inputs.load, minutes_today=minutes, **inputs.options)
    view = None
    if inputs.roadmap is not None:
        from studyctl.planner.progress import roadmap_view

        view = roadmap_view(inputs.roadmap, inputs.progress)
    return Today(plan, inputs.messages, view)


@dataclass(frozen=True)
class Days:
    plans: tuple[DayPlan, ...]
    messages: tuple[str, ...]

    def to_dict(self) -> list[dict[str, Any]]:
        return [plan.to_dict() for plan in self.plans]


def plan_days(home: Home, days: int, *, on: dt.date | None = None) -> Days:
    from studyctl.planner.week import plan_days as plan_ahead
    from studyctl.store.stats import due_per_day

    inputs = gather(home, on=on)
    rollover = home.settings.rollover_hour
    until = iso_utc(day_end_utc(inputs.day + dt.timedelta(days=days), rollover))
    due = {dt.date.fromisoformat(day): count for day, count in due_per_day(home.conn, until, rollover).items()}
    plans = plan_ahead(inputs.day, days, inputs.roadmap, inputs.progress, inputs.load, due, **inputs.options)
    return Days(tuple(plans), inputs.messages)


def gather(home: Home, *, on: dt.date | None = None) -> PlanInputs:
    """Everything the planner needs for a day, read once: settings, deck sync, the active
    roadmap (the first plan starts it), progress, the review load, the pace."""
    settings = home.settings
    day = on or home.today()
    messages: list[str] = []
    sync_issues = home.sync_decks()
    broken = sorted({str(issue.path) for issue in sync_issues if issue.is_error})
    messages += [f"skipped: {issue}" for issue in sync_issues if issue.is_error]
    if broken:
        messages.append(f"{len(broken)} deck file(s) have errors and were skipped; run `studyctl validate`.")
    roadmap = roadmaps.active_roadmap_or_none(home, messages)
    conn = home.conn
    rollover = settings.rollover_hour
    pace_start = day - dt.timedelta(days=PACE_DAYS)
    queue = today_queue(home, roadmap, on=on)  # exactly what `review` will show
    load = ReviewLoad(
        due=queue.learning + queue.review,
        new_available=max(queries.new_count(conn), queue.new),
        # the planner offers new_per_day - new_seen_today new cards: tell it the part of the
        # allowance the queue can't offer (already answered, or siblings, buries, suspensions)
        new_seen_today=max(0, settings.new_cards_per_day - queue.new),
        seconds_per_review=queries.median_answer_seconds(conn),
        studied_minutes=queries.studied_minutes_since(
            conn,
            roadmap.id if roadmap else "",
            iso_utc(day_end_utc(pace_start - dt.timedelta(days=1), rollover)),
            pace_start.isoformat(),
        ),
    )
    from studyctl.content.model.roadmap import Budget

    start = deadline = None
    if roadmap is not None:
        if on is None:
            roadmaps.ensure_started(home, roadmap, messages)
        dates = roadmaps.dates_of(home, roadmap)
        start, deadline = dates.start, dates.deadline
    options = {
        "budget": settings.budget_over(roadmap.budget if roadmap else Budget()),
        "new_per_day": settings.new_cards_per_day,
        "start": start,
        "deadline": deadline,
        "days_off": frozenset(settings.days_off),
    }
    from studyctl.srs.optimize_record import optimize_hint  # one small state row and one COUNT

    if hint := optimize_hint(conn):
        messages.append(hint)
    progress = roadmaps.progress_of(home, roadmap.id) if roadmap else {}
    return PlanInputs(day, roadmap, progress, load, options, tuple(messages))
