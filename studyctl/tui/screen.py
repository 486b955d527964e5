"""The base of studyctl's full screens: `self.app` typed as the StudyApp (its backend, clock and
day), so the screens are checked against the app they really run in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.binding import BindingsMap, BindingType
from textual.dom import DOMNode
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


def rebind(node: DOMNode, bindings: list[BindingType]) -> None:
    """Give `node` (and its class, for the help screen and later instances) `bindings`: their
    descriptions again, in the language just chosen. Textual merges a class's BINDINGS once,
    when the class is defined, so a language change needs this."""
    cls = type(node)
    before = [binding for _key, binding in cls._merged_bindings] if cls._merged_bindings else []
    added = [binding for _key, binding in node._bindings if binding not in before]  # the app's ctrl+p
    rebind_class(cls, bindings)
    node._bindings = cls._merged_bindings.copy() if cls._merged_bindings else BindingsMap()
    for binding in added:
        node._bindings._add_binding(binding)
    node.refresh_bindings()


def rebind_class(cls: type[DOMNode], bindings: list[BindingType]) -> None:
    """`cls` with `bindings` (what Textual does with BINDINGS when it defines the class)."""
    cls.BINDINGS = bindings
    cls._merged_bindings = cls._merge_bindings()
