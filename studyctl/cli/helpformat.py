"""Help pages that wrap Chinese right: click wraps by characters at spaces, but a Chinese
sentence has no spaces and each character takes two columns, so its lines ran past the terminal.

Text with no wide characters goes through click's own formatter untouched (English help is
byte for byte what click prints); text with them is wrapped here, by columns (wcwidth), breaking
at spaces or between two Chinese characters, never before closing punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from studyctl.i18n import width

_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
# A wide character with the closing punctuation that must stay on its line; a run of anything
# else that isn't a space; or spaces.
_TOKENS = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
    r"[，。、；：？！）》」』】”’\uff09\uff0c\uff1a\uff1b]*"
    r"|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+"
    r"|\s+"
)


def has_wide(text: str) -> bool:
    return bool(_WIDE.search(text))


def wrap_line(text: str, columns: int) -> list[str]:
    """One paragraph as lines of at most `columns` terminal columns (a longer word stays whole)."""
    lines: list[str] = []
    line, space = "", ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            space = " " if line else ""
            continue
        wide_join = not space and line and has_wide(token[:1] + line[-1:])
        candidate = line + ("" if wide_join or not line else space) + token
        if line and width(candidate) > columns:
            lines.append(line)
            line = token
        else:
            line = candidate
        space = ""
    if line:
        lines.append(line)
    return lines or [""]


def wrap_paragraphs(text: str, columns: int, indent: str = "") -> str:
    """click's paragraph rules (blank lines separate, a "\\b" line keeps its lines as written)."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        raw = paragraph.splitlines()
        if raw and raw[0].strip() == "\b":
            out.append("\n".join(indent + line for line in raw[1:]))
            continue
        joined = " ".join(line.strip() for line in raw)
        out.append("\n".join(indent + line for line in wrap_line(joined, max(columns - len(indent), 10))))
    return "\n\n".join(out)


class WideHelpFormatter(click.HelpFormatter):
    """click's HelpFormatter, measuring and wrapping Chinese by its width on screen."""

    def write_text(self, text: str) -> None:
        if not has_wide(text):
            return super().write_text(text)
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(has_wide(first + second) for first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_paragraphs(second, max(self.width - first_col - 2, 10)).splitlines()
            self.write((lines[0] if lines else "") + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


def first_sentence(help_text: str) -> str | None:
    """The short help of a Chinese command help: its first sentence (click cuts at an ASCII
    period, which Chinese text doesn't have, so it would list the whole paragraph)."""
    paragraph = help_text.strip().split("\n\n", 1)[0].replace("\n", "")
    if not has_wide(paragraph) or "。" not in paragraph:
        return None
    return paragraph.split("。", 1)[0]
