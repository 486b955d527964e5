"""Auto-grading of choice and typed answers, and how a grade becomes an FSRS rating.

Typed answers are compared after normalization (Unicode NFKC, case folding, punctuation and
whitespace collapsed), against the answer and its accepted alternatives; a numeric answer
also matches any number within its tolerance. The mapping to a rating:

- wrong -> Again;
- right -> Good, or Hard when it took longer than SLOW_MS for its type (a slow recall is a
  weak one, which is what Hard tells FSRS);
- never Easy automatically: the learner can override any auto grade.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

SLOW_MS = {"choice": 15_000, "typed": 30_000}
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Grade:
    correct: bool
    expected: str
    given: str
    diff: str = ""  # for a wrong typed answer: where it differs from the expected one


def normalize(text: str) -> str:
    """Compare answers as a person would: case, spacing and punctuation don't matter."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    return _PUNCTUATION.sub(" ", text).strip()


def parse_number(text: str) -> float | None:
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace("_", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        return float(cleaned)
    except ValueError:
        return None


def grade_typed(given: str, answer: str, accept: list[str] = (), tolerance: float | None = None) -> Grade:
    expected = str(answer)
    candidates = [expected, *accept]
    correct = normalize(given) in {normalize(c) for c in candidates}
    if not correct:
        target, value = parse_number(expected), parse_number(given)
        if target is not None and value is not None:
            allowed = tolerance if tolerance is not None else 1e-9 * max(1.0, abs(target))
            correct = abs(value - target) <= allowed
    diff = "" if correct else answer_diff(given, expected)
    return Grade(correct, expected, given, diff)


def grade_choice(given: str, choices: list[str], answer: str) -> Grade:
    """`given` is a 1-based option number or the option's text."""
    text = given.strip()
    if text.isdigit() and 1 <= int(text) <= len(choices):
        chosen = choices[int(text) - 1]  # by number: exact, options may differ only in punctuation
        return Grade(chosen == answer, answer, chosen)
    return Grade(normalize(text) == normalize(answer), answer, text)


def answer_diff(given: str, expected: str) -> str:
    """A two-line, character-level diff: what was typed, and what was expected, with markers
    under the characters that differ (plain text: safe in any terminal, and in the TUI)."""
    matcher = difflib.SequenceMatcher(a=given, b=expected, autojunk=False)
    top, bottom, marks_top, marks_bottom = [], [], [], []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        a, b = given[a0:a1], expected[b0:b1]
        width = max(len(a), len(b))
        top.append(a.ljust(width))
        bottom.append(b.ljust(width))
        mark = " " if op == "equal" else "^"
        marks_top.append(mark * width)
        marks_bottom.append(mark * width)
    return f"yours:    {''.join(top)}\nexpected: {''.join(bottom)}\n          {''.join(marks_bottom)}"


def rating_for(grade: Grade, card_type: str, duration_ms: int | None) -> int:
    if not grade.correct:
        return 1
    if duration_ms is not None and duration_ms > SLOW_MS.get(card_type, 30_000):
        return 2
    return 3
