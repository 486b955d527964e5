"""The first planner: budget per day, dependency order, long tasks split, forecast."""

import datetime as dt
from pathlib import Path

from conftest import SMALL_ROADMAP

from studyctl.content.model.roadmap import Budget
from studyctl.content.roadmaps import roadmap_from_data
from studyctl.content.yamlfile import parse_yaml
from studyctl.planner.day import ReviewLoad, plan_day
from studyctl.planner.model import TaskProgress

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
    assert day.new_minutes == 4  # 6 cards, each seen ~4 times at 10 s
    assert day.tasks[0].minutes_today == 60 - 20 - 4


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


def test_a_day_off_plans_nothing():
    settings_off = plan(
        day=MONDAY + dt.timedelta(days=1), load=ReviewLoad(due=30), days_off=frozenset({MONDAY + dt.timedelta(days=1)})
    )
    assert settings_off.day_off and settings_off.tasks == [] and settings_off.planned_minutes == 0
    assert "30 reviews will wait" in settings_off.notes[0]
    zero_budget = plan_day(MONDAY, small(), {}, ReviewLoad(), budget=Budget(weekday=0), new_per_day=10)
    assert zero_budget.day_off


def test_behind_schedule_says_how_many_more_minutes_a_day():
    """Two weeks in, only 100 minutes studied: the pace (~7 min a day) misses the deadline."""
    day = MONDAY + dt.timedelta(days=14)
    roadmap = small()
    result = plan_day(
        day,
        roadmap,
        {},
        ReviewLoad(studied_minutes=100),
        budget=roadmap.budget,
        new_per_day=10,
        start=MONDAY,
        deadline=day + dt.timedelta(days=4),
    )
    forecast = result.forecast
    assert forecast.pace_per_day == 100 / 14
    assert forecast.on_track is False
    # 405 minutes left (the lab counts 45) over 5 days = 81 a day, minus the ~7.1 of the pace
    assert forecast.minutes_left == 405
    assert forecast.extra_minutes_per_day == 74
    assert forecast.finish_at_pace > forecast.deadline


def test_on_track_at_a_good_pace():
    day = MONDAY + dt.timedelta(days=7)
    roadmap = small()
    result = plan_day(
        day, roadmap, {}, ReviewLoad(studied_minutes=7 * 120), budget=roadmap.budget, new_per_day=10, start=MONDAY
    )
    assert result.forecast.on_track is True and result.forecast.extra_minutes_per_day == 0


def test_deadline_passed():
    day = MONDAY + dt.timedelta(days=30)
    roadmap = small()
    result = plan_day(
        day, roadmap, {}, ReviewLoad(studied_minutes=300), budget=roadmap.budget, new_per_day=10, start=MONDAY
    )
    assert result.forecast.deadline_passed and result.forecast.on_track is False
    assert result.forecast.extra_minutes_per_day == 0
    from studyctl.presentation.plans import describe_forecast

    assert "has passed" in describe_forecast(result.forecast)


def test_review_backlog_after_two_weeks_away_is_spread():
    """600 reviews at 10 s = 100 min, on a 60-minute weekday: half the day, spread over days."""
    day = plan(load=ReviewLoad(due=600, new_available=50))
    assert day.reviews_planned == 180 and day.review_minutes == 30
    assert day.backlog_days == 4
    assert day.new_cards == 0  # new cards pause while a backlog is cleared
    assert any("spread over about 4 days" in note for note in day.notes)
    assert day.tasks  # the roadmap still moves


def test_median_answer_time_sizes_the_reviews():
    slow = plan(load=ReviewLoad(due=60, seconds_per_review=20))
    assert slow.review_minutes == 20


def test_week_plan_advances_tasks_and_carries_reviews():
    from studyctl.planner.week import plan_days

    roadmap = small()
    days = plan_days(
        MONDAY,
        7,
        roadmap,
        {},
        ReviewLoad(due=0, new_available=100),
        {MONDAY + dt.timedelta(days=2): 15},
        budget=roadmap.budget,
        new_per_day=10,
        start=MONDAY,
    )
    assert [d.day.weekday() for d in days] == list(range(7))
    assert days[0].tasks[0].id == "read-a"
    assert days[1].lab.id == "lab-c"  # read-a was finished on Monday; the lab goes first
    assert any(t.id == "watch-b" for t in days[2].tasks)
    assert days[1].reviews_due == 10  # Monday's new cards come back on Tuesday
    assert days[2].reviews_due == 10 + 15  # Tuesday's new cards, plus the cards already due
    watched = [t for d in days for t in d.tasks if t.id == "watch-b"]
    assert watched[-1].minutes_done + watched[-1].minutes_today == 300
