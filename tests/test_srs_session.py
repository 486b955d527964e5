"""The review queue and its actions: order, daily limits, siblings, undo, leeches, marks, cram."""

import datetime as dt

from srs_helpers import Clock, basic_deck, session, settings, store_with

from studyctl.store import reviewing

CLOZE_DECK = """
id: cz
title: Cloze
cards:
  - {id: pair, type: cloze, text: "{{c1::Adam}} keeps {{c2::two}} moving averages."}
  - {id: solo, type: basic, front: Q, back: A}
"""


def drain(sess, rating=3, limit=1000):
    """Answer every card the session shows right now; returns the (deck, note) shown."""
    shown = []
    while (card := sess.next_card()) is not None and len(shown) < limit:
        shown.append((card.deck, card.note, card.ord))
        sess.answer(card, rating)
    return shown


def test_new_cards_follow_the_roadmap_deck_order(tmp_path):
    conn = store_with(tmp_path, {"alpha": basic_deck("alpha", 3), "beta": basic_deck("beta", 3)})
    sess = session(conn, Clock(), deck_order=["beta", "alpha"])
    first = sess.next_card()
    assert first.deck == "beta" and first.note == "c0"


def test_daily_new_card_limit_holds_across_sessions(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 30)})
    clock = Clock()
    cfg = settings(new_cards_per_day=5)
    first = session(conn, clock, cfg, limit=3)
    assert len(drain(first)) == 3
    clock.advance(minutes=30)  # learning cards from the first session come back too
    second = session(conn, clock, cfg)
    new_shown = {c for c in drain(second) if c[:2] not in {("d", f"c{i}") for i in range(3)}}
    assert len(new_shown) == 2  # (their learning steps come back too, hence the set)
    clock.advance(days=1)
    assert session(conn, clock, cfg).remaining()["new"] == 5  # a new day, a new allowance


def test_daily_review_cap(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 10)})
    clock = Clock()
    sess = session(conn, clock, settings(new_cards_per_day=10, fuzz=False))
    for _ in range(3):  # graduate every card to the review state
        drain(sess, rating=4)
        clock.advance(minutes=15)
        sess = session(conn, clock, settings(new_cards_per_day=10, fuzz=False))
    clock.advance(days=60)
    capped = session(conn, clock, settings(max_reviews_per_day=4, fuzz=False))
    assert capped.remaining()["review"] == 4


def test_reviews_most_overdue_relative_to_interval_first(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 2)})
    clock = Clock()
    now = clock.now
    ids = [row[0] for row in conn.execute("SELECT id FROM cards ORDER BY id")]
    states = {  # card 0: 3 days late on a 90-day interval; card 1: 2 days late on a 2-day one
        ids[0]: (now - dt.timedelta(days=93), now - dt.timedelta(days=3)),
        ids[1]: (now - dt.timedelta(days=4), now - dt.timedelta(days=2)),
    }
    with conn:
        for card_id, (last, due) in states.items():
            conn.execute(
                "INSERT OR REPLACE INTO card_state VALUES (?, 'review', NULL, 10, 5, ?, ?, 3, 0)",
                (card_id, due.isoformat(timespec="seconds"), last.isoformat(timespec="seconds")),
            )
    assert session(conn, clock).next_card().id == ids[1]


def test_learning_cards_come_back_in_the_same_session(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 1)})
    clock = Clock()
    sess = session(conn, clock)
    card = sess.next_card()
    sess.answer(card, 1)  # Again: back in a minute
    assert sess.next_card().id == card.id  # learn-ahead shows it rather than ending the session
    clock.advance(minutes=2)
    assert sess.next_card().state == "learning"


def test_cloze_siblings_wait_for_another_day(tmp_path):
    conn = store_with(tmp_path, {"cz": CLOZE_DECK})
    clock = Clock()
    shown = drain(session(conn, clock), limit=3)
    assert {o for _, n, o in shown if n == "pair"} == {1}  # c1 (and its learning steps), not c2
    clock.advance(days=1)
    later = session(conn, clock)
    assert any(card[:2] == ("cz", "pair") and card[2] == 2 for card in drain(later, limit=5))


def test_undo_restores_state_and_log(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 2)})
    clock = Clock()
    sess = session(conn, clock)
    first = sess.next_card()
    sess.answer(first, 3)
    before = reviewing.state_row(conn, first.id)
    clock.advance(minutes=15)
    again = reviewing.card(conn, first.id)
    sess.answer(again, 1)
    assert reviewing.state_row(conn, first.id) != before
    undone = sess.undo()
    assert undone.action == "answer" and undone.card.id == first.id
    assert reviewing.state_row(conn, first.id) == before
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert sess.next_card().id == first.id  # shown again
    sess.undo()
    assert reviewing.state_row(conn, first.id).state == "new"  # new again


def test_leech_is_tagged_and_suspended(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 1)})
    clock = Clock()
    cfg = settings(leech_threshold=3, fuzz=False)
    card_id = conn.execute("SELECT id FROM cards").fetchone()[0]
    leech_answers = []
    for _ in range(40):
        card = reviewing.card(conn, card_id)
        # graduate with Easy, then fail it once it is a review card
        rating = 1 if card.state == "review" else 4
        answer = session(conn, clock, cfg).answer(card, rating)
        leech_answers.append(answer.leech)
        if reviewing.marks(conn, card_id):
            break
        clock.now = dt.datetime.fromisoformat(reviewing.state_row(conn, card_id).due) + dt.timedelta(minutes=1)
    marks = reviewing.marks(conn, card_id)
    assert marks["leech"] == 1 and marks["suspended"] == 1
    assert leech_answers[-1] is True and leech_answers.count(True) == 1
    assert reviewing.state_row(conn, card_id).lapses == 3
    assert session(conn, clock, cfg).next_card() is None  # suspended: out of the queue
    assert [row["note"] for row in reviewing.flagged(conn)] == ["c0"]


def test_suspend_bury_and_flag(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 3)})
    clock = Clock()
    sess = session(conn, clock)
    a = sess.next_card()
    sess.suspend(a)
    b = sess.next_card()  # the next card: the same one until it is answered or set aside
    assert b.id != a.id
    sess.bury(b)
    sess.flag(b, "answer is ambiguous")
    assert {c[1] for c in drain(session(conn, clock))} == {"c2"}
    clock.advance(days=1)
    notes = {c[1] for c in drain(session(conn, clock))}
    assert "c1" in notes and "c0" not in notes  # buried comes back tomorrow, suspended doesn't
    flags = reviewing.flagged(conn)
    assert [(f["note"], f["flag_note"]) for f in flags if f["flag_note"]] == [("c1", "answer is ambiguous")]


def test_cram_leaves_the_schedule_alone(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 3)})
    clock = Clock()
    drain(session(conn, clock), rating=4)
    states = reviewing.all_states(conn)
    cram = session(conn, clock, cram=True)
    shown = drain(cram, rating=1)
    assert len(shown) == 3
    assert reviewing.all_states(conn) == states
    assert conn.execute("SELECT count(*) FROM reviews WHERE kind = 'cram'").fetchone()[0] == 3
