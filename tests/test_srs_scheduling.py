"""FSRS through the fsrs package: stored states equal the package's, fuzz and load balancing."""

import datetime as dt
import random

from fsrs import Card, Rating, Scheduler
from srs_helpers import START, Clock, basic_deck, session, settings, store_with

from studyctl.srs.scheduling import CardState, balanced_due, fuzz_range
from studyctl.store import reviewing

RATINGS = [3, 3, 1, 3, 4, 2, 3, 1, 1, 3, 3, 4]


def test_stored_states_equal_what_fsrs_computes(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 1)})
    clock = Clock()
    cfg = settings(fuzz=False)
    card_id = conn.execute("SELECT id FROM cards").fetchone()[0]
    reference = Scheduler(enable_fuzzing=False)
    expected = Card(card_id=card_id, due=START)
    for rating in RATINGS:
        sess = session(conn, clock, cfg)
        card = reviewing.card(conn, card_id)
        sess.answer(card, rating, duration_ms=3000)
        expected, _ = reference.review_card(expected, Rating(rating), review_datetime=clock.now, review_duration=3000)
        stored = reviewing.state_row(conn, card_id)
        assert stored.state == expected.state.name.lower()
        assert stored.step == expected.step
        assert stored.stability == expected.stability
        assert stored.difficulty == expected.difficulty
        assert stored.due == expected.due.isoformat()
        clock.now = expected.due + dt.timedelta(hours=1)  # come back after it is due


def test_fuzz_range_matches_the_package():
    """Our range is the package's fuzz range. (The package draws round(U * (n + 1) + low), which
    can land one day past its own `high`; we keep to the documented [low, high].)"""
    scheduler = Scheduler(enable_fuzzing=True)
    for days in (3, 7, 15, 40, 200):
        produced = set()
        for seed in range(400):
            random.seed(seed)
            produced.add(scheduler._get_fuzzed_interval(interval=dt.timedelta(days=days)).days)
        low, high = fuzz_range(days, 36500)
        assert set(range(low, high + 1)) <= produced <= set(range(low, high + 2))


def test_load_balancing_picks_the_least_busy_day():
    at = START
    state = CardState("review", None, 20.0, 5.0, at + dt.timedelta(days=20), at)
    low, _ = fuzz_range(20, 36500)
    quiet = low + 1
    quiet_day = (at + dt.timedelta(days=quiet)).date()

    def loads(first, last):
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        return {day: 5 for day in days if day != quiet_day}

    due = balanced_due(state, at, maximum_interval=36500, loads=loads, study_day=lambda m: m.date())
    assert (due - at).days == quiet


def test_easy_days_get_fewer_cards():
    at = START
    state = CardState("review", None, 10.0, 5.0, at + dt.timedelta(days=10), at)
    low, high = fuzz_range(10, 36500)
    easy = {(at + dt.timedelta(days=d)).weekday() for d in range(low, high + 1)} - {
        (at + dt.timedelta(days=10)).weekday()
    }
    picks = [
        balanced_due(
            state,
            at,
            maximum_interval=36500,
            loads=lambda first, last: {},
            study_day=lambda m: m.date(),
            easy_days=tuple(easy),
            rng=random.Random(seed),
        ).weekday()
        for seed in range(20)
    ]
    assert not set(picks) & easy


def test_fuzzed_reviews_stay_in_range_and_are_logged(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 1)})
    clock = Clock()
    card_id = conn.execute("SELECT id FROM cards").fetchone()[0]
    reference = Scheduler(enable_fuzzing=False)
    expected = Card(card_id=card_id, due=START)
    for rating in (3, 3, 3, 3):
        session(conn, clock).answer(reviewing.card(conn, card_id), rating)
        expected, _ = reference.review_card(expected, Rating(rating), review_datetime=clock.now)
        stored = reviewing.state_row(conn, card_id)
        assert stored.stability == expected.stability  # fuzz moves the day, never the memory model
        interval = (expected.due - clock.now).days
        low, high = fuzz_range(interval, 36500) if stored.state == "review" else (interval, interval)
        actual = (dt.datetime.fromisoformat(stored.due) - clock.now).days
        assert low <= actual <= high
        logged = conn.execute("SELECT due_after FROM reviews ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert logged == stored.due
        expected.due = dt.datetime.fromisoformat(stored.due)
        clock.now = expected.due + dt.timedelta(hours=1)
