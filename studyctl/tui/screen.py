"""The base of studyctl's full screens: `self.app` typed as the StudyApp (its backend, clock and
day), so the screens are checked against the app they really run in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.worker import Worker

if TYPE_CHECKING:
    from studyctl.tui.app import StudyApp


class StudyScreen(Screen[Any]):
    @property
    def app(self) -> StudyApp:  # type: ignore[override]
        return cast("StudyApp", super().app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Workers run on screens, and their state messages stop here: hand them to the app,
        which reports a failure the same way for every screen."""
        event.stop()
        self.app.on_worker_state_changed(event)
