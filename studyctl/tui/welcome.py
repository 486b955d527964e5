"""The first-run welcome: pick a roadmap, the minutes you have on weekdays and weekends, and the
day you start; saved to settings.yaml (what `roadmap use` writes, plus the budget)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from studyctl.service import roadmaps
from studyctl.tui import data
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel

INTRO = (
    "Welcome to studyctl. Pick the roadmap you will follow and how many minutes you can study "
    "on a weekday and on a weekend day; every evening the today screen sizes reviews, new cards, "
    "a lab and the roadmap's next tasks to those minutes. You can change all of it later in "
    "settings.yaml."
)


class WelcomeScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Start", id="welcome.save"),
        Binding("escape", "app.quit", "Quit", id="welcome.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[str, roadmaps.RoadmapSummary] = {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome") as box:
            box.border_title = "Welcome"
            yield Panel(INTRO, id="welcome-intro", classes="plain")
            yield Label("Roadmap")
            yield OptionList(id="roadmaps")
            with Horizontal(classes="field-row"):
                with Vertical(classes="field"):
                    yield Label("Weekday minutes")
                    yield Input(id="weekday", type="integer", max_length=4)
                with Vertical(classes="field"):
                    yield Label("Weekend minutes")
                    yield Input(id="weekend", type="integer", max_length=4)
                with Vertical(classes="field"):
                    yield Label("Start date")
                    yield Input(id="start", placeholder="YYYY-MM-DD", max_length=10)
            yield Panel("", id="welcome-error", classes="plain")
            with Horizontal(id="welcome-buttons"):
                yield Button("Start", variant="primary", id="start-button")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self.load(), group="welcome", exit_on_error=False)

    async def load(self) -> None:
        backend = self.app.backend
        found = await backend.call(roadmaps.list_roadmaps)
        day = await backend.call(data.study_day)
        choices = found.roadmaps
        current = next((choice.id for choice in choices if choice.active), None)
        self.choices = {choice.id: choice for choice in choices}
        options = self.query_one("#roadmaps", OptionList)
        options.add_options([Option(choice_text(choice), id=choice.id) for choice in choices])
        ids = [choice.id for choice in choices]
        if ids:
            options.highlighted = ids.index(current) if current in ids else 0
            self.call_after_refresh(options.scroll_to_highlight)
        self.query_one("#start", Input).value = (self.app.plan_on or day).isoformat()
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        choice = self.choices.get(event.option.id or "")
        if choice is not None:
            self.query_one("#weekday", Input).value = str(choice.weekday_minutes)
            self.query_one("#weekend", Input).value = str(choice.weekend_minutes)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#weekday", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        options = self.query_one("#roadmaps", OptionList)
        error = self.query_one("#welcome-error", Panel)
        if options.highlighted is None:
            error.show("Pick a roadmap first.")
            return
        roadmap_id = options.get_option_at_index(options.highlighted).id or ""
        try:
            weekday = minutes(self.query_one("#weekday", Input).value, "weekday")
            weekend = minutes(self.query_one("#weekend", Input).value, "weekend")
            start = start_date(self.query_one("#start", Input).value)
        except ValueError as exc:
            error.show(str(exc))
            return
        error.show("")
        self.run_worker(self.save(roadmap_id, weekday, weekend, start), group="welcome", exit_on_error=False)

    async def save(self, roadmap_id: str, weekday: int, weekend: int, start: dt.date) -> None:
        budget = {"weekday": weekday, "weekend": weekend}
        chosen = await self.app.backend.call(roadmaps.use_roadmap, roadmap_id, start=start, budget=budget)
        self.dismiss(chosen)


def choice_text(choice: roadmaps.RoadmapSummary) -> Text:
    text = Text(choice.title, style="bold")
    if choice.title_zh:
        text.append(f"  {choice.title_zh}")
    days = f", {choice.duration_days} days" if choice.duration_days else ""
    text.append(
        f"\n  {choice.id}: ~{choice.hours} h{days}, {choice.weekday_minutes}/{choice.weekend_minutes} min", style="dim"
    )
    return text


def minutes(value: str, which: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"{which} minutes should be a whole number, got {value!r}") from None
    if not 0 <= number <= 1440:
        raise ValueError(f"{which} minutes should be between 0 and 1440, got {number}")
    return number


def start_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"the start date should look like 2026-11-23, got {value!r}") from None
