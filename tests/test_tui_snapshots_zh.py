"""The main screens in Chinese, at 80x24 (the smallest terminal we promise) and 120x40: the
interface's words from the catalog, the content's Chinese titles and card sides where they
exist, wide characters aligned. Same fixtures as test_tui_snapshots.py, with Chinese added to
the content.

After an intended change of the look: pytest tests/test_tui_snapshots_zh.py --snapshot-update,
then look at the SVGs in tests/__snapshots__/test_tui_snapshots_zh/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import make_study, new_app, no_blink, press, settle

from studyctl import i18n

WORKSPACES = Path("/studyctl-snapshots/labs")
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
CHINESE = {  # English line in the fixtures -> the same line with its Chinese beside it
    "title: A small roadmap": "title: A small roadmap\ntitle_zh: 小路线图",
    "    title: First phase": "    title: First phase\n    title_zh: 第一阶段",
    "    title: Second phase": "    title: Second phase\n    title_zh: 第二阶段",
    "title: Read A, kind: read": "title: Read A, title_zh: 阅读 A 书第一章, kind: read",
    "title: Watch B, kind: watch": "title: Watch B, title_zh: 观看 B 课程, kind: watch",
    "    front: What is one?": "    front: What is one?\n    front_zh: 一是什么？\n    zh: 一",
}


@pytest.fixture
def study(tmp_path, monkeypatch):
    monkeypatch.setattr("studyctl.paths.lab_workspace_dir", lambda: WORKSPACES)
    root = make_study(tmp_path, monkeypatch)
    for path in (root / "schedule" / "small.yaml", root / "decks" / "good.yaml"):
        text = path.read_text(encoding="utf-8")
        for english, both in CHINESE.items():
            text = text.replace(english, both)
        path.write_text(text, encoding="utf-8")
    i18n.activate("zh")
    return root


def keys(*pressed: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, *pressed)
        no_blink(pilot)

    return run_before


SCREENS = {
    "today": (),
    "review": ("r",),
    "review-answer": ("r", "space"),
    "roadmap": ("m",),
    "labs": ("l",),
    "help": ("question_mark",),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_in_chinese(snap_compare, study, screen, size):
    assert snap_compare(new_app(study), terminal_size=SIZES[size], run_before=keys(*SCREENS[screen]))


@pytest.mark.parametrize("size", SIZES)
def test_welcome_in_chinese(snap_compare, study, studyctl_home, size):
    (studyctl_home / "settings.yaml").unlink()
    assert snap_compare(new_app(study, on=None), terminal_size=SIZES[size], run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_stats_in_chinese(snap_compare, study, size):
    answers = ("r", "space", "3", "space", "1", "escape", "escape", "s")
    assert snap_compare(new_app(study), terminal_size=SIZES[size], run_before=keys(*answers))
