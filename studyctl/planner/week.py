"""The next days, planned ahead: the first days of the projection (project.py), so that the
last day with tasks in `plan --days N` is the forecast's finish at budget."""

from __future__ import annotations

import datetime as dt

from studyctl.content.model.roadmap import Roadmap
from studyctl.planner.day import DayPlan
from studyctl.planner.model import Preferences, ReviewLoad, TaskProgress
from studyctl.planner.project import project


def plan_days(
    first: dt.date,
    days: int,
    roadmap: Roadmap | None,
    progress: dict[str, TaskProgress],
    load: ReviewLoad,
    prefs: Preferences,
    *,
    minutes_today: int | None = None,
) -> list[DayPlan]:
    projection = project(first, roadmap, progress, load, prefs, minutes_today=minutes_today, days=days)
    return list(projection.days[:days])


def week_budget(plans: list[DayPlan]) -> tuple[int, int]:
    """(planned, budgeted) minutes over the plans."""
    return sum(p.planned_minutes for p in plans), sum(p.budget_minutes for p in plans)
