"""Anki field HTML to the readable text and Markdown a studyctl deck holds.

<br> and block elements become line breaks, tags are dropped, entities unescaped; code blocks
(<pre>) come back as fenced blocks (with the language when the HTML names it), <code> as
`inline code`, <b>/<strong> as **bold**, <i>/<em> as *italic*, MathJax's \\(...\\) and
\\[...\\] as $...$ and $$...$$, lists as "- " / "1. " lines, links as [text](url) and images
as ![](file). For the HTML `studyctl.anki.markdown` writes, this is the exact inverse.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "dl",
    "dt",
    "dd",
}
_SKIP = {"script", "style", "head", "title", "template"}
_RAW_NEWLINE = re.compile(r"[ \t\r\f]*\n[ \t\r\f]*")
_LEADING_NEWLINE = re.compile(r"^[ \t\r\f]*\n[ \t\r\f]*")
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_DISPLAY_MATH = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)")


def html_to_text(markup: str) -> str:
    """One field's HTML as text/Markdown (stripped of surrounding blank space)."""
    if "<" not in markup and "&" not in markup and "\\" not in markup:
        return _clean_text(_RAW_NEWLINE.sub(" ", markup)).strip()
    converter = _Converter()
    converter.feed(markup)
    converter.close()
    return converter.result()


def html_to_lines(markup: str) -> list[str]:
    """A field that holds one item per line (refs, accepted answers): the non-empty lines."""
    return [line.strip() for line in html_to_text(markup).split("\n") if line.strip()]


_LIST_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li\s*>", re.DOTALL | re.IGNORECASE)


def list_items(markup: str) -> list[str]:
    """The text of each <li> in a field (the options of a choice note)."""
    return [html_to_text(item) for item in _LIST_ITEM.findall(markup)]


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str]] = []  # ("text" | "raw", content); raw is never rewritten
        self.skip = 0
        self.pre: list[str] | None = None
        self.pre_lang = ""
        self.code: list[str] | None = None
        self.lists: list[list] = []  # [tag, next number]
        self.links: list[str | None] = []

    # -- output helpers
    def emit(self, text: str, kind: str = "text") -> None:
        if text:
            self.pieces.append((kind, text))

    def last_char(self) -> str:
        for _, text in reversed(self.pieces):
            if text:
                return text[-1]
        return ""

    def newline(self) -> None:
        if self.last_char() not in ("", "\n"):
            self.emit("\n")

    # -- parser callbacks
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
        if tag == "br":
            self.emit("\n")
        elif tag == "pre":
            self.newline()
            self.pre = []
            self.pre_lang = attributes.get("data-lang", "") or _lang_of(attributes.get("class", ""))
        elif tag == "code":
            self.code = []
        elif tag in _BLOCK:
            self.newline()
        elif tag in ("ul", "ol"):
            self.newline()
            self.lists.append([tag, 1])
        elif tag == "li":
            self.newline()
            if self.lists:
                kind = self.lists[-1]
                marker = f"{kind[1]}. " if kind[0] == "ol" else "- "
                kind[1] += 1
                self.emit("  " * (len(self.lists) - 1) + marker)
            else:
                self.emit("- ")
        elif tag in ("b", "strong"):
            self.emit("**")
        elif tag in ("i", "em"):
            self.emit("*")
        elif tag == "img":
            source = attributes.get("src", "")
            if source:
                self.emit(f"![{attributes.get('alt', '')}]({source})", "raw")
        elif tag == "hr":
            self.newline()
            self.emit("---\n")
        elif tag == "a":
            href = attributes.get("href", "")
            self.links.append(href or None)
            if href:
                self.emit("[")
        elif tag in ("td", "th") and self.last_char() not in ("", "\n", " "):
            self.emit(" ")

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
        if tag in _BLOCK or tag == "li":
            self.newline()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.newline()
        elif tag in ("b", "strong"):
            self.emit("**")
        elif tag in ("i", "em"):
            self.emit("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.emit(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre is not None:
            self.pre.append(data)
            return
        if self.code is not None:
            self.code.append(_RAW_NEWLINE.sub(" ", data))
            return
        if self.last_char() in ("", "\n"):  # layout whitespace after a line break
            data = _LEADING_NEWLINE.sub("", data)
        data = _RAW_NEWLINE.sub(" ", data)  # elsewhere a raw newline in HTML is a space
        self.emit(data.replace("\xa0", " "))

    def _end_pre(self) -> None:
        code = "".join(self.pre or []).replace("\r\n", "\n")
        if code.endswith("\n"):
            code = code[:-1]
        self.pre = None
        longest = max((len(run) for run in re.findall(r"^\s*(`+)", code, re.M)), default=0)
        fence = "`" * max(3, longest + 1)
        self.newline()
        self.emit(f"{fence}{self.pre_lang}\n{code}\n{fence}", "raw")
        self.emit("\n")

    def _end_code(self) -> None:
        content = "".join(self.code or []).replace("\xa0", " ")
        self.code = None
        if not content:
            return
        longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
        ticks = "`" * (longest + 1)
        if content.startswith("`") or content.endswith("`") or (content[0] == content[-1] == " " and content.strip()):
            content = f" {content} "
        self.emit(f"{ticks}{content}{ticks}", "raw")

    def result(self) -> str:
        merged: list[tuple[str, str]] = []
        for kind, text in self.pieces:
            if merged and merged[-1][0] == kind == "text":
                merged[-1] = ("text", merged[-1][1] + text)
            else:
                merged.append((kind, text))
        return "".join(_clean_text(text) if kind == "text" else text for kind, text in merged).strip()


def _clean_text(text: str) -> str:
    """Math delimiters back to $, trailing spaces off every line."""
    text = _DISPLAY_MATH.sub(lambda m: f"$${m.group(1).strip()}$$", text)
    text = _INLINE_MATH.sub(lambda m: f"${m.group(1).strip()}$", text)
    text = re.sub(r"[ \t]+\n", "\n", text).replace("\xa0", " ")
    return re.sub(r"\n{3,}", "\n\n", text)


def _lang_of(classes: str) -> str:
    match = _LANG_CLASS.search(classes)
    return match.group(1) if match else ""
