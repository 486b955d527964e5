"""Card text (the small Markdown studyctl decks use) to the HTML an Anki field holds.

What is rendered: fenced code blocks (highlighted by pygments, with inline styles so they look
the same in every Anki client), `inline code`, **bold**, and math: $...$ becomes \\(...\\)
and $$...$$ becomes \\[...\\], the delimiters Anki hands to MathJax. Everything else is
HTML-escaped, so a card about `<tensor>` or `a < b` shows exactly what the deck says; line
breaks become <br> and leading spaces &nbsp; (indented list items stay indented).

`studyctl.anki.html_text` is the inverse for this subset, so an export read back by
`studyctl import anki` gives the same text.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[^`\s]*)[^\n`]*$")
_LANG = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def escape(text: str) -> str:
    """Literal text as HTML (quotes too are safe to keep: fields are never attribute values)."""
    return html.escape(text, quote=False)


def to_html(text: str) -> str:
    """Render one field: code blocks, inline code, bold and math; everything else literal."""
    text = text.replace("\r\n", "\n").strip("\n").rstrip()
    parts = []
    for kind, chunk, lang in split_code_blocks(text):
        if kind == "code":
            parts.append(highlight(chunk, lang))
        else:
            parts.append(inline_html(chunk))
    return "".join(parts)


def split_code_blocks(text: str) -> list[tuple[str, str, str]]:
    """[(kind, text, lang)]: 'prose' pieces and fenced 'code' blocks (an unclosed fence runs
    to the end, as in CommonMark). The newline before a fence stays with the prose."""
    lines = text.split("\n")
    pieces: list[tuple[str, str, str]] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            prose.append(lines[index])
            index += 1
            continue
        fence = match.group("fence")
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        if prose:
            pieces.append(("prose", "\n".join(prose) + "\n", ""))
            prose = []
        lang = match.group("lang")
        pieces.append(("code", "\n".join(lines[index + 1 : end]), lang if _LANG.match(lang) else ""))
        index = end + 1
    if prose:
        pieces.append(("prose", "\n".join(prose), ""))
    return pieces


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]} and len(line) - len(line.lstrip(" ")) <= 3


def highlight(code: str, lang: str) -> str:
    """A code block as <pre class="code" data-lang=...> with pygments' inline-styled spans."""
    from pygments import highlight as pygmentize
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=True) if lang else None
    except ClassNotFound:
        lexer = None
    lexer = lexer or TextLexer(stripnl=False, ensurenl=True)
    body = pygmentize(code, lexer, _formatter(HtmlFormatter)) if code else ""
    attributes = f' data-lang="{html.escape(lang)}"' if lang else ""
    return f'<pre class="code"{attributes}><code>{body}</code></pre>'


_FORMATTERS: dict = {}


def _formatter(formatter_class):
    if "html" not in _FORMATTERS:
        _FORMATTERS["html"] = formatter_class(nowrap=True, noclasses=True, style="default")
    return _FORMATTERS["html"]


def inline_html(text: str) -> str:
    """Prose: code spans first, then math, then bold; the rest escaped; newlines to <br>."""
    out: list[str] = []
    plain: list[str] = []
    i, n = 0, len(text)

    def flush() -> None:
        if plain:
            out.append(_plain_html("".join(plain), at_line_start=not out or out[-1].endswith("<br>")))
            plain.clear()

    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "`$\\":
            plain.append(text[i : i + 2])  # an escaped delimiter stays as written, never opens anything
            i += 2
            continue
        if char == "`":
            run = _run_length(text, i, "`")
            close = _find_run(text, i + run, "`", run)
            if close >= 0:
                flush()
                content = text[i + run : close]
                if len(content) > 2 and content[0] == " " and content[-1] == " " and content.strip():
                    content = content[1:-1]
                out.append(f"<code>{escape(content)}</code>")
                i = close + run
                continue
            plain.append(text[i : i + run])
            i += run
            continue
        if char == "$":
            span = _math_span(text, i)
            if span is not None:
                flush()
                display, inner, end = span
                out.append(f"\\[{escape(inner)}\\]" if display else f"\\({escape(inner)}\\)")
                i = end
                continue
        plain.append(char)
        i += 1
    flush()
    return "".join(out)


def _plain_html(text: str, at_line_start: bool) -> str:
    """Escaped text with **bold**, <br> for newlines and &nbsp; for indentation."""
    lines = text.split("\n")
    rendered = []
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" ")) if number > 0 or at_line_start else 0
        rendered.append("&nbsp;" * indent + _bold(line[indent:]))
    return "<br>".join(rendered)


def _bold(text: str) -> str:
    pieces = []
    last = 0
    for match in _BOLD.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<b>{escape(match.group(1))}</b>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return "".join(pieces)


def _run_length(text: str, start: int, char: str) -> int:
    end = start
    while end < len(text) and text[end] == char:
        end += 1
    return end - start


def _find_run(text: str, start: int, char: str, length: int) -> int:
    """Index of the next run of exactly `length` `char`s at or after `start`, or -1."""
    i = start
    while True:
        i = text.find(char, i)
        if i < 0:
            return -1
        run = _run_length(text, i, char)
        if run == length:
            return i
        i += run


def _math_span(text: str, start: int) -> tuple[bool, str, int] | None:
    """(display, inner, end) for math starting at `start`, or None when this $ is just a $.

    Inline math follows pandoc's rule so prices stay prices: the opening $ is followed by a
    non-space, the closing $ follows a non-space and is not followed by a digit. Math never
    crosses a blank line.
    """
    if text.startswith("$$", start):
        close = text.find("$$", start + 2)
        inner = text[start + 2 : close]
        if close < 0 or not inner.strip() or "\n\n" in inner:
            return None
        return True, inner, close + 2
    if start + 1 >= len(text) or text[start + 1].isspace():
        return None
    i = start + 1
    while True:
        close = text.find("$", i)
        if close < 0:
            return None
        inner = text[start + 1 : close]
        if "\n\n" in inner:
            return None
        if text.startswith("$$", close):
            return None  # a display-math delimiter never closes inline math
        before, after = text[close - 1], text[close + 1 : close + 2]
        if not before.isspace() and before != "\\" and not after.isdigit():
            return False, inner, close + 1
        i = close + 1
