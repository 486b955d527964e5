"""Words several texts share: task kinds, the title in the other language, lists. The content
keeps its identifiers in English (`kind: read`); these are what a reader sees for them."""

from __future__ import annotations

import textwrap
from typing import Any

from studyctl.i18n import N_, _, current, has_wide, wrap_columns

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


CHINESE_STOPS = ("。", "！", "？", "；", "）", "」", "”")


def sentences(parts: list[str]) -> str:
    """Sentences run together on one line: a space between them in English, none after a
    Chinese full stop (Chinese puts no space between sentences)."""
    text = ""
    for part in parts:
        gap = "" if not text or (current() == "zh" and text.endswith(CHINESE_STOPS)) else " "
        text += gap + part
    return text


def join(items: list[str]) -> str:
    """Words (not identifiers) as a list: "a, b" / "a，b"."""
    return _(", ").join(items)


def wrap(text: str, indent: str, subsequent_indent: str | None = None, columns: int = 100) -> list[str]:
    """`text` in lines of at most `columns` terminal columns, indents included. The English
    interface, and text without wide characters, go through textwrap as they always did (by
    characters); Chinese is wrapped by its width on screen (i18n.wrap_columns)."""
    later = indent if subsequent_indent is None else subsequent_indent
    if current() != "zh" or not has_wide(text):
        return textwrap.wrap(text, columns, initial_indent=indent, subsequent_indent=later)
    return wrap_columns(text, columns, indent, later)
