"""Both faces call one core: every read-only command's --json output is exactly what the service
function returns, on the same home (a roadmap in progress, answered cards, a lab run, a flag)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from srs_helpers import Clock

from studyctl.service import decks, labs, maintenance, roadmaps, stats, today
from studyctl.service.home import Home


def plain(value):
    """What --json prints, read back (dates become strings, tuples lists)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@pytest.fixture
def used_home(run, content):
    """A home with some history: a roadmap followed, a task done, cards answered and flagged."""
    assert run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23").exit_code == 0
    assert run("--content", str(content), "done", "read-a", "--minutes", "35").exit_code == 0
    home = Home(extra_roots=(content,), clock=Clock())
    from studyctl.service import reviews

    session = reviews.open_session(home).session
    for _ in range(3):
        shown = reviews.next_card(session)
        assert shown is not None
        reviews.answer(session, shown.card, 3, duration_ms=4000, grading="self", response=None)
    reviews.flag(session, reviews.next_card(session).card, "unclear")
    home.close()
    return content


CASES = {
    "today": (["today", "--json", "--date", "2026-11-25"], lambda h: today.today(h, on=dt.date(2026, 11, 25))),
    "plan": (["plan", "--json", "--date", "2026-11-25"], lambda h: today.plan_days(h, 7, on=dt.date(2026, 11, 25))),
    "decks": (["decks", "--json"], decks.deck_list),
    "roadmap list": (["roadmap", "list", "--json"], roadmaps.list_roadmaps),
    "roadmap show": (["roadmap", "show", "--json"], lambda h: roadmaps.view_of(h, roadmaps.active_roadmap(h))),
    "flags": (["flags", "--json"], lambda h: [card.to_dict() for card in decks.flagged(h)]),
    "stats": (["stats", "--json"], stats.stats),
    "validate": (["validate", "--json"], maintenance.validate),
    "lab list": (["lab", "list", "--json"], labs.lab_rows),
    "lab show": (["lab", "show", "mlp-digits", "--json"], lambda h: labs.lab_detail(h, labs.find_lab(h, "mlp-digits"))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_json_is_the_service_result(name, run, used_home):
    args, service_call = CASES[name]
    printed = run("--content", str(used_home), *args)
    assert printed.exit_code == 0, printed.stderr
    home = Home(extra_roots=(used_home,))
    try:
        result = service_call(home)
        expected = result.to_dict() if hasattr(result, "to_dict") else result
    finally:
        home.close()
    assert json.loads(printed.stdout) == plain(expected)
