"""The planner, one day at a time: one budget for cards and tasks, phases in order, blocks
between chunk.min and chunk.max cut at named parts, deck tasks done in card time, habits and
slots, and what was already studied today taken off."""

import datetime as dt
from pathlib import Path

from conftest import SMALL_ROADMAP

from studyctl.content.model.roadmap import Budget
from studyctl.content.roadmaps import roadmap_from_data
from studyctl.content.yamlfile import parse_yaml
from studyctl.planner.model import DeckStock, Preferences, ReviewLoad, TaskProgress
from studyctl.planner.project import project
from studyctl.planner.tasks import new_card_source, with_decks

MONDAY = dt.date(2026, 11, 23)
SATURDAY = dt.date(2026, 11, 28)


def roadmap_of(text: str, name: str = "small.yaml"):
    roadmap, _ = roadmap_from_data(parse_yaml(text, Path(name)), Path(name))
    return roadmap


def small():
    return roadmap_of(SMALL_ROADMAP)


GOOD_DECK = {"good": 5}


def today(day=MONDAY, progress=None, load=None, roadmap=None, minutes=None, **prefs):
    roadmap = roadmap or small()
    options = {"budget": roadmap.budget, "new_per_day": 10, "start": MONDAY, **prefs}
    load = load or ReviewLoad(unseen=GOOD_DECK)
    return project(day, roadmap, progress or {}, load, Preferences(**options), minutes_today=minutes).today


def ids(plan):
    return [task.id for task in plan.tasks]


def test_weekday_and_weekend_budgets():
    assert today(MONDAY).budget_minutes == 60
    assert today(SATURDAY).budget_minutes == 180


def test_only_tasks_whose_prerequisites_are_done_and_labs_first():
    assert ids(today()) == ["read-a"]
    after = today(progress={"read-a": TaskProgress(40, done=True)})
    assert ids(after)[0] == "lab-c"  # practice first among tasks not started


def test_a_task_finished_today_unlocks_the_next_one_today():
    plan = today(SATURDAY)
    assert ids(plan)[:2] == ["read-a", "lab-c"]  # read-a (40) ends, its unlocked lab starts the same day


def test_long_task_is_split_in_blocks_and_shows_progress():
    progress = {
        "read-a": TaskProgress(40, done=True),
        "lab-c": TaskProgress(45, done=True),
        "watch-b": TaskProgress(100),
    }
    plan = today(SATURDAY, progress)
    watch = plan.tasks[0]
    assert watch.id == "watch-b" and watch.minutes_done == 100 and watch.minutes_total == 300
    assert watch.minutes_today == 176  # all 176 minutes the new cards leave, and more than chunk.min (20) for later
    assert watch.is_partial


def test_reviews_and_new_cards_take_their_minutes_first():
    load = ReviewLoad(due=120, new_seen_today=4, unseen={"good": 50})
    progress = {t: TaskProgress(0, done=True) for t in ("read-a", "watch-b", "lab-c")}
    plan = today(progress=progress, load=load)
    assert plan.review_minutes == 20  # 120 cards at 10 s
    assert plan.new_cards == 6  # 10 a day, 4 already seen
    assert plan.new_minutes == 4  # 6 cards, each seen ~4 times at 10 s
    assert plan.new_from == {"good": 6}


LOCKED = SMALL_ROADMAP.replace("    parallel: true\n", "").replace(
    "deck: good, minutes: 20}", "deck: good, minutes: 20, after: [watch-b]}"
)


def test_new_cards_only_from_unlocked_decks():
    roadmap = roadmap_of(LOCKED)
    plan = today(roadmap=roadmap, load=ReviewLoad(unseen={"good": 50, "other": 30}))
    assert plan.new_cards == 0 and plan.new_available == 0  # deck-d waits for watch-b: its deck is locked
    assert today(load=ReviewLoad(unseen={"good": 50, "other": 30})).new_from == {"good": 10}  # unlocked
    assert new_card_source(roadmap, {}).new_decks == frozenset()
    done = {t: TaskProgress(0, done=True) for t in ("read-a", "watch-b", "lab-c")}
    source = new_card_source(roadmap, done, own_decks=("mine", "good"), policy="first")
    assert source.deck_order == ("mine", "good") and source.new_decks == {"mine", "good"}
    assert new_card_source(roadmap, done, own_decks=("mine",), policy="after").deck_order == ("good", "mine")
    assert new_card_source(None, {}).new_decks is None  # no roadmap: any deck


