"""The base of studyctl's full screens: `self.app` typed as the StudyApp (its backend, clock and
day), so the screens are checked against the app they really run in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from studyctl.tui.app import StudyApp


class StudyScreen(Screen[Any]):
    @property
    def app(self) -> StudyApp:  # type: ignore[override]
        return cast("StudyApp", super().app)
