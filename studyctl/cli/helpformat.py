"""Help pages that wrap Chinese right: click wraps by characters at spaces, but a Chinese
sentence has no spaces and each character takes two columns, so its lines ran past the terminal.

Text with no wide characters goes through click's own formatter untouched (English help is
byte for byte what click prints); text with them is wrapped by columns (i18n.wrap_columns)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from studyctl.i18n import has_wide, width, wrap_columns


def wrap_paragraphs(text: str, columns: int, indent: str = "") -> str:
    """click's paragraph rules (blank lines separate, a "\\b" line keeps its lines as written)."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        raw = paragraph.splitlines()
        if raw and raw[0].strip() == "\b":
            out.append("\n".join(indent + line for line in raw[1:]))
            continue
        joined = " ".join(line.strip() for line in raw)
        out.append("\n".join(indent + line for line in wrap_columns(joined, max(columns - len(indent), 10)) or [""]))
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
