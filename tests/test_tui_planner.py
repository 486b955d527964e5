"""The TUI's side of the planner: the today screen shows what was studied today and what is
left, the phase's goal and each task's Chinese title, URL and notes; the roadmap screen undoes
the last entry and reopens a done task."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import write
from tui_support import DAY, SIZE, make_study, new_app, pilot_test, press, screen_text, settle

from studyctl.cli import cli

GUIDED = """
id: guided
title: Guided
budget: {weekday: 60, weekend: 180}
phases:
  - id: first
    title: First phase
    goal: Learn the first things first.
    tasks:
      - id: book
        title: A book
        title_zh: 一本书
        kind: read
        minutes: 100
        url: https://example.org/book
        notes: Read only ch 1, 2, 4.
      - {id: after-book, title: After the book, kind: practice, minutes: 30, after: [book]}
"""


def guided_study(tmp_path, monkeypatch):
    study = make_study(tmp_path, monkeypatch)
    write(study / "schedule" / "guided.yaml", GUIDED)
    result = CliRunner().invoke(cli, ["--content", str(study), "roadmap", "use", "guided", "--start", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    return study


@pilot_test
async def test_today_screen_shows_the_guidance_and_what_is_left(tmp_path, monkeypatch):
    study = guided_study(tmp_path, monkeypatch)
    CliRunner().invoke(
        cli, ["--content", str(study), "done", "book", "--minutes", "20", "--partial", "--date", DAY.isoformat()]
    )
    app = new_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "studied today 20 min, 40 left" in text
        assert "Learn the first things first." in text and "一本书" in text
        assert "https://example.org/book" in text and "Read only ch 1, 2, 4." in text


@pilot_test
async def test_roadmap_screen_undoes_the_last_entry_and_reopens_a_task(tmp_path, monkeypatch):
    study = guided_study(tmp_path, monkeypatch)
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        screen = app.screen
        assert screen.selected_task().id == "book"
        await press(pilot, "d")
        await pilot.press("enter")  # the minutes left, as offered
        await settle(pilot)
        assert screen.selected_task().status == "done"
        await press(pilot, "u")  # undo the done
        assert screen.selected_task().status == "open"
        await press(pilot, "d")
        await pilot.press("enter")
        await settle(pilot)
        await press(pilot, "o")  # reopen it: the minutes stay
        task = screen.selected_task()
        assert task.status == "started" and task.spent == 100
    shown = CliRunner().invoke(cli, ["--content", str(study), "roadmap", "show", "--json"])
    tasks = {t["id"]: (t["status"], t["spent"]) for t in json.loads(shown.stdout)["phases"][0]["tasks"]}
    assert tasks["book"] == ("started", 100)
