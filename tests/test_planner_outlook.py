"""The review load ahead, from FSRS: the Good path of one card through the user's scheduler,
cards already seen placed on it by their stability, and the service's cached copy."""

from __future__ import annotations

import datetime as dt
import itertools

from conftest import write

from studyctl.settings import ReviewSettings
from studyctl.srs.outlook import future_reviews, review_curve, stage_of


def test_the_review_curve_follows_the_users_fsrs_settings():
    curve = review_curve(ReviewSettings())
    assert list(curve.comeback_days) == sorted(curve.comeback_days) and curve.comeback_days[0] <= 3
    assert list(curve.stabilities) == sorted(curve.stabilities)
    assert 2 <= curve.answers_first_day <= 4 and 1 < curve.answers_per_review < 1.5
    strict = review_curve(ReviewSettings(desired_retention=0.97))
    assert strict.comeback_days[2] < curve.comeback_days[2]  # higher retention: back sooner


def test_seen_cards_follow_the_curve_from_their_stage():
    curve = review_curve(ReviewSettings())
    day = dt.date(2027, 1, 4)
    load = future_reviews([(day, stage_of(curve, 5.0), 3)], curve, day + dt.timedelta(days=400))
    days = sorted(load)
    assert days[0] == day and load[day] == 3
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    assert gaps == sorted(gaps) and gaps[0] == curve.comeback_days[1] - curve.comeback_days[0]


def test_the_service_projects_the_cards_you_answered(tmp_path, monkeypatch):
    from studyctl.service import reviews
    from studyctl.service.home import Home
    from studyctl.service.today import outlook

    empty = tmp_path / "builtin"
    empty.mkdir()
    monkeypatch.setattr("studyctl.paths.builtin_content_root", lambda: empty)
    content = tmp_path / "content"
    cards = "\n".join(f"  - {{id: c{i}, type: basic, front: 'Q{i}?', back: 'A{i}.'}}" for i in range(5))
    write(content / "decks" / "mine.yaml", f"id: mine\ntitle: Mine\ncards:\n{cards}\n")
    now = dt.datetime(2027, 1, 4, 19, tzinfo=dt.timezone.utc)
    home = Home(extra_roots=(content,), clock=lambda: now)
    session = reviews.open_session(home).session
    while (card := session.next_card()) is not None:
        session.answer(card, 4, duration_ms=5000)  # Easy: straight to review, days away
    day = dt.date(2027, 1, 4)
    first = outlook(home, day)
    assert sum(first.due_on.values()) >= 5 and min(first.due_on) > day
    assert outlook(home, day).due_on == first.due_on  # the cached copy, the same
    home.close()
