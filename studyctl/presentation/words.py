"""Words several texts share: task kinds, the title in the other language, lists. The content
keeps its identifiers in English (`kind: read`); these are what a reader sees for them."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from studyctl.i18n import N_, _, current, width

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


_WIDE = "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
# A wide character with the closing punctuation that must stay on its line; a run of anything
# else that isn't a space; or spaces.
_CLOSING = "，。、；：？！）》」』】”’"
_TOKENS = re.compile(rf"[{_WIDE}][{_CLOSING}]*|[^\s{_WIDE}]+|\s+")
_HAS_WIDE = re.compile(f"[{_WIDE}]")


def wrap(text: str, indent: str, subsequent_indent: str | None = None, columns: int = 100) -> list[str]:
    """`text` in lines of at most `columns` terminal columns, indents included. The English
    interface, and text without wide characters, go through textwrap as they always did (by
    characters); in Chinese a line breaks between two characters or at spaces, never before
    closing punctuation (which may run a column or two over), a character taking two columns."""
    later = indent if subsequent_indent is None else subsequent_indent
    if current() != "zh" or not _HAS_WIDE.search(text):
        return textwrap.wrap(text, columns, initial_indent=indent, subsequent_indent=later)
    lines: list[str] = []
    line, prefix, space = "", indent, False
    for token in _TOKENS.findall(text):
        if token.isspace():
            space = bool(line)
            continue
        joined = bool(line) and not space and bool(_HAS_WIDE.match(token) or _HAS_WIDE.match(line[-1]))
        candidate = line + ("" if not line or joined else " ") + token
        if line and width(prefix + candidate) > columns and token[0] not in _CLOSING:
            lines.append(prefix + line)
            line, prefix = token, later
        else:
            line = candidate
        space = False
    if line:
        lines.append(prefix + line)
    return lines