def test_deck_task_minutes_are_card_time_not_extra_minutes():
    done = {t: TaskProgress(0, done=True) for t in ("read-a", "watch-b", "lab-c")}
    plan = today(progress=done, load=ReviewLoad(unseen={"good": 40}))
    deck = plan.deck_tasks[0]
    assert deck.id == "deck-d" and deck.minutes_today == plan.new_minutes == 7
    assert plan.planned_minutes == plan.card_minutes  # the deck task adds nothing on top
    assert plan.tasks == []


def test_deck_task_progress_is_the_card_time_spent_on_its_deck():
    roadmap = small()
    folded = with_decks(roadmap, {}, {"good": DeckStock(unseen=30, minutes=12.4)}, 40 / 60)
    assert folded["deck-d"].minutes == 12 and not folded["deck-d"].done
    finished = with_decks(roadmap, {}, {"good": DeckStock(unseen=30, minutes=21)}, 40 / 60)
    assert finished["deck-d"].done  # 20 minutes of card time on the deck
    seen_all = with_decks(roadmap, {}, {"good": DeckStock(unseen=0, minutes=3)}, 40 / 60)
    assert seen_all["deck-d"].done  # nothing left to learn from it
    assert with_decks(roadmap, {}, {}, 40 / 60)["deck-d"].done  # not installed: nothing can be done


def test_studied_today_is_taken_off():
    plan = today(load=ReviewLoad(unseen=GOOD_DECK, studied_today=45))
    assert plan.studied_minutes == 45 and plan.left_minutes == 15
    assert plan.planned_minutes <= 15
    used_up = today(load=ReviewLoad(unseen=GOOD_DECK, studied_today=70))
    assert used_up.left_minutes == 0 and used_up.tasks == []
    assert any("used up" in note for note in used_up.notes)


def test_everything_done():
    progress = {t: TaskProgress(0, done=True) for t in ("read-a", "watch-b", "lab-c", "deck-d")}
    plan = today(progress=progress)
    assert plan.tasks == [] and plan.forecast.minutes_left == 0 and plan.forecast.finished
    assert any("done" in note for note in plan.notes)


def test_a_day_off_plans_nothing():
    tuesday = MONDAY + dt.timedelta(days=1)
    plan = today(tuesday, load=ReviewLoad(due=30, unseen=GOOD_DECK), days_off=frozenset({tuesday}))
    assert plan.day_off and plan.tasks == [] and plan.planned_minutes == 0
    assert "30 reviews will wait" in plan.notes[0]
    roadmap = small()
    zero = project(MONDAY, roadmap, {}, ReviewLoad(), Preferences(budget=Budget(weekday=0))).today
    assert zero.day_off


def test_review_backlog_after_two_weeks_away_is_spread():
    """1200 reviews at 10 s = 200 min, on a 180-minute day: half the day, spread over days."""
    plan = today(SATURDAY, load=ReviewLoad(due=1200, unseen={"good": 50}))
    assert plan.reviews_planned == 540 and plan.review_minutes == 90
    assert plan.backlog_days == 3
    assert plan.new_cards == 0  # new cards pause while a backlog is cleared
    assert any("spread over about 3 days" in note for note in plan.notes)
    assert plan.tasks  # the roadmap still moves


def test_median_answer_time_sizes_the_reviews():
    assert today(load=ReviewLoad(due=60, seconds_per_review=20)).review_minutes == 20


def test_minutes_override_is_the_days_budget():
    assert today(SATURDAY, minutes=30).budget_minutes == 30


