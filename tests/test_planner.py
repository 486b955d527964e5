"""The first planner: budget per day, dependency order, long tasks split, forecast."""

import datetime as dt
from pathlib import Path

from conftest import SMALL_ROADMAP

from studyctl.content.roadmaps import roadmap_from_data
from studyctl.content.yamlfile import parse_yaml
from studyctl.planner.day import ReviewLoad, plan_day
from studyctl.store.queries import TaskProgress

MONDAY = dt.date(2026, 11, 23)
SATURDAY = dt.date(2026, 11, 28)


def small():
    roadmap, _ = roadmap_from_data(parse_yaml(SMALL_ROADMAP, Path("small.yaml")), Path("small.yaml"))
    return roadmap


NO_CARDS = ReviewLoad()


def plan(day=MONDAY, progress=None, load=NO_CARDS, **kw):
    roadmap = small()
    return plan_day(day, roadmap, progress or {}, load, budget=roadmap.budget, new_per_day=10, start=MONDAY, **kw)


def test_weekday_and_weekend_budgets():
    assert plan(MONDAY).budget_minutes == 60
    assert plan(SATURDAY).budget_minutes == 180


def test_only_tasks_whose_prerequisites_are_done():
    assert [t.id for t in plan().tasks] == ["read-a"]
    after = plan(progress={"read-a": TaskProgress(40, done=True)})
    assert [t.id for t in after.tasks] == ["watch-b"]
    assert after.lab is not None and after.lab.lab == "mlp-digits"


def test_long_task_is_split_and_shows_progress():
    progress = {"read-a": TaskProgress(40, done=True), "watch-b": TaskProgress(100)}
    day = plan(SATURDAY, progress)
    watch = day.tasks[0]
    assert watch.minutes_done == 100 and watch.minutes_total == 300
    assert watch.minutes_today == 180 - 45  # the lab's default 45 minutes come first
    assert watch.is_partial


def test_reviews_and_new_cards_take_their_minutes_first():
    day = plan(load=ReviewLoad(due=120, new_available=50, new_seen_today=4))
    assert day.review_minutes == 20  # 120 cards at 10 s
    assert day.new_cards == 6  # 10 a day, 4 already seen
    assert day.tasks[0].minutes_today == 60 - 20 - 5


def test_everything_done():
    progress = {t: TaskProgress(0, done=True) for t in ("read-a", "watch-b", "lab-c", "deck-d")}
    day = plan(progress=progress)
    assert day.tasks == [] and day.lab is None
    assert day.forecast.minutes_left == 0
    assert any("done" in note for note in day.notes)


def test_forecast_against_deadline():
    on_time = plan().forecast
    assert on_time.deadline == MONDAY + dt.timedelta(days=13)
    assert on_time.on_track is True
    late = plan(deadline=MONDAY + dt.timedelta(days=2)).forecast
    assert late.on_track is False
