"""The help screen: every key of every screen, read from the screens' own bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen

from studyctl.i18n import N_, _
from studyctl.tui.screen import LocalizedBindings, localize_bindings
from studyctl.tui.widgets import Panel

INTRO = (  # shown with _()
    N_(
        "studyctl plans each evening from your roadmap: reviews first, then new cards, the next lab "
        "and the roadmap's tasks, sized to your minutes. Everything you do is saved at once."
    ),
    N_("ctrl+p opens the command palette: every screen and action by name."),
)


def screen_classes() -> list[tuple[str, type[DOMNode]]]:
    from studyctl.tui.app import StudyApp
    from studyctl.tui.browse import BrowseScreen, CardInfoScreen
    from studyctl.tui.labs import LabsScreen
    from studyctl.tui.review import ReviewScreen
    from studyctl.tui.roadmap import RoadmapScreen
    from studyctl.tui.stats import StatsScreen
    from studyctl.tui.today import TodayScreen

    return [
        (_("Everywhere"), StudyApp),
        (_("Today"), TodayScreen),
        (_("Review"), ReviewScreen),
        (_("Roadmap"), RoadmapScreen),
        (_("Labs"), LabsScreen),
        (_("Stats"), StatsScreen),
        (_("Cards (browse)"), BrowseScreen),
        (_("Card info"), CardInfoScreen),
    ]


def keys_text() -> Text:
    text = Text()
    text.append("\n".join(_(paragraph) for paragraph in INTRO) + "\n")
    for title, cls in screen_classes():
        text.append(f"\n{title}\n", style="bold underline")
        localize_bindings(cls)  # a screen not yet shown in this language describes its keys now
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = ", ".join(_key_name(key) for key in binding.key.split(","))
            text.append(f"  {keys:<18}", style="bold")
            text.append(binding.description + "\n")
    text.append("\n" + _("Press escape to close."), style="dim")
    return text


def _key_name(key: str) -> str:
    return {"question_mark": "?", "space": "space", "enter": "enter", "escape": "esc", "at": "@", "slash": "/"}.get(
        key, key
    )


class HelpScreen(LocalizedBindings, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", N_("Close"))]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = _("Keys")
            yield Panel(keys_text(), id="help-keys", classes="plain")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
