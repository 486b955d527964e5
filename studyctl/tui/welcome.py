"""The first-run welcome: pick the interface language, a roadmap, the minutes you have on weekdays
and weekends, and the day you start; saved to settings.yaml (what `roadmap use` writes, plus the
budget and the language). Choosing a language switches the interface at once: this screen is
described again in it, and the screens built after it use it."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet
from textual.widgets.option_list import Option

from studyctl import i18n
from studyctl.i18n import N_, _, ngettext
from studyctl.service import roadmaps
from studyctl.tui import data
from studyctl.tui.screen import StudyScreen, rebind
from studyctl.tui.widgets import Panel, StudyFooter

INTRO = N_(
    "Welcome to studyctl. Pick the roadmap you will follow and how many minutes you can study "
    "on a weekday and on a weekend day; every evening the today screen sizes reviews, new cards, "
    "a lab and the roadmap's next tasks to those minutes. You can change all of it later in "
    "settings.yaml."
)
# Each language by its own name, the same whatever the interface language is.
LANGUAGE_NAMES = {
    "en": "English",  # i18n: not shown translated (a language's own name)
    "zh": "中文",
}


class WelcomeScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Start"), id="welcome.save"),
        Binding("escape", "app.quit", N_("Quit"), id="welcome.quit"),
    ]
    DEFAULT_CSS = """
    #language-row {
        height: auto;
        margin-bottom: 1;
    }
    #language-label {
        padding-right: 2;
    }
    #language {
        layout: horizontal;
        width: auto;
    }
    #language > RadioButton {
        width: auto;
        margin-right: 2;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[str, roadmaps.RoadmapSummary] = {}
        self.language = i18n.current()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome") as box:
            box.border_title = _("Welcome")
            with Horizontal(id="language-row"):
                yield Label(_("Language"), id="language-label")
                with RadioSet(id="language", compact=True):
                    for code, name in LANGUAGE_NAMES.items():
                        yield RadioButton(name, value=code == self.language, id=f"language-{code}")
            yield Panel(_(INTRO), id="welcome-intro", classes="plain")
            yield Label(_("Roadmap"), id="roadmap-label")
            yield OptionList(id="roadmaps")
            with Horizontal(classes="field-row"):
                with Vertical(classes="field"):
                    yield Label(_("Weekday minutes"), id="weekday-label")
                    yield Input(id="weekday", type="integer", max_length=4)
                with Vertical(classes="field"):
                    yield Label(_("Weekend minutes"), id="weekend-label")
                    yield Input(id="weekend", type="integer", max_length=4)
                with Vertical(classes="field"):
                    yield Label(_("Start date"), id="start-label")
                    yield Input(id="start", placeholder=_("YYYY-MM-DD"), max_length=10)
            yield Panel("", id="welcome-error", classes="plain")
            with Horizontal(id="welcome-buttons"):
                yield Button(_("Start"), variant="primary", id="start-button")
        yield StudyFooter()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        language = (event.pressed.id or "").removeprefix("language-")
        if language in LANGUAGE_NAMES and language != self.language:
            self.switch_language(language)

    def switch_language(self, language: str) -> None:
        """Use `language` from now on: this screen's words, its keys and the app's in it at once
        (saved to settings.yaml with the rest when the user starts)."""
        self.language = i18n.activate(language)
        rebind(self.app)
        rebind(self)
        self.query_one("#welcome", VerticalScroll).border_title = _("Welcome")
        self.query_one("#language-label", Label).update(_("Language"))
        self.query_one("#welcome-intro", Panel).show(_(INTRO))
        self.query_one("#roadmap-label", Label).update(_("Roadmap"))
        self.query_one("#weekday-label", Label).update(_("Weekday minutes"))
        self.query_one("#weekend-label", Label).update(_("Weekend minutes"))
        self.query_one("#start-label", Label).update(_("Start date"))
        self.query_one("#start", Input).placeholder = _("YYYY-MM-DD")
        self.query_one("#start-button", Button).label = _("Start")
        self.query_one("#welcome-error", Panel).show("")
        options = self.query_one("#roadmaps", OptionList)
        for choice in self.choices.values():
            options.replace_option_prompt(choice.id, choice_text(choice))

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
            error.show(_("Pick a roadmap first."))
            return
        roadmap_id = options.get_option_at_index(options.highlighted).id or ""
        try:
            weekday = minutes(self.query_one("#weekday", Input).value, WEEKDAY_ERRORS)
            weekend = minutes(self.query_one("#weekend", Input).value, WEEKEND_ERRORS)
            start = start_date(self.query_one("#start", Input).value)
        except ValueError as exc:
            error.show(str(exc))
            return
        error.show("")
        self.run_worker(self.save(roadmap_id, weekday, weekend, start), group="welcome", exit_on_error=False)

    async def save(self, roadmap_id: str, weekday: int, weekend: int, start: dt.date) -> None:
        budget = {"weekday": weekday, "weekend": weekend}
        chosen = await self.app.backend.call(roadmaps.use_roadmap, roadmap_id, start=start, budget=budget)
        await self.app.backend.call(data.save_language, self.language)
        self.dismiss(chosen)


def choice_text(choice: roadmaps.RoadmapSummary) -> Text:
    text = Text(i18n.localized(choice), style="bold")
    if choice.title_zh:  # the title in the other language beside it
        text.append(f"  {choice.title if i18n.current() == 'zh' else choice.title_zh}")
    if choice.duration_days:
        days = ngettext("{n} day", "{n} days", choice.duration_days).format(n=choice.duration_days)
        size = _("~{hours} h, {days}, {weekday}/{weekend} min").format(
            hours=choice.hours, days=days, weekday=choice.weekday_minutes, weekend=choice.weekend_minutes
        )
    else:
        size = _("~{hours} h, {weekday}/{weekend} min").format(
            hours=choice.hours, weekday=choice.weekday_minutes, weekend=choice.weekend_minutes
        )
    text.append(f"\n  {choice.id}: {size}", style="dim")
    return text


# What a bad number of minutes is told: (not a whole number, out of range).
WEEKDAY_ERRORS = (
    N_("weekday minutes should be a whole number, got {value!r}"),
    N_("weekday minutes should be between 0 and 1440, got {number}"),
)
WEEKEND_ERRORS = (
    N_("weekend minutes should be a whole number, got {value!r}"),
    N_("weekend minutes should be between 0 and 1440, got {number}"),
)


def minutes(value: str, errors: tuple[str, str]) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(_(errors[0]).format(value=value)) from None
    if not 0 <= number <= 1440:
        raise ValueError(_(errors[1]).format(number=number))
    return number


def start_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(_("the start date should look like 2026-11-23, got {value!r}").format(value=value)) from None
