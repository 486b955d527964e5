"""The next days, planned ahead: each day as `plan_day` would plan it if the days before went
as planned. Tasks advance by their planned minutes; reviews left over carry to the next day;
cards already scheduled fall due on their days; and each new card learned is expected back
once the next day and once about FIRST_REVIEW_DAYS later (FSRS's first intervals for a card
answered Good)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from studyctl.content.model.roadmap import Roadmap
from studyctl.planner.day import DayPlan, ReviewLoad, plan_day
from studyctl.planner.model import TaskProgress
from studyctl.planner.tasks import task_minutes

FIRST_REVIEW_DAYS = (1, 4)


def plan_days(
    first: dt.date,
    days: int,
    roadmap: Roadmap | None,
    progress: dict[str, TaskProgress],
    load: ReviewLoad,
    due_per_day: dict[dt.date, int],
    **options: Any,
) -> list[DayPlan]:
    """`load` is today's; `due_per_day` counts the cards that fall due on each later day."""
    plans = []
    progress = dict(progress)
    carried = 0
    coming_back: dict[dt.date, int] = {}  # reviews of the new cards this plan introduces
    new_available = load.new_available
    tasks = {task.id: task for task in roadmap.tasks} if roadmap else {}
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        if offset == 0:
            today_load = load
        else:
            due = carried + due_per_day.get(day, 0) + coming_back.get(day, 0)
            today_load = replace(load, due=due, new_available=new_available, new_seen_today=0)
        plan = plan_day(day, roadmap, progress, today_load, **options)
        plans.append(plan)
        carried = today_load.due - plan.reviews_planned if not plan.day_off else today_load.due
        new_available = max(0, new_available - plan.new_cards)
        for after in FIRST_REVIEW_DAYS:
            back = day + dt.timedelta(days=after)
            coming_back[back] = coming_back.get(back, 0) + plan.new_cards
        for planned in [*plan.tasks, *([plan.lab] if plan.lab else [])]:
            before = progress.get(planned.id, TaskProgress())
            spent = before.minutes + planned.minutes_today
            finished = spent >= task_minutes(tasks[planned.id])
            progress[planned.id] = TaskProgress(spent, done=finished)
    return plans


def week_budget(plans: list[DayPlan]) -> tuple[int, int]:
    """(planned, budgeted) minutes over the plans."""
    return sum(p.planned_minutes for p in plans), sum(p.budget_minutes for p in plans)
