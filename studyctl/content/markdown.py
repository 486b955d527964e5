"""The one Markdown dialect of card text, configured once for every face that shows a card.

CommonMark (markdown-it-py) with GFM tables and ~~strikethrough~~, `^sup^` and `~sub~`, and
`$math$` / `$$display math$$` (mdit-py-plugins' dollarmath, with pandoc's rule so that prices
stay prices: no space inside the dollars, no digit right after the closing one). Raw HTML is
off: `<tensor>` in a card is text. Source line wrapping is a soft break (a space), never a line
break; a hard break is a backslash at the end of the line, or a blank line for a new paragraph.

Anki's legacy LaTeX (`[$]...[/$]`, `[$$]...[/$$]`, `[latex]...[/latex]`) passes through
untouched, so Anki still typesets it.

The Anki export (`studyctl.anki.markdown`) renders this to HTML; the TUI's card widget
(`studyctl.tui.cardtext`) renders the same tokens to the terminal; `studyctl.anki.html_text`
writes this dialect back from Anki's HTML.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

LEGACY_LATEX = (("[$$]", "[/$$]"), ("[$]", "[/$]"), ("[latex]", "[/latex]"))
LEGACY_TOKEN = "anki_latex"


def make_parser() -> MarkdownIt:
    """A new parser of the card dialect (callers may add their own render rules to it)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.subscript import sub_plugin
    from mdit_py_plugins.superscript import superscript_plugin

    md = MarkdownIt("commonmark", {"html": False, "breaks": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("escape", LEGACY_TOKEN, _legacy_latex)
    dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True)
    md.use(superscript_plugin)
    md.use(sub_plugin)
    return md


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared parser (read-only use: parse, or render with the default rules)."""
    return make_parser()


def _legacy_latex(state: StateInline, silent: bool) -> bool:
    """`[$]x[/$]` and friends as one token, so no other rule (math, escapes) touches them."""
    for opening, closing in LEGACY_LATEX:
        if state.src.startswith(opening, state.pos):
            end = state.src.find(closing, state.pos + len(opening))
            if end < 0:
                return False
            if not silent:
                token = state.push(LEGACY_TOKEN, "", 0)
                token.content = state.src[state.pos : end + len(closing)]
            state.pos = end + len(closing)
            return True
    return False
