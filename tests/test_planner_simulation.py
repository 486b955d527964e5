"""A learner simulated over seven weeks on fixed dates (start Mon 4 Jan 2027, deadline 4 Apr):
skipped evenings, a two-week break, tasks that overrun. Every day, through the service layer on
a real store: the finish at budget is the last task day of the days planned ahead; every planned
task is unlocked and every planned deck task's cards are really offered by the review session;
no plan runs past what is left of the day's budget; one skipped evening moves the verdict by a
day or two, not weeks."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import write

from studyctl.planner.tasks import blocked_by, with_decks
from studyctl.presentation.plans import forecast_lines
from studyctl.service import reviews, roadmaps
from studyctl.service.home import Home
from studyctl.service.today import plan_days, today

START = dt.date(2027, 1, 4)  # a Monday
DEADLINE = dt.date(2027, 4, 4)

ROADMAP = """
id: sim
title: Simulated plan
budget: {weekday: 60, weekend: 180}
phases:
  - id: basics
    title: Basics
    goal: The trunk first.
    tasks:
      - {id: basics-deck, title: Basics cards, kind: deck, deck: basics, minutes: 30}
      - id: course
        title: Course
        kind: watch
        chunk: {min: 30, max: 120}
        parts:
          - {name: L1, minutes: 90}
          - {name: L2, minutes: 90}
          - {name: L3, minutes: 90}
          - {name: L4, minutes: 90}
          - {name: L5, minutes: 90}
          - {name: L6, minutes: 90}
      - {id: book, title: Book, kind: read, minutes: 600, slot: weekday}
      - {id: lab-one, title: Lab one, kind: lab, lab: lab-one, minutes: 120, after: [course], slot: weekend}
      - {id: extra-video, title: Extra video, kind: watch, minutes: 300, optional: true}
      - {id: notes, title: Topic notes, kind: practice, minutes: 400, every: 2, chunk: {min: 20, max: 20}}
  - id: advanced
    title: Advanced
    tasks:
      - {id: advanced-deck, title: Advanced cards, kind: deck, deck: advanced, minutes: 40}
      - {id: second-book, title: Second book, kind: read, minutes: 900, chunk: {min: 30, max: 120}}
      - {id: project, title: Project, kind: project, minutes: 1500, chunk: {min: 45, max: 180}, slot: weekend}
      - {id: paper, title: Paper, kind: read, minutes: 600, optional: true}
  - id: finish
    title: Finish
    tasks:
      - {id: writeup, title: Write-up, kind: project, minutes: 600}
"""

SKIPPED = {3, 9, 37}  # evenings lost
BREAK = set(range(17, 31))  # two weeks away
OVERRUN = {5, 12, 33}  # the first task of the day takes half as long again


def deck(deck_id: str, cards: int) -> str:
    lines = [f"id: {deck_id}", f"title: {deck_id}", "cards:"]
    lines += [f"  - {{id: c{i}, type: basic, front: 'Q{i} of {deck_id}?', back: 'A{i}.'}}" for i in range(cards)]
    return "\n".join(lines) + "\n"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.combine(START, dt.time(19), tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def learner(tmp_path, monkeypatch):
    empty = tmp_path / "builtin"
    empty.mkdir()
    monkeypatch.setattr("studyctl.paths.builtin_content_root", lambda: empty)
    content = tmp_path / "content"
    write(content / "schedule" / "sim.yaml", ROADMAP)
    write(content / "decks" / "basics.yaml", deck("basics", 45))
    write(content / "decks" / "advanced.yaml", deck("advanced", 60))
    clock = Clock()
    home = Home(extra_roots=(content,), clock=clock)
    roadmaps.use_roadmap(home, "sim", start=START, deadline=DEADLINE)
    yield home, clock
    home.close()


def last_task_day(plans) -> dt.date | None:
    days = [p.day for p in plans if p.tasks or any(t.minutes_today for t in p.deck_tasks)]
    return max(days) if days else None


def study_cards(home: Home, clock: Clock) -> dict[str, int]:
    """Answer every card the session offers (Good, 8 s each); returns new cards seen per deck."""
    opened = reviews.open_session(home)
    session = opened.session
    new: dict[str, int] = {}
    while (card := session.next_card()) is not None:
        if card.state == "new":
            new[card.deck] = new.get(card.deck, 0) + 1
        clock.now += dt.timedelta(seconds=8)
        session.answer(card, 3, duration_ms=8000)
    return new


def test_learner_simulation_keeps_the_plan_honest(learner):
    home, clock = learner
    roadmap = roadmaps.active_roadmap(home)
    finishes: dict[int, dt.date] = {}
    verdicts: list[str] = []
    for offset in range(49):
        day = START + dt.timedelta(days=offset)
        clock.now = dt.datetime.combine(day, dt.time(19), tzinfo=dt.timezone.utc)
        plan = today(home).plan
        forecast = plan.forecast
        assert forecast is not None and plan.day == day
        verdicts.append(f"{day:%a %d %b}: " + " ".join(forecast_lines(forecast, "sim")))
        finish = forecast.finish_at_budget
        assert finish is not None and finish >= day  # the plan always ends somewhere
        finishes[offset] = finish
        ahead = plan_days(home, (finish - day).days + 3).plans
        assert abs((last_task_day(ahead) - finish).days) <= 1  # one projection: the same finish
        # every planned minute can be done: within what is left of the day, each task unlocked
        assert plan.planned_minutes <= plan.left_minutes * 1.15 + 1
        progress = with_decks(
            roadmap,
            roadmaps.progress_of(home, roadmap.id, day),
            roadmaps.deck_stocks(home, roadmap, day),
            roadmaps.card_minutes_per_new_card(home),
        )
        tasks = {task.id: task for task in roadmap.tasks}
        for planned in plan.tasks[:1]:  # later blocks may be unlocked by the first one finishing today
            assert blocked_by(roadmap, tasks[planned.id], progress) == []
        for planned in plan.tasks:
            assert planned.minutes_today <= tasks[planned.id].blocks.max
        if offset in SKIPPED or offset in BREAK:
            continue
        offered = study_cards(home, clock)
        for deck_id, count in plan.new_from.items():  # the deck task's cards are really there
            assert offered.get(deck_id, 0) >= count, (day, deck_id, offered)
        for index, planned in enumerate(plan.tasks):
            minutes = planned.minutes_today
            if offset in OVERRUN and index == 0:
                minutes = round(minutes * 1.5)
                left = 30 if offset == 12 else None
                roadmaps.record_task(home, planned.id, "progress", minutes, left=left)
            elif planned.is_partial:
                roadmaps.record_task(home, planned.id, "progress", minutes)
            else:
                roadmaps.record_task(home, planned.id, "done", minutes)
    for skipped in sorted(SKIPPED):  # one evening lost moves the finish by a day or two
        assert 0 <= (finishes[skipped + 1] - finishes[skipped - 1]).days <= 3, verdicts[skipped - 1 : skipped + 2]
    moved = [(finishes[o + 1] - finishes[o]).days for o in range(48) if o not in SKIPPED and o not in BREAK]
    assert max(moved) <= 3, verdicts  # a studied day never throws the finish weeks out
    assert (finishes[31] - finishes[16]).days >= 10  # two weeks away cost about two weeks
    assert all(": On track: " in line or ": Behind: " in line for line in verdicts), verdicts
