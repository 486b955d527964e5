"""The interface language on the first-run welcome screen: choosing 中文 switches the screen to
Chinese at once, English switches it back, and the choice is saved to settings.yaml on start.

Needs the compiled Chinese catalog (studyctl/locale/zh/LC_MESSAGES/studyctl.mo); skipped without it."""

from __future__ import annotations

import importlib

import pytest
from tui_support import SIZE, make_study, new_app, pilot_test, press, screen_text, settle

from studyctl import i18n

CATALOG = i18n.LOCALE_DIR / "zh" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
SCREENS = ("today", "review", "roadmap", "labs", "stats", "browse", "help", "ask")

pytestmark = pytest.mark.skipif(not CATALOG.exists(), reason="no compiled Chinese catalog")


@pytest.fixture
def english_after():
    """Every screen class defined in English before the test (their key descriptions are read
    when the class is defined), and English again after it, keys included."""
    i18n.activate("en")
    for name in SCREENS:
        importlib.import_module(f"studyctl.tui.{name}")
    yield
    i18n.activate("en")  # each class describes its keys again in English when next instantiated


@pilot_test
async def test_welcome_switches_to_chinese_and_saves_it(tmp_path, monkeypatch, studyctl_home, english_after):
    study = make_study(tmp_path, monkeypatch)
    (studyctl_home / "settings.yaml").unlink()
    app = new_app(study, on=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from studyctl.tui.welcome import WelcomeScreen

        assert isinstance(app.screen, WelcomeScreen)
        assert "Weekday minutes" in screen_text(app)
        await pilot.click("#language-zh")
        await settle(pilot)
        assert i18n.current() == "zh"
        shown = screen_text(app)
        assert "工作日分钟数" in shown and "Weekday minutes" not in shown
        assert app.screen.query_one("#weekday").value == "60"  # what was entered stays
        await pilot.click("#language-en")
        await settle(pilot)
        assert i18n.current() == "en" and "Weekday minutes" in screen_text(app)
        await pilot.click("#language-zh")
        await settle(pilot)
        assert "工作日分钟数" in screen_text(app)
        await press(pilot, "ctrl+s")
        from studyctl.tui.today import TodayScreen

        assert isinstance(app.screen, TodayScreen)
    from studyctl.settings import load_settings

    assert load_settings(studyctl_home / "settings.yaml").language == "zh"
    assert "language: zh" in (studyctl_home / "settings.yaml").read_text(encoding="utf-8")


@pilot_test
async def test_the_command_palette_speaks_chinese_too(tmp_path, monkeypatch, english_after):
    """ctrl+p: its prompt, studyctl's commands and Textual's own (Theme, Quit, Keys...) in Chinese."""
    study = make_study(tmp_path, monkeypatch)
    i18n.activate("zh")
    app = new_app(study)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        from textual.command import CommandInput, CommandPalette

        assert CommandPalette.is_open(app)
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        shown = screen_text(app)
        assert "主题" in shown and "更换当前主题" in shown and "开始复习" in shown
        assert "Change the current theme" not in shown
