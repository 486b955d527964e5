"""The projection: the coming days planned one by one with the same rules as today, until the
roadmap is finished. Its first day is today's plan, its first N days are `plan --days N`, and
its last task day is the forecast's finish at budget, so the three always agree.

Each day, the review load comes first: the due reviews FSRS expects for the cards already seen
(`CardOutlook.due_on`), the reviews left over from the day before, and the comebacks of the new
cards the projection itself introduces. When the finish at budget misses the deadline, the
optional tasks are dropped, the latest first, until it doesn't (or none are left), and the plan
says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from studyctl.content.model.roadmap import Roadmap
from studyctl.planner.day import DEFAULT_SECONDS_PER_REVIEW, CardDay, DayPlan, plan_day
from studyctl.planner.forecast import HORIZON_DAYS, Forecast, finish_at, pace
from studyctl.planner.model import NOTHING_DONE, Preferences, ReviewLoad, TaskProgress, note
from studyctl.planner.tasks import minutes_left, readiness, with_decks

STUCK_DAYS = 28  # this many days without progress on any task: the budget can't fit what is left


@dataclass(frozen=True)
class Projection:
    days: tuple[DayPlan, ...]
    forecast: Forecast | None

    @property
    def today(self) -> DayPlan:
        return self.days[0]


@dataclass
class _Run:
    plans: list[DayPlan] = field(default_factory=list)
    finish: dt.date | None = None
    already_finished: bool = False
    left_at_deadline: int = 0
    stuck: tuple[str, ...] = ()

    def on_time(self, deadline: dt.date) -> bool:
        return self.already_finished or (self.finish is not None and self.finish <= deadline)


def project(
    first: dt.date,
    roadmap: Roadmap | None,
    progress: Mapping[str, TaskProgress],
    load: ReviewLoad,
    prefs: Preferences,
    *,
    minutes_today: int | None = None,
    days: int = 1,
) -> Projection:
    """Plan from `first` until the roadmap is finished (at least `days` days). `progress` is what
    the store holds; deck tasks get their card time from `load`."""
    seconds = load.seconds_per_review or DEFAULT_SECONDS_PER_REVIEW
    per_card = seconds * load.outlook.answers_first_day / 60
    folded = with_decks(roadmap, progress, load.stocks(), per_card) if roadmap else dict(progress)

    def run(dropped: Collection[str]) -> _Run:
        return _run(first, roadmap, folded, load, prefs, minutes_today, days, frozenset(dropped))

    result, dropped = run(()), tuple[str, ...]()
    deadline = prefs.deadline
    if roadmap is not None and deadline is not None and deadline >= first and not result.on_time(deadline):
        optional = [t.id for t in roadmap.tasks if t.optional and not folded.get(t.id, NOTHING_DONE).finished]
        result, dropped = _drop_optional(run, optional, deadline, result)
    forecast = None
    if roadmap is not None:
        forecast = _forecast(first, roadmap, folded, load, prefs, result, dropped)
        result.plans[0].forecast = forecast
        _first_day_notes(result.plans[0], roadmap, folded, load, forecast)
    return Projection(tuple(result.plans), forecast)


def _drop_optional(
    run: Callable[[Collection[str]], _Run], optional: list[str], deadline: dt.date, kept: _Run
) -> tuple[_Run, tuple[str, ...]]:
    """Drop the fewest optional tasks, the latest in the roadmap first, that make the deadline;
    all of them when even that doesn't."""
    if not optional:
        return kept, ()
    everything = run(optional)
    if not everything.on_time(deadline):
        return everything, tuple(optional)
    low, high, best = 1, len(optional), everything  # dropping the last `high` is on time
    while low < high:
        middle = (low + high) // 2
        attempt = run(optional[-middle:])
        if attempt.on_time(deadline):
            high, best = middle, attempt
        else:
            low = middle + 1
    return best, tuple(optional[-high:])


