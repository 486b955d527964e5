"""The forecast: one projection, so the finish at budget is the last task day of the days
planned ahead; the real pace beside it; a verdict in Beeminder's terms (safe days, or days
behind and "+M min a day for D days"), sensible on day 1, after the deadline, with no history."""

import datetime as dt
from pathlib import Path

from studyctl.content.model.roadmap import Budget
from studyctl.content.roadmaps import roadmap_from_data
from studyctl.content.yamlfile import parse_yaml
from studyctl.planner.model import Preferences, ReviewLoad, TaskProgress
from studyctl.planner.project import project
from studyctl.presentation.plans import forecast_lines, verdict

MONDAY = dt.date(2027, 1, 4)

PLAN = """
id: plan
title: A plan
budget: {weekday: 60, weekend: 180}
phases:
  - id: one
    title: One
    tasks:
      - {id: a, title: A, kind: read, minutes: 300}
      - {id: b, title: B, kind: watch, minutes: 300, after: [a]}
  - id: two
    title: Two
    tasks:
      - {id: c, title: C, kind: read, minutes: 600}
      - {id: nice, title: Nice to have, kind: watch, minutes: 400, optional: true}
      - {id: nicer, title: Nicer to have, kind: watch, minutes: 200, optional: true}
"""


def roadmap():
    r, _ = roadmap_from_data(parse_yaml(PLAN, Path("plan.yaml")), Path("plan.yaml"))
    return r


def run(day=MONDAY, deadline=None, progress=None, load=None, days=1, budget=None, start=MONDAY):
    r = roadmap()
    prefs = Preferences(budget=budget or r.budget, start=start, deadline=deadline)
    return project(day, r, progress or {}, load or ReviewLoad(), prefs, days=days)


def last_task_day(projection):
    return max(day.day for day in projection.days if day.tasks)


def test_finish_at_budget_is_the_last_day_of_the_days_planned_ahead():
    projection = run(days=60)
    forecast = projection.forecast
    assert forecast.finish_at_budget == last_task_day(projection)
    assert forecast.minutes_left == 1800  # every minute of it is in the days planned
    assert sum(day.task_minutes for day in projection.days) == 1800


def test_day_one_is_on_track_with_safe_days_and_no_pace_yet():
    forecast = run(deadline=MONDAY + dt.timedelta(days=60)).forecast
    assert forecast.on_track and forecast.safe_days == (forecast.deadline - forecast.finish).days > 0
    assert forecast.pace_per_day is None and forecast.days_behind is None
    lines = forecast_lines(forecast, "plan")
    assert lines[0].startswith("On track:") and "safe days before the deadline" in lines[0]
    assert "Your real pace shows after 7 days more" in lines[-1]


def test_behind_says_by_how_much_and_what_catches_up():
    deadline = MONDAY + dt.timedelta(days=8)
    forecast = run(deadline=deadline, load=ReviewLoad()).forecast
    assert not forecast.on_track and forecast.days_behind and forecast.days_behind > 0
    assert forecast.dropped == ("nice", "nicer")  # both dropped, and still behind
    assert forecast.extra_days == 9 and forecast.extra_minutes_per_day > 0
    text = verdict(forecast, "plan")
    assert text.startswith("Behind:") and f"+{forecast.extra_minutes_per_day} min a day for the 9 days" in text
    # the catch-up rate really catches up: the same plan with that much more a day is on time
    more = forecast.extra_minutes_per_day
    budget = Budget(weekday=60 + more, weekend=180 + more)
    assert run(deadline=deadline, budget=budget).forecast.finish <= deadline + dt.timedelta(days=1)


def test_optional_tasks_are_dropped_first_when_behind_and_the_plan_says_so():
    r = roadmap()
    everything = run().forecast.finish
    tight = run(progress={"nicer": TaskProgress(skipped=True)}).forecast.finish  # without the last optional task
    assert tight < everything
    forecast = run(deadline=tight).forecast
    assert forecast.dropped and set(forecast.dropped) <= {t.id for t in r.tasks if t.optional}
    assert forecast.on_track
    assert forecast.dropped == ("nicer",)  # the fewest, the latest first
    assert any(line.startswith("Dropped 1 optional task") for line in forecast_lines(forecast))
    projection = run(deadline=tight, days=60)
    assert not any(t.id == "nicer" for day in projection.days for t in day.tasks)


def test_after_the_deadline_the_verdict_stays():
    deadline = MONDAY + dt.timedelta(days=5)
    later = deadline + dt.timedelta(days=1)
    forecast = run(day=later, deadline=deadline, progress={"a": TaskProgress(300, done=True)}).forecast
    assert forecast.deadline_passed and not forecast.on_track
    assert forecast.days_behind == (forecast.finish - deadline).days
    text = verdict(forecast, "plan")
    assert text.startswith(f"Deadline {deadline:%a %d %b %Y} passed 1 day ago") and "--deadline" in text


def test_no_deadline_and_no_history():
    forecast = run(start=None).forecast
    assert forecast.deadline is None and forecast.on_track is None and forecast.finish is not None
    assert "No deadline" in verdict(forecast)
    assert forecast.pace_per_day is None


def test_real_pace_is_smoothed_task_minutes_and_gives_its_own_finish():
    day = MONDAY + dt.timedelta(days=14)
    logged = {day - dt.timedelta(days=i): 30 for i in range(1, 15)}
    forecast = run(day=day, load=ReviewLoad(task_minutes_by_day=logged)).forecast
    assert round(forecast.pace_per_day) == 30
    assert forecast.finish_at_pace == day + dt.timedelta(days=1800 // 30 - 1)
    recent = {day - dt.timedelta(days=i): 60 for i in range(1, 4)}  # only the last three days
    smoothed = run(day=day, load=ReviewLoad(task_minutes_by_day=recent)).forecast
    assert 10 < smoothed.pace_per_day < 30  # recent days weigh more, but not all
    nothing = run(day=day, load=ReviewLoad()).forecast
    assert nothing.pace_per_day == 0 and nothing.finish_at_pace is None
    assert "never ends" in forecast_lines(nothing)[-1]


def test_a_task_no_day_can_take_is_reported_not_counted_as_on_time():
    stuck = """
id: stuck
title: Stuck
budget: {weekday: 60, weekend: 60}
phases:
  - id: one
    title: One
    tasks:
      - {id: big, title: Big lab, kind: lab, lab: x, minutes: 600, chunk: {min: 50, max: 300}}
"""
    r, _ = roadmap_from_data(parse_yaml(stuck, Path("stuck.yaml")), Path("stuck.yaml"))
    prefs = Preferences(budget=Budget(weekday=30, weekend=30), start=MONDAY, deadline=MONDAY + dt.timedelta(days=30))
    forecast = project(MONDAY, r, {}, ReviewLoad(), prefs).forecast
    assert forecast.stuck == ("big",) and forecast.finish is None and not forecast.on_track
    assert "no day of your budget fits big" in verdict(forecast)


def test_one_skipped_evening_moves_the_finish_by_about_a_day():
    deadline = MONDAY + dt.timedelta(days=40)
    before = run(deadline=deadline).forecast
    skipped = run(day=MONDAY + dt.timedelta(days=1), deadline=deadline).forecast  # Monday's evening lost
    assert 0 <= (skipped.finish - before.finish).days <= 2
