"""Card text on screen: the Markdown widget the review screen (and any other card view) shows
questions and answers in, never interpreting Rich markup or raw HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown


def literal_markdown_parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough, raw HTML off: `<pad>` in a card is text."""
    return MarkdownIt("gfm-like", {"html": False})


class CardMarkdown(Markdown):
    """Card text as Markdown; raw HTML is shown as text, Rich markup is never interpreted."""

    def __init__(self, *, id: str | None = None, classes: str = ""):
        super().__init__("", id=id, classes=classes, parser_factory=literal_markdown_parser, open_links=False)
