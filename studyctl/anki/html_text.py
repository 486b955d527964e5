"""Anki field HTML to the card dialect of `studyctl.content.markdown` (and to plain text).

What Anki shows is what the Markdown renders: `<br>` and the editor's `<div>` lines become hard
breaks, `<p>` paragraphs blank lines, a raw newline in the HTML a soft break (a space, as in
HTML); `<b>`, `<i>`, `<s>`, `<sup>`, `<sub>`, `<code>`, links, images, lists and tables become
their Markdown; code blocks (`<pre>`) fenced blocks with their language; MathJax's `\\(...\\)`
and `\\[...\\]` become `$...$` and `$$...$$`; Anki's legacy `[$]...[/$]` stays as written.
Characters that Markdown would read as syntax are escaped, so literal text stays literal.

One pass over the HTML, output collected in a list and joined once: linear in the field's size.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

MAX_LIST_DEPTH = 16  # deeper lists stay at this indent: output stays linear in the input
_LINE_BLOCK = {"div", "section", "article", "header", "footer", "figure", "dl", "dt", "dd", "center", "tr"}
_PARAGRAPH = {"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "head", "title", "template"}
_INLINE = {
    "b": "**",
    "strong": "**",
    "i": "*",
    "em": "*",
    "s": "~~",
    "del": "~~",
    "strike": "~~",
    "sup": "^",
    "sub": "~",
}
_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)")
_SPACES = re.compile(r"[\t\r\f\v\xa0]")  # as spaces (runs are kept: HTML shows them as one anyway)
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_AUTOLINK = re.compile(r"<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)")
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}(?=[.)]\s)|=+\s*$|-+\s*$)")
_LEGACY = re.compile(r"\[\$\$\].*?\[/\$\$\]|\[\$\].*?\[/\$\]|\[latex\].*?\[/latex\]", re.DOTALL)


def html_to_text(markup: str) -> str:
    """One field's HTML as Markdown (stripped of surrounding blank space)."""
    converter = _Converter()
    converter.feed(markup)
    converter.close()
    return converter.result()


def html_to_plain(markup: str) -> str:
    """One field's HTML as the text a person reads (no Markdown): a type-in answer, compared
    with what is typed, must not carry `**` or escapes."""
    converter = _Converter(plain=True)
    converter.feed(markup)
    converter.close()
    return converter.result()


def html_to_lines(markup: str) -> list[str]:
    """A field that holds one item per line (refs, accepted answers): the non-empty lines, plain."""
    return [line.strip() for line in html_to_plain(markup).split("\n") if line.strip()]


_LIST_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li\s*>", re.DOTALL | re.IGNORECASE)


def list_items(markup: str) -> list[str]:
    """The text of each <li> in a field (the options of a choice note)."""
    return [html_to_text(item) for item in _LIST_ITEM.findall(markup)]