def _run(
    first: dt.date,
    roadmap: Roadmap | None,
    progress: Mapping[str, TaskProgress],
    load: ReviewLoad,
    prefs: Preferences,
    minutes_today: int | None,
    days: int,
    dropped: frozenset[str],
) -> _Run:
    outlook = load.outlook
    seconds = load.seconds_per_review or DEFAULT_SECONDS_PER_REVIEW
    progress = dict(progress)
    stocks = load.stocks()
    counted = [t for t in roadmap.tasks if not t.is_habit and t.id not in dropped] if roadmap else []
    result = _Run(already_finished=bool(roadmap) and all(_finished(t.id, progress) for t in counted))
    coming: dict[dt.date, float] = defaultdict(float)
    carried = 0.0
    idle = 0
    deadline = prefs.deadline
    for offset in range(HORIZON_DAYS):
        day = first + dt.timedelta(days=offset)
        if offset == 0:
            due, new_seen, studied = float(load.due), load.new_seen_today, load.studied_today
        else:
            due = carried + outlook.due_on.get(day, 0) * outlook.answers_per_review + coming.pop(day, 0.0)
            new_seen, studied = 0, 0.0
        showable = load.new_today if offset == 0 else None
        cards = CardDay(round(due), new_seen, seconds, outlook.answers_first_day, stocks, load.own_decks, showable)
        day_result = plan_day(
            day,
            roadmap,
            progress,
            cards,
            prefs,
            available=minutes_today if offset == 0 else None,
            studied=studied,
            dropped=dropped,
        )
        plan = day_result.plan
        result.plans.append(plan)
        progress, stocks = day_result.progress, day_result.stocks
        carried = max(0.0, due - plan.reviews_planned)
        for back in outlook.comeback_days:
            coming[day + dt.timedelta(days=back)] += plan.new_cards * outlook.answers_per_review
        if roadmap is None or result.already_finished:
            if offset + 1 >= days:
                break
            continue
        moved = plan.task_minutes > 0 or any(t.minutes_today for t in plan.deck_tasks)
        if result.finish is None:
            if day == deadline:
                result.left_at_deadline = sum(minutes_left(t, progress) for t in counted)
            if all(_finished(t.id, progress) for t in counted):
                result.finish = day
            idle = 0 if moved or prefs.minutes_on(day) == 0 else idle + 1
            if idle >= STUCK_DAYS:
                ready = readiness(roadmap, progress, dropped).ready
                result.stuck = tuple(t.id for t in ready if not t.is_habit) or tuple(t.id for t in ready)
        if (result.finish is not None or result.stuck) and offset + 1 >= days:
            break
    unfinished = result.finish is None and not result.already_finished
    if deadline is not None and unfinished and result.plans[-1].day < deadline:  # stuck before the deadline
        result.left_at_deadline = sum(minutes_left(t, progress) for t in counted)
    return result


def _finished(task_id: str, progress: Mapping[str, TaskProgress]) -> bool:
    return progress.get(task_id, NOTHING_DONE).finished


def _forecast(
    first: dt.date,
    roadmap: Roadmap,
    progress: Mapping[str, TaskProgress],
    load: ReviewLoad,
    prefs: Preferences,
    result: _Run,
    dropped: tuple[str, ...],
) -> Forecast:
    deadline = prefs.deadline
    tasks = {task.id: task for task in roadmap.tasks}
    # what is left of the tasks (habits are the phase's overhead, like reviews: not counted)
    left = sum(minutes_left(t, progress) for t in roadmap.tasks if t.id not in dropped and not t.is_habit)
    real_pace = pace(load.task_minutes_by_day, first, prefs.start)
    task_left = sum(
        minutes_left(t, progress) for t in roadmap.tasks if t.id not in dropped and not t.is_habit and t.kind != "deck"
    )
    at_pace = finish_at(task_left, first, real_pace) if real_pace is not None else None
    finish = None if result.already_finished else result.finish
    safe = behind = None
    extra = extra_days = 0
    if deadline is not None and not result.already_finished:
        if finish is not None and finish <= deadline:
            safe = (deadline - finish).days
        else:
            behind = (finish - deadline).days if finish is not None else None
            if deadline >= first:
                extra_days = sum(1 for day in _days(first, deadline) if prefs.minutes_on(day) > 0) or 1
                extra = math.ceil(result.left_at_deadline / extra_days)
    return Forecast(
        today=first,
        minutes_left=left,
        finish_at_budget=first if result.already_finished else finish,
        deadline=deadline,
        pace_per_day=real_pace,
        finish_at_pace=at_pace,
        safe_days=safe,
        days_behind=behind,
        extra_minutes_per_day=extra,
        extra_days=extra_days,
        dropped=dropped,
        dropped_minutes=sum(minutes_left(tasks[t], progress) for t in dropped),
        stuck=result.stuck,
        history_days=(first - prefs.start).days if prefs.start else 0,
    )


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _first_day_notes(
    plan: DayPlan, roadmap: Roadmap, progress: Mapping[str, TaskProgress], load: ReviewLoad, forecast: Forecast
) -> None:
    stocks = load.stocks()
    missing = [t for t in roadmap.tasks if t.kind == "deck" and t.deck not in stocks]
    if missing:
        names = ", ".join(sorted({t.deck for t in missing}))
        plan.notes.append(
            note(
                lambda _, ngettext: _("Not installed, so their deck tasks count as done: {decks}.").format(decks=names)
            )
        )
    if forecast.finished:
        plan.notes.append(
            note(lambda _, ngettext: _("Every task of this roadmap is done: keep your cards alive with reviews."))
        )
    elif not plan.tasks and not plan.day_off and plan.left_minutes > plan.card_minutes:
        if plan.studied_minutes >= plan.budget_minutes:
            pass
        else:
            ready = readiness(roadmap, progress, forecast.dropped).ready
            if ready and all(t.kind == "deck" for t in ready):
                plan.notes.append(
                    note(lambda _, ngettext: _("Today's roadmap work is in your cards: the open tasks are deck tasks."))
                )
    if plan.studied_minutes and plan.studied_minutes >= plan.budget_minutes:
        plan.notes.append(
            note(lambda _, ngettext: _("Today's budget is used up: anything more is a head start on tomorrow."))
        )
