"""The honest queue: what `today` counts is what `review` shows, for any collection.

A Hypothesis property over random collections (cloze siblings, cards in every state, suspended
and buried cards, answers already given today and yesterday, cram answers) and any `--date`:
the plan's reviews and new cards equal the distinct cards a session opened for that day shows
when every card is answered; cramming changes none of it. Plus the rules one by one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from conftest import write
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from srs_helpers import Clock, session, store_with
from srs_helpers import settings as review_settings

from studyctl.clock import day_end_utc, iso_utc
from studyctl.service.home import Home
from studyctl.srs.queue import build_queue
from studyctl.store import journal

NOW = dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.timezone.utc)  # TZ is UTC, rollover 4 am
DAY = dt.date(2026, 11, 23)


@contextlib.contextmanager
def fresh_home():
    """A STUDYCTL_HOME of its own per example (Hypothesis runs many inside one test)."""
    before = os.environ.get("STUDYCTL_HOME")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["STUDYCTL_HOME"] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            if before is None:
                os.environ.pop("STUDYCTL_HOME", None)
            else:
                os.environ["STUDYCTL_HOME"] = before


def deck_yaml(deck_id: str, notes: list[int]) -> str:
    """A deck whose notes are basic cards (0) or cloze notes with that many deletions."""
    lines = [f"id: {deck_id}", f"title: {deck_id}", "cards:"]
    for n, deletions in enumerate(notes):
        if deletions:
            text = " ".join(f"{{{{c{i}::w{i}}}}}" for i in range(1, deletions + 1))
            lines.append(f'  - {{id: n{n}, type: cloze, text: "{text}"}}')
        else:
            lines.append(f"  - {{id: n{n}, type: basic, front: Q{n}, back: A{n}}}")
    return "\n".join(lines) + "\n"


def iso(moment: dt.datetime) -> str:
    return iso_utc(moment)


STATES = st.sampled_from(["new", "new", "new", "learning", "relearning", "review", "review"])


def shape_card(conn, data, card_id: int) -> None:
    """Give one card a random state, marks, and answers earlier today or yesterday."""
    state = data.draw(STATES)
    if state in ("learning", "relearning"):
        due = NOW + dt.timedelta(minutes=data.draw(st.integers(-300, 600)))
        conn.execute(
            "UPDATE card_state SET state = ?, step = 0, stability = 1.0, difficulty = 5.0, due = ?, "
            "last_review = ?, reps = 1 WHERE card_id = ?",
            (state, iso(due), iso(NOW - dt.timedelta(hours=2)), card_id),
        )
    elif state == "review":
        interval = data.draw(st.integers(1, 30))
        due = NOW + dt.timedelta(days=data.draw(st.integers(-5, 3)), hours=data.draw(st.integers(-12, 12)))
        conn.execute(
            "UPDATE card_state SET state = 'review', step = NULL, stability = ?, difficulty = 5.0, due = ?, "
            "last_review = ?, reps = 3 WHERE card_id = ?",
            (float(interval), iso(due), iso(due - dt.timedelta(days=interval)), card_id),
        )
    mark = data.draw(st.sampled_from(["none", "none", "none", "suspended", "buried", "bury-over"]))
    if mark == "suspended":
        conn.execute("INSERT INTO card_marks (card_id, suspended) VALUES (?, 1)", (card_id,))
    elif mark in ("buried", "bury-over"):  # buried until tonight's rollover, or a bury that ran out
        until = day_end_utc(DAY, 4) if mark == "buried" else NOW - dt.timedelta(hours=1)
        conn.execute("INSERT INTO card_marks (card_id, buried_until) VALUES (?, ?)", (card_id, iso(until)))
    for _ in range(data.draw(st.integers(0, 2))):
        kind = data.draw(st.sampled_from(["new", "review", "learning", "cram"]))
        at = NOW - dt.timedelta(minutes=data.draw(st.integers(1, 30 * 60)))  # today, or yesterday evening
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, kind, grading, uid) VALUES (?, ?, 3, ?, 'self', ?)",
            (card_id, iso(at), kind, journal.new_uid()),
        )


def drain(opened_session, check=None) -> list[int]:
    """Answer every card the session shows (Good); the distinct cards, in the order first shown.
    `check(session)` runs before each card is shown."""
    shown: list[int] = []
    for _ in range(500):
        if check is not None:
            check(opened_session)
        card = opened_session.next_card()
        if card is None:
            return shown
        if card.id not in shown:
            shown.append(card.id)
        opened_session.answer(card, 3)
    raise AssertionError("the session never ended")


def same_as_a_fresh_read(sess) -> None:
    """The session's own queue, kept current answer by answer, is what reading it all again gives."""
    fresh = build_queue(sess.conn, sess.settings, sess.clock(), day=sess.day, opened_at=sess.opened_at)
    assert sess.remaining() == fresh.counts.to_dict()
    assert sess.next_card() == fresh.first()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_today_counts_what_review_shows(data, monkeypatch):
    from studyctl.service.reviews import open_session
    from studyctl.service.today import today

    monkeypatch.setattr("studyctl.paths.builtin_content_root", lambda: Path("/nonexistent-builtin"))
    decks = data.draw(st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=5), min_size=1, max_size=3))
    new_per_day = data.draw(st.integers(0, 6))
    review_cap = data.draw(st.integers(1, 8))
    on = DAY + dt.timedelta(days=data.draw(st.sampled_from([0, 0, 0, -1, 1, 2])))
    with fresh_home() as folder:
        content = folder / "content"
        for n, notes in enumerate(decks):
            write(content / "decks" / f"d{n}.yaml", deck_yaml(f"d{n}", notes))
        write(
            folder / "home" / "settings.yaml",
            f"roadmap: none\ncontent_dirs: [{content}]\nnew_cards_per_day: {new_per_day}\n"
            f"budget: {{weekday: 1440, weekend: 1440}}\nreview: {{max_reviews_per_day: {review_cap}}}\n",
        )
        clock = Clock(NOW)
        home = Home(clock=clock)
        home.sync_decks()
        conn = home.conn
        with conn:
            for (card_id,) in conn.execute("SELECT id FROM cards ORDER BY id").fetchall():
                shape_card(conn, data, card_id)

        def queue_ids() -> list[int]:
            return [card.id for card in build_queue(conn, home.settings, clock(), day=on).cards()]

        before_cram = queue_ids()
        cram = open_session(home, cram=True, limit=data.draw(st.integers(1, 4))).session
        drain(cram)
        assert queue_ids() == before_cram  # cramming never changes what normal review shows

        plan = today(home, on=on).plan
        assert plan.backlog_days == 0  # a whole day's budget: nothing held back by the planner
        shown = drain(open_session(home, on=on).session, check=same_as_a_fresh_read)
        event(f"cards shown: {min(len(shown), 6)}{'+' if len(shown) >= 6 else ''}")
        event(f"reviews or learning due: {plan.reviews_due > 0}, new: {plan.new_cards > 0}")
        assert plan.reviews_due + plan.new_cards == len(shown)
        assert shown == before_cram  # the very cards, in the queue's order
        home.close()


