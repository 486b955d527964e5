"""Today's plan: due reviews, new cards, the roadmap's next tasks that fit, and the next lab.

Reviews come first (they are what keeps knowledge alive), estimated from the user's own
median answer time. A backlog (reviews that would take more than REVIEW_SHARE of the day) is
spread over the next days instead of being dumped on one evening, and new cards pause until
it is cleared. The next lab is reserved before reading and watching, because practice is what
slips first. Long tasks are split across days and show their progress.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from studyctl.content.model.roadmap import Budget, Roadmap, Task
from studyctl.planner.forecast import Forecast, forecast
from studyctl.planner.model import TaskProgress
from studyctl.planner.tasks import minutes_left, next_tasks, task_minutes

DEFAULT_SECONDS_PER_REVIEW = 10  # until the user has history; Anki users average 8-12 s a card
NEW_CARD_FACTOR = 4  # a new card is seen 3-4 times on its first day (learning steps)
MIN_TASK_SLICE = 15  # don't schedule slivers of a long task
REVIEW_SHARE = 0.5  # at most this share of a day goes to a review backlog


@dataclass(frozen=True)
class PlannedTask:
    id: str
    title: str
    kind: str
    phase: str
    minutes_today: int
    minutes_total: int
    minutes_done: int
    url: str = ""
    lab: str = ""
    deck: str = ""

    @property
    def is_partial(self) -> bool:
        return self.minutes_done + self.minutes_today < self.minutes_total


@dataclass(frozen=True)
class ReviewLoad:
    """What the store says about cards and study time."""

    due: int = 0
    new_available: int = 0
    new_seen_today: int = 0
    seconds_per_review: float | None = None  # the user's median answer time; None: no history
    studied_minutes: float | None = None  # over the last PACE_DAYS days, tasks and reviews


@dataclass
class DayPlan:
    day: dt.date
    budget_minutes: int
    roadmap_id: str = ""
    roadmap_title: str = ""
    day_number: int | None = None
    day_off: bool = False
    reviews_due: int = 0
    reviews_planned: int = 0
    review_minutes: int = 0
    backlog_days: int = 0  # >0: the due reviews are spread over this many days
    new_cards: int = 0
    new_available: int = 0
    new_minutes: int = 0
    tasks: list[PlannedTask] = field(default_factory=list)
    lab: PlannedTask | None = None
    forecast: Forecast | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def planned_minutes(self) -> int:
        lab = self.lab.minutes_today if self.lab else 0
        return self.review_minutes + self.new_minutes + sum(t.minutes_today for t in self.tasks) + lab

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["planned_minutes"] = self.planned_minutes
        if self.forecast:
            data["forecast"] = self.forecast.to_dict()
        return data


def plan_day(
    day: dt.date,
    roadmap: Roadmap | None,
    progress: dict[str, TaskProgress],
    load: ReviewLoad,
    *,
    budget: Budget,
    new_per_day: int,
    start: dt.date | None = None,
    deadline: dt.date | None = None,
    minutes_today: int | None = None,
    days_off: frozenset[dt.date] = frozenset(),
) -> DayPlan:
    """Plan one day. `minutes_today` overrides the budget (a short evening, or a free one)."""
    available = budget.minutes_on(day) if minutes_today is None else minutes_today
    if minutes_today is None and day in days_off:
        available = 0
    plan = DayPlan(day=day, budget_minutes=available, reviews_due=load.due, new_available=load.new_available)
    if roadmap is not None:
        plan.roadmap_id, plan.roadmap_title = roadmap.id, roadmap.title
        if start is not None:
            plan.day_number = (day - start).days + 1
        plan.forecast = forecast(
            roadmap,
            progress,
            budget,
            day,
            start=start,
            deadline=deadline,
            studied_minutes=load.studied_minutes,
            days_off=days_off,
        )
    if available == 0:
        plan.day_off = True
        plan.notes.append(
            f"Day off: nothing planned. {load.due} reviews will wait for tomorrow."
            if load.due
            else "Day off: nothing planned."
        )
        return plan
    _plan_cards(plan, load, available, new_per_day)
    if roadmap is not None:
        _plan_tasks(plan, roadmap, progress, available - plan.review_minutes - plan.new_minutes)
    return plan


def _plan_cards(plan: DayPlan, load: ReviewLoad, available: int, new_per_day: int) -> None:
    seconds = load.seconds_per_review or DEFAULT_SECONDS_PER_REVIEW
    cap = max(1, math.floor(REVIEW_SHARE * available * 60 / seconds))
    plan.reviews_planned = min(load.due, cap)
    if load.due > cap:
        plan.backlog_days = math.ceil(load.due / cap)
        plan.notes.append(
            f"Backlog: {load.due} reviews due. Do {plan.reviews_planned} today (half your time), "
            f"spread over about {plan.backlog_days} days; new cards pause until it is cleared."
        )
    plan.review_minutes = math.ceil(plan.reviews_planned * seconds / 60)
    if not plan.backlog_days:
        plan.new_cards = max(0, min(new_per_day - load.new_seen_today, load.new_available))
        plan.new_minutes = math.ceil(plan.new_cards * seconds * NEW_CARD_FACTOR / 60)


def _plan_tasks(plan: DayPlan, roadmap: Roadmap, progress: dict[str, TaskProgress], remaining: int) -> None:
    open_tasks = list(next_tasks(roadmap, progress))
    if not open_tasks:
        plan.notes.append("Every task of this roadmap is done: keep your cards alive with reviews.")
        return
    lab = next((task for task in open_tasks if task.kind == "lab"), None)
    if lab is not None and minutes_left(lab, progress) <= remaining:  # practice first: labs are what slips
        plan.lab = _planned(lab, progress, minutes_left(lab, progress))
        remaining -= plan.lab.minutes_today
    elif lab is not None:
        plan.notes.append(f"Next lab: {lab.title} ({minutes_left(lab, progress)} min) does not fit today.")
    for task in open_tasks:
        left = minutes_left(task, progress)
        if task.kind == "lab" or remaining <= 0:
            continue
        if left > remaining and remaining < MIN_TASK_SLICE:
            continue
        plan.tasks.append(_planned(task, progress, min(left, remaining)))
        remaining -= plan.tasks[-1].minutes_today


def _planned(task: Task, progress: dict[str, TaskProgress], minutes_today: int) -> PlannedTask:
    return PlannedTask(
        id=task.id,
        title=task.title,
        kind=task.kind,
        phase=task.phase,
        minutes_today=max(0, minutes_today),
        minutes_total=task_minutes(task),
        minutes_done=progress.get(task.id, TaskProgress()).minutes,
        url=task.url,
        lab=task.lab,
        deck=task.deck,
    )