CHUNKED = """
id: chunked
title: Chunked
budget: {weekday: 100, weekend: 300}
phases:
  - id: one
    title: One
    tasks:
      - id: lectures
        title: Lectures
        kind: watch
        chunk: {min: 40, max: 150}
        parts:
          - {name: P1, minutes: 80}
          - {name: P2, minutes: 80}
          - {name: P3, minutes: 80}
          - {name: P4, minutes: 80}
      - {id: short, title: Short read, kind: read, minutes: 20, slot: weekend}
  - id: two
    title: Two
    tasks:
      - {id: later, title: Later, kind: read, minutes: 50}
      - {id: extra, title: Extra, kind: read, minutes: 500, optional: true}
"""


def test_blocks_end_at_named_parts():
    roadmap = roadmap_of(CHUNKED)
    plan = today(MONDAY, roadmap=roadmap, load=ReviewLoad())
    block = plan.tasks[0]
    assert block.minutes_today == 80 and block.parts == "P1"  # 100 free, but P2 would be cut
    saturday = today(SATURDAY, roadmap=roadmap, load=ReviewLoad())
    lectures = next(block for block in saturday.tasks if block.id == "lectures")
    assert lectures.minutes_today == 80  # P1+P2 is 160 > chunk.max 150
    progressed = today(SATURDAY, roadmap=roadmap, load=ReviewLoad(), progress={"lectures": TaskProgress(160)})
    block = next(block for block in progressed.tasks if block.id == "lectures")
    assert block.parts == "P3" and block.minutes_today == 80  # P3+P4 > chunk.max
    midway = today(MONDAY, roadmap=roadmap, load=ReviewLoad(), progress={"lectures": TaskProgress(50)})
    assert midway.tasks[0].parts == "P1 (cont.), P2 (start)" and midway.tasks[0].minutes_today == 100


def test_a_tail_under_chunk_min_is_merged_into_a_stretched_day():
    roadmap = roadmap_of(CHUNKED)
    plan = today(MONDAY, roadmap=roadmap, load=ReviewLoad(), progress={"lectures": TaskProgress(210)})
    assert plan.tasks[0].minutes_today == 110  # 100 free, 110 left: run 10% over rather than leave 10
    assert plan.planned_minutes <= 100 * 1.15


def test_slots_and_phase_order():
    roadmap = roadmap_of(CHUNKED)
    weekday = project(MONDAY, roadmap, {}, ReviewLoad(), Preferences(budget=roadmap.budget), days=7).days
    assert all("short" not in ids(day) for day in weekday if day.day.weekday() < 5)
    assert any("short" in ids(day) for day in weekday if day.day.weekday() >= 5)
    first_two = min(day.day for day in weekday for t in day.tasks if t.phase == "two")
    last_one = max(day.day for day in weekday for t in day.tasks if t.phase == "one")
    assert first_two >= last_one  # phase two starts only once phase one is done


HABIT = """
id: habit
title: Habit
budget: {weekday: 120, weekend: 120}
phases:
  - id: one
    title: One
    tasks:
      - {id: notes, title: Topic notes, kind: practice, minutes: 200, every: 2, chunk: {min: 20, max: 20}}
      - {id: book, title: Book, kind: read, minutes: 900}
"""


def test_habit_gets_one_short_block_every_n_days_and_never_holds_the_finish():
    roadmap = roadmap_of(HABIT)
    days = project(MONDAY, roadmap, {}, ReviewLoad(), Preferences(budget=roadmap.budget), days=6).days[:6]
    notes = [day.day for day in days for t in day.tasks if t.id == "notes"]
    assert notes == [MONDAY + dt.timedelta(days=i) for i in (0, 2, 4)]
    assert all(t.minutes_today == 20 for day in days for t in day.tasks if t.id == "notes")
    projection = project(MONDAY, roadmap, {}, ReviewLoad(), Preferences(budget=roadmap.budget))
    book_done = max(day.day for day in projection.days for t in day.tasks if t.id == "book")
    assert projection.forecast.finish_at_budget == book_done  # 200 min of notes don't stretch the finish
