"""Card text (the Markdown dialect of `studyctl.content.markdown`) to the HTML of an Anki field.

The same parser the TUI uses, so lists, emphasis, links, tables, sub/superscripts and math
look the same in both. What differs is only the output: code blocks are highlighted by
pygments with inline styles (`<pre class="code">`: no stylesheet needed on the phone), math
goes out with the delimiters Anki gives MathJax (`\\(...\\)`, `\\[...\\]`), a field that is one
paragraph carries no `<p>` around it, and cloze markers `{{c1::...}}` pass through as text
for Anki to parse. `studyctl.anki.html_text` reads this HTML back.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from studyctl.content.markdown import LEGACY_TOKEN, make_parser

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_LANG = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)
_ONE_PARAGRAPH = re.compile(r"\A<p>((?:(?!</?p>).)*)</p>\Z", re.DOTALL)


def escape(text: str) -> str:
    """Literal text as HTML (quotes too are safe to keep: fields are never attribute values)."""
    return html.escape(text, quote=False)


def to_html(text: str) -> str:
    """Render one field."""
    text = text.replace("\r\n", "\n").strip("\n").rstrip()
    if not text:
        return ""
    rendered = _html_parser().render(text).strip()
    single = _ONE_PARAGRAPH.match(rendered)
    if single:
        return single.group(1)
    pieces = _PRE.split(rendered)  # code blocks keep their newlines; between tags they go
    return "".join(
        piece if index % 2 else piece.replace(">\n<", "><").strip("\n") for index, piece in enumerate(pieces)
    )


@lru_cache(maxsize=1)
def _html_parser() -> MarkdownIt:
    md = make_parser()
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _fence)
    md.add_render_rule("math_inline", _math(inline=True))
    md.add_render_rule("math_inline_double", _math(inline=False))
    md.add_render_rule("math_block", _math(inline=False))
    md.add_render_rule("text", _text)
    md.add_render_rule(LEGACY_TOKEN, _text)
    md.add_render_rule("softbreak", lambda *args: "\n")
    md.add_render_rule("hardbreak", lambda *args: "<br>")
    return md


def _text(_renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    return escape(tokens[idx].content)


def _math(*, inline: bool):
    def render(_renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
        content = escape(tokens[idx].content.strip() if not inline else tokens[idx].content)
        return f"\\({content}\\)" if inline else f"\\[{content}\\]"

    return render


def _fence(_renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    token = tokens[idx]
    lang = token.info.strip().split(" ")[0] if token.info else ""
    return highlight(token.content.removesuffix("\n"), lang if _LANG.match(lang) else "")


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