def escape_markdown(text: str) -> str:
    """Literal text as Markdown that renders as exactly that text (Anki's legacy LaTeX kept)."""
    pieces = []
    last = 0
    for match in _LEGACY.finditer(text):
        pieces.append(_escape_run(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_escape_run(text[last:]))
    return "".join(pieces)


def _escape_run(text: str) -> str:
    if not text:
        return text
    out = []
    dollars = text.count("$") >= 2
    last = {char: text.rfind(char) for char in "^~"}
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char == "\\":
            out.append("\\\\" if after in _PUNCTUATION or after == " " else "\\")
        elif char == "`" or (char == "$" and dollars):
            out.append("\\" + char)
        elif char == "*" and not (before.isspace() and after.isspace()):
            out.append("\\*")  # could open or close emphasis
        elif char == "]" and after in "([:":
            out.append("\\]")  # would end a link's text
        elif char == "!" and after == "[":
            out.append("\\!")
        elif char in "^~" and last[char] > index:
            out.append("\\" + char)
        elif char == "_" and (before.isspace() or before in _PUNCTUATION) and not after.isspace():
            out.append("\\_")  # could open emphasis
        elif char == "&" and _ENTITY.match(text, index):
            out.append("\\&")
        elif char == "<" and _AUTOLINK.match(text, index):
            out.append("\\<")
        else:
            out.append(char)
    return "".join(out)


_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class _Converter(HTMLParser):
    def __init__(self, plain: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.plain = plain
        self.out: list[str] = []  # finished Markdown pieces
        self.text: list[str] = []  # the current run of text between tags
        self.pending = ""  # "", "soft", "hard" or "para": the break owed before the next content
        self.at_start = True  # nothing emitted yet on this line (after an indent)
        self.skip = 0
        self.pre: list[str] | None = None
        self.pre_lang = ""
        self.code: list[str] | None = None
        self.lists: list[list] = []  # [tag, next number, indent of the items' text]
        self.item_fresh = False  # just after a list marker: breaks owed there are dropped
        self.links: list[str | None] = []
        self.markers: list[list] = []  # [marker, index in `out` once written, else -1]
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    # -- output ----------------------------------------------------------------------------------

    def indent(self) -> str:
        return self.lists[-1][2] if self.lists else ""

    def write(self, piece: str) -> None:
        """Append Markdown, first paying any break owed."""
        if not piece:
            return
        if self.cell is not None:
            self.cell.append(piece)
            return
        if self.pending and self.out:
            if self.pending == "para":
                self.out.append("\n\n" + self.indent())
            elif self.pending == "hard":
                self.out.append(("\n" if self.plain else "\\\n") + self.indent())
            else:
                self.out.append("\n" + self.indent())
        self.pending = ""
        self.out.append(piece)
        self.at_start = False
        self.item_fresh = False

    def owe(self, kind: str) -> None:
        """A break before whatever comes next (the strongest owed wins)."""
        if self.cell is not None:
            if kind in ("hard", "para") and self.cell and not self.cell[-1].endswith(" "):
                self.cell.append(" ")
            return
        if self.item_fresh:
            return
        rank = {"": 0, "soft": 1, "hard": 2, "para": 3}
        if rank[kind] > rank[self.pending]:
            self.pending = kind

    def flush_text(self) -> None:
        """The text run collected so far: whitespace as HTML reads it, math to $, the rest escaped."""
        if not self.text:
            return
        raw = "".join(self.text)
        self.text = []
        lines = raw.split("\n")
        for number, line in enumerate(lines):
            if number:
                self.owe("soft")
            line = _SPACES.sub(" ", line)
            if self.pending or self.at_start:
                line = line.lstrip(" ")
            if line.strip() == "" and line:
                if not self.pending and not self.at_start:
                    self.write_inline(" ")
                continue
            self.write_inline(line)

    def write_inline(self, text: str) -> None:
        if not text:
            return
        self.open_markers(text)
        if self.plain:
            self.write(text)
            return
        rendered = _math_to_dollars(text)
        starts_line = self.pending or self.at_start or (self.out and self.out[-1].endswith("\n"))
        if starts_line and rendered and _LINE_START.match(rendered):
            rendered = "\\" + rendered if not rendered[0].isdigit() else _escape_number(rendered)
        self.write(rendered)

    def open_markers(self, text: str) -> None:
        """Emphasis markers wait for the first visible text (never `** bold**` or `****`)."""
        if not text.strip():
            return
        for marker in self.markers:
            if marker[1] < 0:
                self.write(marker[0])
                marker[1] = len(self.out) - 1 if self.cell is None else -2

    # -- parser callbacks ------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if self.pre is not None:
            if tag == "br":
                self.pre.append("\n")
            elif tag == "code" and not self.pre_lang:
                self.pre_lang = attributes.get("data-lang", "") or _lang_of(attributes.get("class", ""))
            return
        if self.code is not None:
            return
        self.flush_text()
        if tag == "br":
            self.owe("hard")
        elif tag == "pre":
            self.owe("para")
            self.pre = []
            self.pre_lang = attributes.get("data-lang", "") or _lang_of(attributes.get("class", ""))
        elif tag == "code":
            self.code = []
        elif tag in _PARAGRAPH:
            self.owe("para")
            if tag[0] == "h" and not self.plain and self.cell is None:
                self.write("#" * int(tag[1]) + " ")
        elif tag in ("td", "th") and self.table is not None:
            if not self.table:
                self.table.append([])
            self.cell = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in _LINE_BLOCK:
            self.owe("hard")
        elif tag in ("ul", "ol"):
            self.owe("para" if not self.lists else "soft")
            indent = self.indent() + ("   " if tag == "ol" else "  ") * (len(self.lists) < MAX_LIST_DEPTH)
            start = attributes.get("start", "")
            self.lists.append([tag, int(start) if start.isdigit() and len(start) < 9 else 1, indent])
        elif tag == "li":
            self.owe("soft")
            kind: list[Any] = self.lists[-1] if self.lists else ["ul", 1, "  "]
            marker = f"{kind[1]}. " if kind[0] == "ol" else "- "
            kind[1] += 1
            outer = self.lists[-2][2] if len(self.lists) > 1 else ""
            if self.out and self.pending:
                self.out.append("\n\n" if self.pending == "para" else "\n")
                self.pending = ""
            self.out.append(outer + marker if self.out else marker)
            self.pending = ""
            self.at_start = True
            self.item_fresh = True
        elif tag in _INLINE and not self.plain:
            self.markers.append([_INLINE[tag], -1])
        elif tag == "img":
            source = attributes.get("src", "")
            if source and not self.plain:
                self.write(f"![{escape_markdown(attributes.get('alt', ''))}]({_url(source)})")
        elif tag == "hr":
            self.owe("para")
            self.write("---" if not self.plain else "")
            self.owe("para")
        elif tag == "a":
            href = attributes.get("href", "")
            self.links.append(href or None)
            if href and not self.plain:
                self.markers.append(["[", -1])
        elif tag == "table":
            self.owe("para")
            self.table = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "pre" and self.pre is not None:
            self._end_pre()
            return
        if self.pre is not None:
            return
        if tag == "code" and self.code is not None:
            self._end_code()
            return
        if self.code is not None:
            return
        self.flush_text()
        if tag in _PARAGRAPH:
            self.owe("para")
        elif tag in ("td", "th") and self.cell is not None and self.table is not None:
            cell = "".join(self.cell).strip().replace("\\\n", " ").replace("\n", " ")
            self.table[-1].append(re.sub(r"(?<!\\)\|", r"\\|", cell))
            self.cell = None
        elif tag in _LINE_BLOCK:
            self.owe("hard")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.owe("para" if not self.lists else "soft")
        elif tag == "li":
            self.owe("soft")
        elif tag in _INLINE and not self.plain:
            self._close_marker(_INLINE[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not self.plain:
                self._close_marker("[", f"]({_url(href)})")
        elif tag == "table" and self.table is not None:
            rows, self.table = [row for row in self.table if row], None
            self._write_table(rows)

    def _close_marker(self, marker: str, closing: str | None = None) -> None:
        for index in range(len(self.markers) - 1, -1, -1):
            if self.markers[index][0] == marker:
                emitted = self.markers.pop(index)[1] != -1
                if emitted:
                    target = self.cell if self.cell is not None else self.out
                    trailing = ""
                    if target and target[-1].endswith(" "):
                        target[-1] = target[-1].rstrip(" ")
                        trailing = " "
                    self.write(closing or marker)
                    if trailing:
                        self.write(trailing)
                return

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre is not None:
            self.pre.append(data)
            return
        if self.code is not None:
            self.code.append(data)
            return
        self.text.append(data)

    def _end_pre(self) -> None:
        code = "".join(self.pre or []).replace("\r\n", "\n").replace("\xa0", " ")
        code = code.removesuffix("\n")
        self.pre = None
        if self.plain:
            self.owe("hard")
            self.write(code)
            self.owe("hard")
            return
        longest = max((len(run) for run in re.findall(r"^\s*(`+)", code, re.M)), default=0)
        fence = "`" * max(3, longest + 1)
        indent = self.indent()
        body = "\n".join(indent + line if line else line for line in code.split("\n"))
        self.owe("para")
        self.write(f"{fence}{self.pre_lang}\n{body}\n{indent}{fence}")
        self.owe("para")

    def _end_code(self) -> None:
        content = re.sub(r"\s*\n\s*", " ", "".join(self.code or [])).replace("\xa0", " ")
        self.code = None
        if not content:
            return
        self.open_markers(content)
        if self.plain:
            self.write(content)
            return
        longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
        ticks = "`" * (longest + 1)
        if content.startswith("`") or content.endswith("`") or (content[0] == content[-1] == " " and content.strip()):
            content = f" {content} "
        self.write(f"{ticks}{content}{ticks}")

    def _write_table(self, rows: list[list[str]]) -> None:
        if not rows:
            return
        width = max(len(row) for row in rows)
        lines = []
        for number, row in enumerate(rows):
            cells = [*row, *[""] * (width - len(row))]
            lines.append("| " + " | ".join(cells) + " |")
            if number == 0:
                lines.append("|" + "|".join(["---"] * width) + "|")
        self.owe("para")
        self.write(("\n" + self.indent()).join(lines))
        self.owe("para")

    def result(self) -> str:
        self.flush_text()
        for marker in self.markers:  # never closed: drop the opening marker
            if marker[1] >= 0:
                self.out[marker[1]] = ""
        text = "".join(self.out)
        return "\n".join(line.rstrip() if not line.endswith("\\") else line for line in text.split("\n")).strip()


def _math_to_dollars(text: str) -> str:
    """MathJax delimiters to $ and $$ (content untouched); everything else escaped. Linear: each
    search starts where the last one ended, and stops for good when no closer is left."""
    pieces = []
    position = 0
    closed = {"(": True, "[": True}  # False once an opener found no closer: none later will
    while position < len(text):
        inline = text.find("\\(", position) if closed["("] else -1
        display = text.find("\\[", position) if closed["["] else -1
        starts = [found for found in (inline, display) if found >= 0]
        if not starts:
            break
        start = min(starts)
        is_display = start == display
        end = text.find("\\]" if is_display else "\\)", start + 2)
        if end < 0:
            closed["[" if is_display else "("] = False
            pieces.append(escape_markdown(text[position : start + 2]))
            position = start + 2
            continue
        pieces.append(escape_markdown(text[position:start]))
        inner = text[start + 2 : end].strip()
        pieces.append(f"$${inner}$$" if is_display else f"${inner}$")
        position = end + 2
    pieces.append(escape_markdown(text[position:]))
    return "".join(pieces)


def _escape_number(text: str) -> str:
    """`1. ` at a line's start would start a list: `1\\. `."""
    match = re.match(r"(\d+)([.)])", text)
    return f"{match.group(1)}\\{match.group(2)}{text[match.end() :]}" if match else text


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _lang_of(classes: str) -> str:
    match = _LANG_CLASS.search(classes)
    return match.group(1) if match else ""
