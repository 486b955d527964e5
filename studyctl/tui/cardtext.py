"""Card text on screen: the Markdown widget the review screen (and any other card view) shows
questions and answers in, never interpreting Rich markup or raw HTML.

It parses with the card dialect of `studyctl.content.markdown` (the parser the Anki export
uses, so a card looks the same in both), then rewrites what Textual's Markdown widget does not
draw: math becomes Unicode text (pylatexenc, plus super/subscript digits and letters) in the
code style, display math a block; `^sup^` and `~sub~` become Unicode where the characters
have a raised or lowered form; Anki's legacy `[$]...[/$]` stays as written. `raw_math` shows
the LaTeX source instead (backslashes and all, e.g. `x^2\\,dx`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual.widgets import Markdown

from studyctl.content.markdown import LEGACY_TOKEN, make_parser
from studyctl.i18n import N_, _

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

SUPERSCRIPT = str.maketrans("0123456789+-=()niabcdehijklmoprstuvwxyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉʰⁱʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ")
SUBSCRIPT = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_RAISED = set("0123456789+-=()niabcdehijklmoprstuvwxyzT")
_LOWERED = set("0123456789+-=()aehijklmnoprstuvx")

# A card's type, state and marks as the screens show them; the database, the search filters
# (is:new) and --json keep the English names.
CARD_WORDS = {
    "basic": N_("basic"),
    "cloze": N_("cloze"),
    "choice": N_("choice"),
    "typed": N_("typed"),
    "new": N_("new"),
    "learning": N_("learning"),
    "review": N_("review"),
    "relearning": N_("relearning"),
    "cram": N_("cram"),
    "suspended": N_("suspended"),
    "buried": N_("buried"),
    "flagged": N_("flagged"),
    "leech": N_("leech"),
}


def card_word(name: str) -> str:
    """A card type, state or mark in the interface language (unknown names as they are)."""
    return _(CARD_WORDS[name]) if name in CARD_WORDS else name


def literal_markdown_parser(raw_math: bool = False) -> MarkdownIt:
    """The card dialect, raw HTML off (`<pad>` in a card is text), with the terminal rewrite."""
    md = make_parser()
    md.core.ruler.push("terminal_text", _terminal_rule(raw_math))
    return md


def _terminal_rule(raw_math: bool):
    def rule(state: StateCore) -> None:
        from markdown_it.token import Token

        blocks = []
        for token in state.tokens:
            if token.type in ("math_block", "math_block_label"):
                fence = Token("fence", "code", 0, content=_math(token.content, raw_math, display=True) + "\n")
                fence.info = "latex" if raw_math else ""
                blocks.append(fence)
                continue
            if token.type == "inline" and token.children:
                token.children = _inline(token.children, raw_math)
            blocks.append(token)
        state.tokens = blocks

    return rule


def _inline(children: list[Token], raw_math: bool) -> list[Token]:
    from markdown_it.token import Token

    out: list[Token] = []
    mode = ""
    for child in children:
        kind = child.type
        if kind in ("math_inline", "math_inline_double"):
            out.append(Token("code_inline", "code", 0, content=_math(child.content, raw_math)))
        elif kind == LEGACY_TOKEN:
            out.append(Token("text", "", 0, content=child.content))
        elif kind in ("sup_open", "sub_open"):
            mode = kind[:3]
        elif kind in ("sup_close", "sub_close"):
            mode = ""
        elif mode and kind == "text":
            out.append(Token("text", "", 0, content=_shift(child.content, mode == "sup")))
        else:
            out.append(child)
    return out


def _shift(text: str, up: bool) -> str:
    """Raised or lowered Unicode if every character has a form; else ^(x) or _(x)."""
    chars = _RAISED if up else _LOWERED
    if text and all(char in chars for char in text):
        return text.translate(SUPERSCRIPT if up else SUBSCRIPT)
    return f"{'^' if up else '_'}({text})" if len(text) > 1 else f"{'^' if up else '_'}{text}"


def _math(latex: str, raw: bool, display: bool = False) -> str:
    latex = latex.strip()
    if raw:
        return f"$${latex}$$" if display else f"${latex}$"
    return latex_to_unicode(latex)


@lru_cache(maxsize=512)
def latex_to_unicode(latex: str) -> str:
    """LaTeX math as text a terminal shows: Greek letters and symbols by pylatexenc, scripts as
    Unicode super/subscripts where they exist. Malformed LaTeX comes back as it was."""
    try:
        text = _scripts_then_text(latex)
    except Exception:  # pylatexenc is lenient, but a card must never break the screen
        return latex
    return latex if "%s" in text and "%s" not in latex else text


def _scripts_then_text(latex: str) -> str:
    import logging

    from pylatexenc.latex2text import LatexNodes2Text

    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)  # malformed LaTeX is not news

    pieces: list[str] = []
    plain: list[str] = []
    i = 0
    while i < len(latex):
        char = latex[i]
        if char in "^_" and i + 1 < len(latex):
            group, i = _group(latex, i + 1)
            pieces.append(LatexNodes2Text(math_mode="text").latex_to_text("".join(plain)))
            plain = []
            pieces.append(_shift(_scripts_then_text(group).strip(), char == "^"))
            continue
        if char == "{":  # an argument: its own scripts first, the command around it later
            group, i = _group(latex, i)
            plain.append("{" + _scripts_then_text(group) + "}")
            continue
        plain.append(char)
        i += 1
    pieces.append(LatexNodes2Text(math_mode="text").latex_to_text("".join(plain)))
    return "".join(pieces)


def _group(latex: str, start: int) -> tuple[str, int]:
    """The script after ^ or _: a {braced group}, a \\command, or one character."""
    if latex[start] == "{":
        depth = 0
        for end in range(start, len(latex)):
            depth += {"{": 1, "}": -1}.get(latex[end], 0)
            if depth == 0:
                return latex[start + 1 : end], end + 1
        return latex[start + 1 :], len(latex)
    if latex[start] == "\\":
        end = start + 1
        while end < len(latex) and latex[end].isalpha():
            end += 1
        return latex[start : max(end, start + 2)], max(end, start + 2)
    return latex[start], start + 1


class CardMarkdown(Markdown):
    """Card text as Markdown; raw HTML is shown as text, Rich markup is never interpreted.
    `show_raw_math(True)` shows the LaTeX source of math instead of its Unicode rendering."""

    def __init__(self, *, id: str | None = None, classes: str = ""):
        super().__init__("", id=id, classes=classes, parser_factory=self._parser, open_links=False)
        self.raw_math = False
        self.text = ""

    def _parser(self) -> MarkdownIt:
        return literal_markdown_parser(self.raw_math)

    def update(self, markdown: str):
        self.text = markdown
        return super().update(markdown)

    def show_raw_math(self, raw: bool):
        """Switch between Unicode math and its LaTeX source (re-renders the current text)."""
        self.raw_math = raw
        return super().update(self.text)
