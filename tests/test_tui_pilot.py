"""The TUI driven by keys through Textual's pilot, on real files in a temp STUDYCTL_HOME: reviews
land in the database, typed answers are graded, undo takes an answer back, a roadmap task is
marked done, card text is never markup, and the first-run welcome writes settings.yaml."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tui_support import (
    SIZE,
    db,
    make_study,
    new_app,
    pilot_test,
    press,
    run_on_pty,
    screen_text,
    settle,
    write,
)

from studyctl.cli import cli


@pytest.fixture
def study(tmp_path, monkeypatch):
    return make_study(tmp_path, monkeypatch)


def reviews(home) -> list[dict]:
    with db(home) as conn:
        rows = conn.execute(
            "SELECT c.note, c.ord, r.rating, r.grading, r.answer, r.kind "
            "FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.id"
        )
        return [dict(row) for row in rows]


def log_text(screen) -> str:
    """Everything in the labs screen's check log, wrapped lines joined."""
    return "".join(segment.text for strip in screen.query_one("#lab-log").lines for segment in strip)


async def open_review(pilot):
    await settle(pilot)
    await press(pilot, "r")
    from studyctl.tui.review import ReviewScreen

    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


@pilot_test
async def test_review_cards_by_keys_lands_in_the_database(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.shown.card.note == "one" and "What is one?" in screen_text(app)
        assert "1 Again" not in screen_text(app)  # no ratings before the answer is shown
        await press(pilot, "space")
        text = screen_text(app)
        assert "One. In code:" in text and "1 Again  1m" in text and "3 Good  10m" in text
        await press(pilot, "3")
        assert screen.shown.card.note == "two"  # the cloze, with its deletion hidden
        assert "[...] comes after one." in screen_text(app)
        await press(pilot, "enter", "4")
        assert screen.shown.card.note == "three"
        assert sorted(screen.choices) == ["1", "2", "3"]  # shuffled for the day
        await press(pilot, str(screen.choices.index("3") + 1))  # the right option: graded, Good suggested
        assert "Right." in screen_text(app)
        await press(pilot, "enter")
        assert screen.shown.card.note == "four"
    assert reviews(studyctl_home) == [
        {"note": "one", "ord": 0, "rating": 3, "grading": "self", "answer": None, "kind": "new"},
        {"note": "two", "ord": 1, "rating": 4, "grading": "self", "answer": None, "kind": "new"},
        {"note": "three", "ord": 0, "rating": 3, "grading": "auto", "answer": "3", "kind": "new"},
    ]


@pilot_test
async def test_typed_answer_is_graded_with_a_diff_and_can_be_overridden(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await press(pilot, "at")  # suspend `one`, bury both deletions of `two`, pick a wrong choice
        await press(pilot, "b", "b")
        wrong = next(number for number, choice in enumerate(screen.choices, 1) if choice != "3")
        await press(pilot, str(wrong))
        assert "Not quite." in screen_text(app)
        await press(pilot, "enter")  # accept the suggested Again
        assert screen.shown.card.type == "typed"
        await pilot.press("5", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Not quite." in text and "yours:    5" in text and "expected: 4" in text and "Answer: 4" in text
        await press(pilot, "2")  # override the suggested Again with Hard
    assert reviews(studyctl_home)[-2:] == [  # the log has the chosen option's text, not its number
        {"note": "three", "ord": 0, "rating": 1, "grading": "auto", "answer": screen.choices[wrong - 1], "kind": "new"},
        {"note": "four", "ord": 0, "rating": 2, "grading": "override", "answer": "5", "kind": "new"},
    ]
    with db(studyctl_home) as conn:
        marks = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                "SELECT c.note, m.suspended, m.buried_until IS NOT NULL "
                "FROM card_marks m JOIN cards c ON c.id = m.card_id"
            )
        }
    assert marks == {"one": (1, 0), "two": (0, 1)}  # (both deletions of two)


@pilot_test
async def test_right_typed_answer_suggests_good(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await press(pilot, "at", "at", "at", "at")
        await pilot.press("4", "enter")
        await settle(pilot)
        assert "Right." in screen_text(app) and screen.suggested == 3
        await press(pilot, "enter")
    assert reviews(studyctl_home) == [
        {"note": "four", "ord": 0, "rating": 3, "grading": "auto", "answer": "4", "kind": "new"}
    ]


@pilot_test
async def test_undo_takes_the_answer_back_and_shows_the_card_again(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await press(pilot, "space", "1")
        assert len(reviews(studyctl_home)) == 1 and screen.shown.card.note == "two"
        await press(pilot, "u")
        assert reviews(studyctl_home) == []
        assert screen.shown.card.note == "one" and "Undid the last answer (good/one)" in screen_text(app)
        await press(pilot, "space", "3")
        assert screen.shown.card.note == "two"  # the card that was showing comes back next
    assert [r["rating"] for r in reviews(studyctl_home)] == [3]
    with db(studyctl_home) as conn:
        state = conn.execute("SELECT s.state FROM card_state s JOIN cards c ON c.id = s.card_id WHERE c.note = 'one'")
        assert state.fetchone()[0] == "learning"


@pilot_test
async def test_flag_with_a_note_and_session_summary(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await press(pilot, "f")
        await pilot.press(*"typo", "enter")
        await settle(pilot)
        await press(pilot, "space", "3", "escape")
        assert screen.phase == "done"
        text = screen_text(app)
        assert "Session summary" in text and "Answered 1 card" in text
        await press(pilot, "escape")
        from studyctl.tui.today import TodayScreen

        assert isinstance(app.screen, TodayScreen)
    with db(studyctl_home) as conn:
        assert conn.execute("SELECT flag_note FROM card_marks").fetchone()[0] == "typo"


MARKUP_DECK = """
id: markup
title: Markup
cards:
  - id: inject
    type: basic
    front: "What does [red]x[/red] print? [bold]y[/] and [link=https://e.x]z[/link]"
    back: "It prints [red]x[/red]; <b>not</b> html either"
  - id: inject-choice
    type: choice
    front: Pick [blue]one[/blue]
    choices: ["[green]a[/green]", "b"]
    answer: "b"
"""


@pilot_test
async def test_card_text_is_shown_literally_never_as_markup(study, studyctl_home, tmp_path):
    write(study / "decks" / "markup.yaml", MARKUP_DECK)
    write(
        study / "schedule" / "small.yaml",
        (study / "schedule" / "small.yaml").read_text().replace("title: Read A", 'title: "Read [red]A[/red]"'),
    )
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Read [red]A[/red]" in screen_text(app)  # a task title on the today screen
        from studyctl.tui.review import ReviewScreen

        app.push_screen(ReviewScreen(decks=["markup"]))
        await settle(pilot)
        screen = app.screen
        assert screen.shown.card.note == "inject"
        assert "What does [red]x[/red] print? [bold]y[/] and [link=https://e.x]z[/link]" in screen_text(app)
        await press(pilot, "space")
        assert "It prints [red]x[/red]; <b>not</b> html either" in screen_text(app)
        await press(pilot, "3")
        text = screen_text(app)
        number = screen.choices.index("[green]a[/green]") + 1
        assert "Pick [blue]one[/blue]" in text and f"{number}. [green]a[/green]" in text
        await press(pilot, "escape", "escape", "m")
        assert "Read [red]A[/red]" in screen_text(app)  # and in the roadmap tree


@pilot_test
async def test_mark_task_done_partial_and_skip_from_the_roadmap(study, studyctl_home):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        from studyctl.tui.roadmap import RoadmapScreen

        screen = app.screen
        assert isinstance(screen, RoadmapScreen) and screen.selected_task().id == "read-a"
        await press(pilot, "d")
        await pilot.press("backspace", "backspace", *"35", "enter")  # 35 minutes instead of the 40 left
        await settle(pilot)
        assert screen.selected_task().status == "done"
        assert "✔ Read A" in screen_text(app)
        await press(pilot, "down", "p")
        await pilot.press(*"30", "enter")
        await settle(pilot)
        assert screen.selected_task().id == "watch-b" and screen.selected_task().spent == 30
        assert "◐ Watch B  watch, 30/300 min" in screen_text(app)
        await press(pilot, "down", "x")
        assert screen.selected_task().status == "skipped"
        await press(pilot, "escape")  # back to today: the plan has moved on, and shrunk by what was done
        assert "Read A" not in screen_text(app) and "studied 65 min, 0 left" in screen_text(app)
    shown = CliRunner().invoke(cli, ["--content", str(study), "roadmap", "show", "--json"])
    tasks = {t["id"]: (t["status"], t["spent"]) for t in json.loads(shown.stdout)["phases"][0]["tasks"]}
    assert tasks == {"read-a": ("done", 35), "watch-b": ("started", 30), "lab-c": ("skipped", 0)}


@pilot_test
async def test_first_run_welcome_writes_settings(tmp_path, monkeypatch, studyctl_home):
    study = make_study(tmp_path, monkeypatch)
    write(
        study / "schedule" / "other.yaml",
        "id: other\ntitle: Another roadmap\nbudget: {weekday: 45, weekend: 90}\n"
        "phases:\n  - id: p\n    title: P\n    tasks:\n      - {id: t, title: T, kind: read, minutes: 30}\n",
    )
    (studyctl_home / "settings.yaml").unlink()
    app = new_app(study, on=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from studyctl.tui.welcome import WelcomeScreen

        assert isinstance(app.screen, WelcomeScreen)
        assert "Welcome to studyctl" in screen_text(app)
        assert app.screen.query_one("#weekday").value == "45"  # `other`, first: the default isn't there
        await press(pilot, "down")
        assert app.screen.query_one("#weekday").value == "60"  # `small`, the roadmap's own budget
        await press(pilot, "up")
        app.screen.query_one("#weekday").value = "30"
        app.screen.query_one("#start").value = "2026-12-01"
        await press(pilot, "ctrl+s")
        from studyctl.tui.today import TodayScreen

        assert isinstance(app.screen, TodayScreen)
        assert "Another roadmap" in screen_text(app)
    from studyctl.settings import load_settings

    settings = load_settings(studyctl_home / "settings.yaml")
    assert settings.roadmap == "other" and settings.budget == {"weekday": 30, "weekend": 90}
    from studyctl.service.home import Home

    home = Home()
    assert home.state("roadmaps/other") == {"start": "2026-12-01"}  # the start is kept per roadmap
    home.close()


@pilot_test
async def test_welcome_refuses_bad_minutes(tmp_path, monkeypatch, studyctl_home):
    study = make_study(tmp_path, monkeypatch)
    (studyctl_home / "settings.yaml").unlink()
    app = new_app(study, on=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#weekend").value = "2000"
        await press(pilot, "ctrl+s")
        assert "weekend minutes should be between 0 and 1440" in screen_text(app)
    assert not (studyctl_home / "settings.yaml").exists()


@pilot_test
async def test_palette_help_and_theme(study):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        from studyctl.tui.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        assert "Keys" in screen_text(app) and "Everywhere" in screen_text(app)
        from studyctl.tui.help import keys_text

        text = keys_text().plain  # the whole help, also what is below the fold
        for line in ("u                 Undo", "d                 Done", "n                 Start lab", "ctrl+t"):
            assert line in text
        await press(pilot, "escape")
        assert app.theme == "textual-dark"
        await press(pilot, "ctrl+t")
        assert app.theme == "textual-light"
        await press(pilot, "ctrl+p")
        await pilot.press(*"open stats")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        from studyctl.tui.stats import StatsScreen

        assert isinstance(app.screen, StatsScreen)
        assert "Answers per day" in screen_text(app)


@pilot_test
async def test_stats_and_today_heatmap_count_todays_answers(study):
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r", "space", "3", "escape", "escape")
        assert "Streak 1 day · 1 answer today" in screen_text(app)
        await press(pilot, "s")
        assert "Today (2026-11-23): 1 answer in 0 minutes · streak 1 day" in screen_text(app)


@pilot_test
async def test_labs_start_and_check(study, studyctl_home, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = new_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        from studyctl.tui.labs import LabsScreen

        screen = app.screen
        assert isinstance(screen, LabsScreen) and "not started" in screen_text(app)
        await press(pilot, "n")
        workspace = studyctl_home / "labs" / "tiny"
        assert (workspace / "prog.py").read_text().startswith("def main():")
        assert f"Workspace: {workspace}" in log_text(screen)
        (workspace / "prog.py").write_text("def main():\n    return 41\n")
        await press(pilot, "c")
        await settle(pilot, limit=200_000)  # the check runs in a child process that imports torch
        text = log_text(screen)
        assert "FAIL  runs" in text and "main() returned 41, expected 42" in text and "Not yet" in text
        await press(pilot, "h")
        assert "Hint 1/2: first hint" in log_text(screen)
        (workspace / "prog.py").write_text("def main():\n    return 42\n")
        await press(pilot, "c")
        await settle(pilot, limit=200_000)
        assert "Passed: 1 of 1 step in" in log_text(screen)
        assert "passed" in screen_text(app)
    with db(studyctl_home) as conn:
        assert [row[0] for row in conn.execute("SELECT passed FROM lab_runs ORDER BY id")] == [0, 1]
        done = conn.execute("SELECT task FROM task_log WHERE status = 'done'").fetchall()
        assert [row[0] for row in done] == ["lab-c"]  # the roadmap's lab task, marked done by the pass


def test_today_on_a_terminal_opens_the_app(study, studyctl_home):
    """`studyctl today` with a terminal on stdout runs the app (here it exits after its first frame
    with the plan, the benchmark's switch); --plain on the same terminal prints text."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, STUDYCTL_HOME=str(studyctl_home), TERM="xterm-256color")
    env["STUDYCTL_TUI_EXIT_AFTER_FIRST_FRAME"] = "1"
    command = [sys.executable, "-m", "studyctl", "--content", str(study), "today", "--date", "2026-11-23"]
    screen = run_on_pty(command, env)
    assert "\x1b[?1049h" in screen  # the alternate screen: a full-screen app
    assert "Read" in screen and "Monday 23 November 2026" in screen
    plain = run_on_pty([*command, "--plain"], env)
    assert "\x1b[?1049h" not in plain and "Budget 60 min · studied today 0 min" in plain
    assert subprocess.run([*command], env=env, capture_output=True, text=True).stdout.startswith("Monday 23 November")


def test_broken_settings_are_reported_before_the_app_starts(studyctl_home):
    import os
    import sys

    import pytest

    studyctl_home.mkdir(parents=True, exist_ok=True)
    (studyctl_home / "settings.yaml").write_text("roadmap: [oops\n")
    env = dict(os.environ, STUDYCTL_HOME=str(studyctl_home), TERM="xterm-256color")
    with pytest.raises(AssertionError, match=r"settings.yaml:2: error: YAML syntax error"):
        run_on_pty([sys.executable, "-m", "studyctl", "today"], env)  # exits 2, like --plain