# -- the rules, one by one ---------------------------------------------------------------------

CLOZE_PAIRS = """
id: cz
title: Cloze pairs
cards:
  - {id: a, type: cloze, text: "{{c1::one}} {{c2::two}}"}
  - {id: b, type: cloze, text: "{{c1::three}} {{c2::four}}"}
  - {id: c, type: basic, front: Q, back: A}
"""


def new_shown(conn, clock, cfg) -> list[tuple[str, int]]:
    sess = session(conn, clock, cfg)
    shown = []
    while (card := sess.next_card()) is not None:
        if card.state == "new":
            shown.append((card.note, card.ord))
        sess.answer(card, 4)
    return shown


def test_siblings_take_no_place_in_the_new_card_limit(tmp_path):
    conn = store_with(tmp_path, {"cz": CLOZE_PAIRS})
    cfg = review_settings(new_cards_per_day=3)
    queue = build_queue(conn, cfg, NOW)
    assert [(card.note, card.ord) for card in queue.new] == [("a", 1), ("b", 1), ("c", 0)]
    assert new_shown(conn, Clock(NOW), cfg) == [("a", 1), ("b", 1), ("c", 0)]


def test_a_card_set_aside_mid_session_frees_its_place(tmp_path):
    conn = store_with(tmp_path, {"cz": CLOZE_PAIRS})
    clock = Clock(NOW)
    sess = session(conn, clock, review_settings(new_cards_per_day=2))

    def new_in_queue():
        return [(card.note, card.ord) for card in sess.queue().new]

    assert new_in_queue() == [("a", 1), ("b", 1)]
    sess.suspend(sess.next_card())
    # as in Anki, setting one card aside leaves its sibling: only an answer sends a note to tomorrow
    assert new_in_queue() == [("a", 2), ("b", 1)]
    sess.bury(sess.next_card())
    assert new_in_queue() == [("b", 1), ("c", 0)]
    assert sess.remaining() == {"learning": 0, "review": 0, "new": 2}


