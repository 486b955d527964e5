"""The rule under device sync: the live tables and card states are a function of the set of
events, not of the order or the batches they arrive in, and not of the devices' clocks
agreeing. Two devices with skewed clocks study the same cards (answers, undos, marks, task
entries); a third machine that receives all their events shuffled, in random batches, ends
exactly where one that received them at once does, and where each device ends after taking
in the other's."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from srs_helpers import START, Clock, basic_deck, session, store_with
from srs_helpers import settings as review_settings

from studyctl.srs import replay
from studyctl.store import journal
from studyctl.store.db import write_transaction
from studyctl.store.tasks import log_task

DECK = basic_deck("d", 6)
ACTIONS = st.lists(
    st.tuples(st.sampled_from(["answer", "answer", "answer", "undo", "suspend", "flag", "task"]), st.integers(0, 5)),
    min_size=1,
    max_size=14,
)


def knowledge(conn) -> dict:
    keyed = "c.deck || '/' || c.note || '/' || c.ord"
    return {
        "states": sorted(tuple(r) for r in conn.execute(
            f"SELECT {keyed}, s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses "
            "FROM card_state s JOIN cards c ON c.id = s.card_id"
        )),
        "marks": sorted(tuple(r) for r in conn.execute(
            f"SELECT {keyed}, m.suspended, m.leech, m.buried_until, m.flag_note FROM card_marks m "
            "JOIN cards c ON c.id = m.card_id"
        )),
        "reviews": sorted(tuple(r) for r in conn.execute(
            f"SELECT r.uid, {keyed}, r.reviewed_at, r.rating, r.due_after FROM reviews r "
            "JOIN cards c ON c.id = r.card_id"
        )),
        "tasks": sorted(tuple(r) for r in conn.execute("SELECT uid, task, status, minutes FROM task_log")),
    }  # fmt: skip


def study(conn, actions, clock: Clock, rng: random.Random) -> None:
    sess = session(conn, clock, review_settings(new_cards_per_day=50))
    cards = [row[0] for row in conn.execute("SELECT id FROM cards ORDER BY id")]
    from studyctl.store import reviewing

    for action, index in actions:
        card = reviewing.card(conn, cards[index])
        if action == "answer":
            sess.answer(card, rng.choice([1, 2, 3, 4]), duration_ms=3000)
        elif action == "undo":
            sess.undo()
        elif action == "suspend":
            sess.suspend(card)
        elif action == "flag":
            sess.flag(card, f"note {index}")
        else:
            stamp = clock.now.isoformat(timespec="seconds")
            log_task(conn, "r", f"t{index}", "progress", 10 + index, str(clock.now.date()), stamp)
        clock.advance(minutes=rng.randint(1, 600))


def take_in(conn, events: list[journal.Event]) -> None:
    with write_transaction(conn):
        replay.settle(conn, journal.merge(conn, events))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=ACTIONS,
    second=ACTIONS,
    skew_minutes=st.integers(-180, 180),
    seed=st.integers(0, 10_000),
    batches=st.integers(1, 6),
)
def test_any_order_any_batches_any_clock_skew_end_in_the_same_place(first, second, skew_minutes, seed, batches):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        a, b, c, d = (store_with(root / name, {"d": DECK}) for name in "abcd")
        study(a, first, Clock(START), rng)
        study(b, second, Clock(START + dt.timedelta(minutes=skew_minutes)), rng)  # B's clock is off
        from_a, from_b = list(journal.events(a)), list(journal.events(b))

        shuffled = from_a + from_b
        rng.shuffle(shuffled)
        cuts = sorted(rng.sample(range(1, len(shuffled)), min(batches, len(shuffled)) - 1)) if len(shuffled) > 1 else []
        for start, end in zip([0, *cuts], [*cuts, len(shuffled)], strict=True):
            take_in(c, shuffled[start:end])
        take_in(d, from_a + from_b)
        take_in(a, from_b)
        take_in(b, from_a)
        take_in(c, from_b)  # again: nothing changes

        expected = knowledge(d)
        assert knowledge(c) == expected
        assert knowledge(a) == expected == knowledge(b)
        for conn in (a, b, c):
            report = replay.rebuild(conn, write=False, from_journal=True)
            assert report.differences == [] and report.journal.differences == 0
