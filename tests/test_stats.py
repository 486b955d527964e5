"""Stats like Anki's: time per day, cards by maturity, true retention over exactly the window the
title names (and per deck), the forecast, and plural forms right."""

from __future__ import annotations

import datetime as dt
import json

from conftest import write
from srs_helpers import basic_deck, store_with

from studyctl.srs.stats import compute
from studyctl.store import journal

DAY = dt.date(2026, 11, 23)  # TZ is UTC, rollover 4 am: the day runs 04:00 to 04:00 UTC


def at(days_ago: int, hour: int = 20) -> str:
    moment = dt.datetime.combine(DAY - dt.timedelta(days=days_ago), dt.time(hour), tzinfo=dt.timezone.utc)
    return moment.isoformat(timespec="seconds")


def answer(conn, card_id: int, when: str, rating: int = 3, kind: str = "review", ms: int = 6000) -> None:
    conn.execute(
        "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, grading, uid) "
        "VALUES (?, ?, ?, ?, ?, 'self', ?)",
        (card_id, when, rating, ms, kind, journal.new_uid()),
    )


def set_state(conn, card_id: int, state: str, interval_days: float, due_in_days: float) -> None:
    due = dt.datetime.combine(DAY, dt.time(20), tzinfo=dt.timezone.utc) + dt.timedelta(days=due_in_days)
    last = due - dt.timedelta(days=interval_days)
    conn.execute(
        "UPDATE card_state SET state = ?, stability = 5, difficulty = 5, due = ?, last_review = ? WHERE card_id = ?",
        (state, due.isoformat(timespec="seconds"), last.isoformat(timespec="seconds"), card_id),
    )


def test_time_maturity_retention_window_and_forecast(tmp_path):
    conn = store_with(tmp_path, {"a": basic_deck("a", 4), "b": basic_deck("b", 3)})
    ids = [row[0] for row in conn.execute("SELECT id FROM cards ORDER BY deck, id")]
    a0, a1, a2, _a3, b0, b1, b2 = ids
    with conn:
        set_state(conn, a0, "review", 5, 1)  # young, due tomorrow
        set_state(conn, a1, "review", 40, 3)  # mature
        set_state(conn, a2, "learning", 0.01, -0.1)  # learning, due now
        set_state(conn, b0, "review", 21, 10)  # mature: 21 days is the line
        conn.execute("INSERT INTO card_marks (card_id, suspended) VALUES (?, 1)", (b1,))
        answer(conn, a0, at(0), rating=3, ms=90_000)
        answer(conn, a0, at(0, hour=21), rating=1, ms=500_000)  # left open: counted as 2 minutes
        answer(conn, a1, at(29), rating=3)  # the first day of the window
        answer(conn, a1, at(30), rating=1)  # the day before it: outside
        answer(conn, b0, at(3), rating=3)
        answer(conn, b0, at(3, hour=22), rating=2)
        answer(conn, b2, at(1), rating=1, kind="new")  # not a review of a learned card
    result = compute(conn, DAY, 4)
    assert result.window_days == 30 and len(result.reviews_per_day) == 30
    assert next(iter(result.reviews_per_day)) == (DAY - dt.timedelta(days=29)).isoformat()
    assert result.reviews_today == 2 and result.minutes_today == (90 + 120) / 60
    assert result.minutes_per_day[(DAY - dt.timedelta(days=3)).isoformat()] == 12 / 60
    assert result.cards == {"new": 2, "learning": 1, "young": 1, "mature": 2, "suspended": 1}
    assert (result.retention_reviews, result.retention_30d) == (5, 4 / 5)  # a1's lapse 30 days ago is out
    assert [(d.deck, d.passed, d.reviews) for d in result.retention_by_deck] == [("a", 2, 3), ("b", 2, 2)]
    assert len(result.forecast) == 30 and result.forecast[DAY.isoformat()] == 1  # the learning card
    assert result.forecast[(DAY + dt.timedelta(days=1)).isoformat()] == 1
    assert result.due_next_30_total == 4 and sum(result.due_next_7.values()) == 3
    assert result.streak == 2  # today and yesterday


def test_stats_text_uses_singular_and_plural(run, tmp_path, studyctl_home):
    content = tmp_path / "content"
    write(content / "decks" / "one.yaml", "id: one\ntitle: One\ncards:\n  - {id: q, type: basic, front: Q, back: A}\n")
    write(studyctl_home / "settings.yaml", f"content_dirs: [{content}]\n")
    empty = run("stats")
    assert "0 answers in 0 minutes; streak 0 days" in empty.stdout
    assert "True retention, last 30 days: no reviews of learned cards yet" in empty.stdout
    run("review", "--deck", "one", input="\n3\n")
    text = run("stats").stdout
    assert "1 answer in " in text and "streak 1 day\n" in text and "1 answers" not in text
    assert "Cards: " in text and "1 learning" in text
    data = json.loads(run("stats", "--json").stdout)
    assert data["cards"]["learning"] == 1 and len(data["forecast"]) == 30 and data["window_days"] == 30
