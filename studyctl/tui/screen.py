"""The base of studyctl's full screens: `self.app` typed as the StudyApp (its backend, clock and
day), so the screens are checked against the app they really run in."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker

from studyctl import i18n
from studyctl.i18n import _

if TYPE_CHECKING:
    from studyctl.tui.app import StudyApp


class LocalizedBindings:
    """Mixed into the app and every screen: their keys described in the interface language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        localize_bindings(type(self))
        super().__init__(*args, **kwargs)


class StudyScreen(LocalizedBindings, Screen[Any]):
    @property
    def app(self) -> StudyApp:  # type: ignore[override]
        return cast("StudyApp", super().app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Workers run on screens, and their state messages stop here: hand them to the app,
        which reports a failure the same way for every screen."""
        event.stop()
        self.app.on_worker_state_changed(event)


def localize_bindings(cls: type) -> None:
    """Describe `cls`'s keys in the interface language. BINDINGS are written with N_() (English
    msgids) and Textual merges them once, when the class is defined, which may be before the
    language is chosen (the welcome screen can change it): so each class is translated when an
    instance is made, once per language."""
    language = i18n.current()
    if cls.__dict__.get("_bindings_language") == language:
        return
    for klass in cls.__mro__:
        own = klass.__dict__.get("BINDINGS")
        if own is None or not klass.__module__.startswith("studyctl."):
            continue  # Textual's own classes keep theirs
        if "_english_bindings" not in klass.__dict__:
            klass._english_bindings = own  # type: ignore[attr-defined]
        klass.BINDINGS = [_described(binding) for binding in klass.__dict__["_english_bindings"]]  # type: ignore[attr-defined]
    cls._merged_bindings = cls._merge_bindings()  # type: ignore[attr-defined]
    cls._bindings_language = language  # type: ignore[attr-defined]


def _described(binding: BindingType) -> BindingType:
    if isinstance(binding, Binding):
        return replace(binding, description=_(binding.description)) if binding.description else binding
    if len(binding) == 3:
        key, action, description = binding
        return (key, action, _(description))
    return binding


def rebind(node: DOMNode) -> None:
    """`node`'s keys described again in the language just chosen, at once (its class too, for the
    help screen and later instances)."""
    before = [binding for _key, binding in node._merged_bindings] if node._merged_bindings else []
    added = [binding for _key, binding in node._bindings if binding not in before]  # the app's ctrl+p
    localize_bindings(type(node))
    merged = type(node)._merged_bindings
    node._bindings = merged.copy() if merged else BindingsMap()
    for binding in added:
        node._bindings._add_binding(binding)
    node.refresh_bindings()