def test_cram_answers_leave_todays_queue_alone(tmp_path):
    conn = store_with(tmp_path, {"cz": CLOZE_PAIRS})
    clock = Clock(NOW)
    cfg = review_settings(new_cards_per_day=5)
    before = [card.id for card in build_queue(conn, cfg, NOW).cards()]
    cram = session(conn, clock, cfg, cram=True)
    while (card := cram.next_card()) is not None:
        cram.answer(card, 1)
    assert conn.execute("SELECT count(*) FROM reviews WHERE kind = 'cram'").fetchone()[0] == 5
    assert [card.id for card in build_queue(conn, cfg, NOW).cards()] == before


def test_learning_cards_are_counted_in_the_header(tmp_path):
    conn = store_with(tmp_path, {"cz": CLOZE_PAIRS})
    clock = Clock(NOW)
    sess = session(conn, clock, review_settings(new_cards_per_day=1))
    sess.answer(sess.next_card(), 1)  # Again: back in a minute
    assert sess.remaining() == {"learning": 1, "review": 0, "new": 0}
    clock.advance(minutes=30)
    assert build_queue(conn, review_settings(), clock()).counts.learning == 1


def test_a_session_for_another_day_counts_its_own_answers(tmp_path):
    conn = store_with(tmp_path, {"cz": CLOZE_PAIRS})
    clock = Clock(NOW)
    cfg = review_settings(new_cards_per_day=2)
    tomorrow = session(conn, clock, cfg, day=DAY + dt.timedelta(days=1))
    assert tomorrow.remaining()["new"] == 2
    tomorrow.answer(tomorrow.next_card(), 4)
    assert tomorrow.remaining()["new"] == 1  # the allowance shrinks though the answer is logged today


@pytest.mark.parametrize("days", [1, 3])
def test_reviews_due_by_the_end_of_the_day_asked_for(tmp_path, days):
    conn = store_with(tmp_path, {"cz": CLOZE_PAIRS})
    card_id = conn.execute("SELECT id FROM cards WHERE note = 'c'").fetchone()[0]
    due = NOW + dt.timedelta(days=2)
    with conn:
        conn.execute(
            "UPDATE card_state SET state = 'review', stability = 5, difficulty = 5, due = ?, last_review = ? "
            "WHERE card_id = ?",
            (iso(due), iso(due - dt.timedelta(days=5)), card_id),
        )
    cfg = review_settings(new_cards_per_day=0)
    counted = build_queue(conn, cfg, NOW, day=DAY + dt.timedelta(days=days)).counts.review
    assert counted == (1 if days >= 2 else 0)
