"""A small modal that asks for one value (a flag note, minutes spent); Enter answers, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from studyctl.i18n import N_, _
from studyctl.tui.screen import LocalizedBindings
from studyctl.tui.widgets import Panel


class AskScreen(LocalizedBindings, ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, prompt: str, *, value: str = "", integer: bool = False):
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.integer = integer

    def compose(self) -> ComposeResult:
        with Vertical(id="ask") as box:
            box.border_title = self.title_text
            yield Panel(self.prompt, classes="plain")
            yield Input(value=self.value, type="integer" if self.integer else "text", id="ask-input")
            yield Panel(_("enter: save · esc: cancel"), classes="plain dim")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
