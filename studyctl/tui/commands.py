"""Command palette entries (ctrl+p): the same app actions the keys run, found by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from studyctl.i18n import N_, _

# (name, help, app action) -- the action names are StudyApp's action_* methods; name and help
# are translated where they are shown (the palette matches what it shows).
ENTRIES = (
    (N_("Today's plan"), N_("Back to the today screen"), "today"),
    (N_("Start reviewing"), N_("Review due cards and learn new ones"), "review"),
    (N_("Open roadmap"), N_("Phases and tasks: mark done, log minutes, skip"), "roadmap"),
    (N_("Open labs"), N_("Start a lab and run its check"), "labs"),
    (N_("Open stats"), N_("Reviews per day, retention, due forecast"), "stats"),
    (N_("Toggle light/dark theme"), N_("Switch between the light and the dark theme"), "toggle_theme"),
    (N_("Help: keys"), N_("Every key of every screen"), "help"),
)

# Textual's own palette entries, in its words, so that the catalog can carry them: a Textual
# release that rewords one shows it in English until the catalog catches up, never blank.
TEXTUAL_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def described(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands with their names and help in the interface language."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))


class StudyCommands(Provider):
    """studyctl's screens and actions in the command palette."""

    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for name, help_text, action in ENTRIES:
            yield DiscoveryHit(_(name), partial(self._run, action), help=_(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in ENTRIES:
            shown = _(name)
            score = max(matcher.match(shown), matcher.match(name))  # in Chinese, English words find it too
            if score > 0:
                yield Hit(score, matcher.highlight(shown), partial(self._run, action), help=_(help_text))
