"""Where a wrong typed answer differs from the expected one, as plain text for any terminal.

Three lines: what was typed, what was expected, and ^ under the columns that differ. Columns
are terminal cells: a CJK (wide) character takes two, so Chinese answers stay aligned. Long
answers stay readable: past WIDTH cells, long equal stretches are elided to "…" and the lines
wrap at WIDTH.
"""

from __future__ import annotations

import difflib
import unicodedata
from itertools import zip_longest

WIDTH = 64  # cells of answer text per line, after the 10-cell label
MAX_CHARS = 400  # a pasted essay is cut before it is diffed (SequenceMatcher is quadratic)
CONTEXT = 8  # equal characters kept on each side of an elided stretch
ELLIPSIS = "…"


def cell_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def answer_diff(given: str, expected: str) -> str:
    given, expected = _printable(given), _printable(expected)
    opcodes = difflib.SequenceMatcher(a=given, b=expected, autojunk=False).get_opcodes()
    long = max(_width(given), _width(expected)) > WIDTH
    columns: list[tuple[str, str, str]] = []  # (typed, expected, marker), each the same width
    for op, a0, a1, b0, b1 in opcodes:
        typed, wanted = given[a0:a1], expected[b0:b1]
        if op == "equal":
            columns.extend(_aligned(char, char, " ") for char in (_elided(typed) if long else typed))
        elif long:  # paired character by character, so a long change still wraps
            columns.extend(_aligned(x, y, "^") for x, y in zip_longest(typed, wanted, fillvalue=""))
        else:
            columns.append(_aligned(typed, wanted, "^"))
    return "\n".join(_render(line) for line in _wrap(columns))


def _width(text: str) -> int:
    return sum(cell_width(char) for char in text)


def _printable(text: str) -> str:
    text = str(text)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + ELLIPSIS
    return "".join(char if char.isprintable() else "?" for char in text)


def _elided(text: str) -> str:
    """A long equal stretch, shortened to its ends: the differences are what matter."""
    return text if len(text) <= 2 * CONTEXT + 1 else text[:CONTEXT] + ELLIPSIS + text[-CONTEXT:]


def _aligned(top: str, bottom: str, mark: str) -> tuple[str, str, str]:
    top_width, bottom_width = _width(top), _width(bottom)
    width = max(top_width, bottom_width)
    return top + " " * (width - top_width), bottom + " " * (width - bottom_width), mark * width


def _wrap(columns: list[tuple[str, str, str]]) -> list[list[tuple[str, str, str]]]:
    lines: list[list[tuple[str, str, str]]] = []
    line: list[tuple[str, str, str]] = []
    used = 0
    for column in columns:
        width = len(column[2])
        if line and used + width > WIDTH:
            lines.append(line)
            line, used = [], 0
        line.append(column)
        used += width
    return [*lines, line]


def _render(line: list[tuple[str, str, str]]) -> str:
    top, bottom, marks = ("".join(column[i] for column in line) for i in range(3))
    return f"yours:    {top.rstrip()}\nexpected: {bottom.rstrip()}\n          {marks.rstrip()}"
