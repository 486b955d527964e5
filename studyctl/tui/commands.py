"""Command palette entries (ctrl+p): the same app actions the keys run, found by name."""

from __future__ import annotations

from functools import partial

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
