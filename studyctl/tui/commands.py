"""Command palette entries (ctrl+p): the same app actions the keys run, found by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (name, help, app action) -- the action names are StudyApp's action_* methods.
ENTRIES = (
    ("Today's plan", "Back to the today screen", "today"),
    ("Start reviewing", "Review due cards and learn new ones", "review"),
    ("Open roadmap", "Phases and tasks: mark done, log minutes, skip", "roadmap"),
    ("Open labs", "Start a lab and run its check", "labs"),
    ("Open stats", "Reviews per day, retention, due forecast", "stats"),
    ("Toggle light/dark theme", "Switch between the light and the dark theme", "toggle_theme"),
    ("Help: keys", "Every key of every screen", "help"),
)


class StudyCommands(Provider):
    """studyctl's screens and actions in the command palette."""

    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for name, help_text, action in ENTRIES:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in ENTRIES:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
