"""The TUI's cards: the browse screen (search, info, edit, suspend and unsuspend), and from the
review screen `e` (edit), `i` (info), `@` (suspend) with undo, space/enter for Good after the
answer, the answer scrolled into view, the header's counts equal to today's, and a bad $EDITOR
answered with a message while the app keeps working."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys

import pytest
from tui_support import DAY, SIZE, db, make_study, new_app, pilot_test, press, screen_text, settle, write


@pytest.fixture
def study(tmp_path, monkeypatch):
    return make_study(tmp_path, monkeypatch)


@pytest.fixture
def terminal(monkeypatch):
    """A terminal that can hand itself to an editor (the test driver can't): records each
    suspend and that the app came back from it."""
    from studyctl.tui.app import StudyApp

    events: list[str] = []

    @contextlib.contextmanager
    def suspend(self):
        events.append("suspend")
        yield
        events.append("resume")

    monkeypatch.setattr(StudyApp, "suspend", suspend)
    return events


FAKE_EDITOR = """
import pathlib, sys
path = pathlib.Path(sys.argv[-1])
path.write_text(path.read_text().replace("What is one?", "What is the number one?"))
pathlib.Path(sys.argv[0]).with_suffix(".args").write_text(" ".join(sys.argv[1:]))
"""


def marks(home) -> dict[str, int]:
    with db(home) as conn:
        rows = conn.execute("SELECT c.note, m.suspended FROM card_marks m JOIN cards c ON c.id = m.card_id")
        return {row[0]: row[1] for row in rows}


def notifications(app) -> str:
    return "\n".join(str(note.message) for note in app._notifications)


@pilot_test
async def test_browse_search_info_and_suspend(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        from studyctl.tui.browse import BrowseScreen, CardInfoScreen

        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert list(screen.rows) == ["good/one", "good/two/1", "good/two/2", "good/three", "good/four"]
        await pilot.press(*"comes after")
        await settle(pilot)
        assert list(screen.rows) == ["good/two/1", "good/two/2"]
        assert "2 cards" in screen_text(app) and "Two}} comes after" in screen_text(app)  # the detail
        await press(pilot, "enter")  # to the table
        await press(pilot, "at")
        assert screen.rows["good/two/1"].suspended and marks(studyctl_home) == {"two": 1}
        assert "suspended" in screen_text(app)
        await press(pilot, "at")
        assert not screen.rows["good/two/1"].suspended and marks(studyctl_home) == {}
        await press(pilot, "i")
        assert isinstance(app.screen, CardInfoScreen)
        text = screen_text(app)
        assert "good/two/1" in text and "State: new (never reviewed)" in text and "No reviews yet." in text
        await press(pilot, "escape", "slash")
        assert screen.query_one("#browse-query").has_focus
        await pilot.press(*" is:nonsense")
        await settle(pilot)
        assert "unknown 'is:nonsense'" in screen_text(app)  # said, not raised
        await press(pilot, "escape", "escape")
        from studyctl.tui.today import TodayScreen

        assert isinstance(app.screen, TodayScreen)


@pilot_test
async def test_edit_from_browse_and_review(study, studyctl_home, tmp_path, monkeypatch, terminal):
    script = write(tmp_path / "editor.py", FAKE_EDITOR)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        screen = app.screen
        assert screen.shown.card.front == "What is one?"
        await press(pilot, "space", "e")
        assert terminal == ["suspend", "resume"]
        assert script.with_suffix(".args").read_text() == f"+4 {study / 'decks' / 'good.yaml'}"
        assert screen.shown.card.front == "What is the number one?" and screen.phase == "question"
        assert "What is the number one?" in screen_text(app) and "Saved good/one." in notifications(app)
        await press(pilot, "space", "space")  # the answer, then Good
        assert screen.shown.card.note == "two"
    with db(studyctl_home) as conn:
        assert [tuple(row) for row in conn.execute("SELECT rating, grading FROM reviews")] == [(3, "self")]
    assert "What is the number one?" in (study / "decks" / "good.yaml").read_text()


@pilot_test
async def test_bad_editor_gives_a_message_and_the_screen_goes_on(study, studyctl_home, monkeypatch, terminal):
    monkeypatch.setenv("EDITOR", "/no/such/editor")
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r", "e")
        assert "$EDITOR '/no/such/editor' is not a program that can be run" in notifications(app)
        assert terminal == []  # never suspended for an editor that can't run
        screen = app.screen
        await press(pilot, "space")
        assert screen.phase == "answer"  # the screen still answers keys

        def broken_run(*args, **kwargs):  # an editor that fails to start once the screen is handed over
            raise PermissionError(13, "Permission denied")

        monkeypatch.setenv("EDITOR", sys.executable)
        monkeypatch.setattr("studyctl.tui.browse.subprocess.run", broken_run)
        await press(pilot, "e")
        assert terminal == ["suspend", "resume"]  # the app came back
        assert "Could not run" in notifications(app) and "Permission denied" in notifications(app)
        await press(pilot, "3")
        assert screen.shown.card.note == "two"


@pilot_test
async def test_editor_on_a_terminal_that_cannot_suspend(study, monkeypatch):
    monkeypatch.setenv("EDITOR", sys.executable)
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:  # the test driver can't suspend
        await settle(pilot)
        await press(pilot, "slash", "enter", "e")
        assert "can't hand the screen to an editor" in notifications(app) and "good.yaml:4" in notifications(app)


@pilot_test
async def test_undo_a_suspend_and_card_info_in_review(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        screen = app.screen
        await press(pilot, "at")
        assert marks(studyctl_home) == {"one": 1} and screen.shown.card.note == "two"
        await press(pilot, "u")
        assert marks(studyctl_home) == {} and screen.shown.card.note == "one"
        assert "Unsuspended good/one." in screen_text(app)
        await press(pilot, "space", "3", "i")
        from studyctl.tui.browse import CardInfoScreen

        assert isinstance(app.screen, CardInfoScreen)
        assert "good/two/1" in screen_text(app)
        await press(pilot, "escape")
        assert app.screen is screen and screen.shown.card.note == "two"
        await press(pilot, "slash")  # no leaving the session by accident
        assert app.screen is screen


LONG_DECK = """
id: long
title: Long
cards:
  - id: tall
    type: basic
    front: |
{lines}
    back: THE ANSWER IS HERE
"""


@pilot_test
async def test_answer_scrolls_into_view(study):
    lines = "\n".join(f"      Line {n} of a long question." + "\n" for n in range(40))
    write(study / "decks" / "long.yaml", LONG_DECK.format(lines=lines))
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from studyctl.tui.review import ReviewScreen

        app.push_screen(ReviewScreen(decks=["long"]))
        await settle(pilot)
        assert "THE ANSWER IS HERE" not in screen_text(app)
        await press(pilot, "space")
        await pilot.pause()
        assert "THE ANSWER IS HERE" in screen_text(app)
        assert app.screen.query_one("#card").scroll_y > 0


@pytest.mark.parametrize("days", [0, 1])
@pilot_test
async def test_review_header_counts_what_today_planned(study, studyctl_home, days):
    app = new_app(study, on=DAY + dt.timedelta(days=days))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        plan = screen_text(app)
        due = int(re.search(r"(\d+)\s*reviews due", plan).group(1))
        new = int(re.search(r"(\d+)\s*new cards", plan).group(1))
        assert (due, new) == (0, 4)  # `two` has two deletions: one of them a day
        await press(pilot, "r")
        assert app.screen.shown.remaining == {"learning": 0, "review": 0, "new": 4}
        assert "0 learning · 0 reviews · 4 new left" in screen_text(app)
