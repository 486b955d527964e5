"""The review log is the source of truth: replaying it reproduces every stored state."""

import datetime as dt
import random

from srs_helpers import Clock, basic_deck, session, settings, store_with

from studyctl.srs.replay import rebuild
from studyctl.store import reviewing


def simulate(conn, days: int, cfg=None, seed: int = 3) -> int:
    """A month of evenings with random answers, fuzz and load balancing on, settings changing
    halfway (a new desired retention), plus an undo now and then."""
    rng = random.Random(seed)
    clock = Clock()
    answered = 0
    for day in range(days):
        if day == days // 2:
            cfg = settings(desired_retention=0.85, new_cards_per_day=8)
        sess = session(conn, clock, cfg or settings(new_cards_per_day=8))
        for _ in range(60):
            card = sess.next_card()
            if card is None:
                break
            sess.answer(card, rng.choice([1, 2, 3, 3, 3, 4]), duration_ms=rng.randint(1000, 20000))
            answered += 1
            if rng.random() < 0.05:
                sess.undo()
                answered -= 1
            clock.advance(seconds=rng.randint(5, 90))
        clock.now = dt.datetime.combine(clock.now.date() + dt.timedelta(days=1), dt.time(19), dt.timezone.utc)
    return answered


def test_rebuild_reproduces_every_state_exactly(tmp_path):
    conn = store_with(tmp_path, {"a": basic_deck("a", 40), "b": basic_deck("b", 40)})
    answered = simulate(conn, days=30)
    assert answered > 300
    report = rebuild(conn, write=False)
    assert report.reviews == answered
    assert report.differences == []
    assert conn.execute("SELECT count(*) FROM schedulers").fetchone()[0] == 2


def test_rebuild_repairs_a_damaged_state(tmp_path, run):
    conn = store_with(tmp_path, {"a": basic_deck("a", 10)})
    simulate(conn, days=5)
    card_id, stability = conn.execute("SELECT card_id, stability FROM card_state LIMIT 1").fetchone()
    with conn:
        conn.execute("UPDATE card_state SET stability = 999 WHERE card_id = ?", (card_id,))
    report = rebuild(conn, write=True)
    assert [d[0] for d in report.differences] == [card_id]
    assert reviewing.state_row(conn, card_id).stability == stability
    assert rebuild(conn, write=False).differences == []


def test_db_rebuild_command(run, studyctl_home, tmp_path):
    from studyctl.store.db import connect

    assert run("decks").exit_code == 0  # creates the database with the built-in deck
    conn = connect(studyctl_home / "studyctl.db")
    simulate(conn, days=3)
    assert run("db", "rebuild", "--check").exit_code == 0
    with conn:
        conn.execute("UPDATE card_state SET difficulty = 1.5")
    checked = run("db", "rebuild", "--check")
    assert checked.exit_code == 1 and "differ" in checked.stdout
    assert run("db", "rebuild").exit_code == 0
    assert run("db", "rebuild", "--check").exit_code == 0
