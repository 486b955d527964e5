"""Words several texts share: task kinds, the title in the other language, lists. The content
keeps its identifiers in English (`kind: read`); these are what a reader sees for them."""

from __future__ import annotations

from typing import Any

from studyctl.i18n import N_, _, current

KINDS = {
    "read": N_("read"),
    "watch": N_("watch"),
    "lab": N_("lab"),
    "deck": N_("deck"),
    "project": N_("project"),
    "competition": N_("competition"),
    "practice": N_("practice"),
}


def kind_label(kind: str) -> str:
    """A task kind in the interface language (an unknown kind as it is)."""
    return _(KINDS[kind]) if kind in KINDS else kind


def other_title(item: Any, name: str = "title") -> str:
    """The title in the other language, shown under or beside the localized one: title_zh in
    English, the English title in Chinese; "" where the content has no Chinese title."""
    chinese = getattr(item, f"{name}_zh", "") or ""
    if not chinese:
        return ""
    return str(getattr(item, name, "") or "") if current() == "zh" else chinese


def join(items: list[str]) -> str:
    """Words (not identifiers) as a list: "a, b" / "a，b"."""
    return _(", ").join(items)
