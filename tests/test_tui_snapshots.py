"""Snapshots of the main screens (pytest-textual-snapshot). Deterministic: a fixed date and
clock, a fixed terminal size, only the test's own content, no clock widget, no cursor blink,
and lab workspaces under a fixed (never created) folder so no temp path shows.

After an intended change of the look: pytest tests/test_tui_snapshots.py --snapshot-update,
then look at the SVGs in tests/__snapshots__/test_tui_snapshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import SIZE, make_study, new_app, no_blink, press, settle

WORKSPACES = Path("/studyctl-snapshots/labs")


@pytest.fixture
def study(tmp_path, monkeypatch):
    monkeypatch.setattr("studyctl.paths.lab_workspace_dir", lambda: WORKSPACES)
    return make_study(tmp_path, monkeypatch)


def keys(*pressed: str):
    """A run_before for snap_compare: settle, press each key and settle again."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, *pressed)
        no_blink(pilot)

    return run_before


def test_today_screen(snap_compare, study):
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys())


def test_today_screen_light_theme(snap_compare, study):
    assert snap_compare(new_app(study, theme="textual-light"), terminal_size=SIZE, run_before=keys())


def test_welcome_screen(snap_compare, study, studyctl_home):
    (studyctl_home / "settings.yaml").unlink()
    assert snap_compare(new_app(study, on=None), terminal_size=SIZE, run_before=keys())


def test_review_question(snap_compare, study):
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys("r"))


def test_review_answer_with_code(snap_compare, study):
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys("r", "space"))


def test_review_typed_wrong_answer(snap_compare, study):
    typed = ("r", "at", "b", "b", "at", "5", "enter")  # set the first three cards aside, answer 5
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys(*typed))


def test_review_session_summary(snap_compare, study):
    answers = ("r", "space", "3", "space", "4", "escape")
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys(*answers))


def test_roadmap_screen(snap_compare, study):
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys("m", "d", "enter", "down"))


def test_stats_screen(snap_compare, study):
    answers = ("r", "space", "3", "space", "1", "escape", "escape", "s")
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys(*answers))


def test_labs_screen(snap_compare, study):
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys("l"))


def test_help_screen(snap_compare, study):
    assert snap_compare(new_app(study), terminal_size=SIZE, run_before=keys("question_mark"))
