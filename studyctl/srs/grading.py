"""Auto-grading of choice and typed answers, and how a grade becomes an FSRS rating.

A typed answer is right when it matches the key or one of its accepted alternatives, each
compared in the kind that alternative is written in:

- a shape ("(4, 192)", "9x9"): the answer read as a shape, equal as a tuple (`shapes`);
- a number ("2.30", "1/e", "512 KiB"): the answer read as a number, within the tolerance
  (`numbers`); signs, percent, units and expressions are read before any text normalisation;
- text, or an answer that does not read as the key's kind: normalised text, equal (`answer_text`).

A choice is picked by its number, or by typed text that matches exactly one option; anything
else is "not an option" (`Grade.not_an_option`), which the caller asks again instead of grading.

The mapping to a rating:

- wrong -> Again;
- right -> Good, or Hard when it took longer than SLOW_MS for its type (a slow recall is a
  weak one, which is what Hard tells FSRS);
- never Easy automatically: the learner can override any auto grade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studyctl.srs.answer_diff import answer_diff
from studyctl.srs.answer_text import canonical, normalize
from studyctl.srs.numbers import parse_number, parse_quantity, within
from studyctl.srs.shapes import parse_shape, shape_key

__all__ = ["Grade", "answer_diff", "grade_choice", "grade_typed", "normalize", "parse_choice", "parse_number"]

SLOW_MS = {"choice": 15_000, "typed": 30_000}
# Longer than any card's answer by far: wrong (or not an option) without being read, so a
# pasted file can't stall the review.
MAX_ANSWER_CHARS = 1_000


@dataclass(frozen=True)
class Grade:
    correct: bool
    expected: str
    given: str
    diff: str = ""  # for a wrong typed answer: where it differs from the expected one
    not_an_option: bool = False  # a choice answer that named no single option: ask again


def grade_typed(given: str, answer: str, accept: Iterable[str] = (), tolerance: float | None = None) -> Grade:
    expected, given = str(answer), str(given)
    candidates = [expected, *map(str, accept)]
    correct = len(given) <= MAX_ANSWER_CHARS and any(matches(given, key, tolerance) for key in candidates)
    return Grade(correct, expected, given, "" if correct else answer_diff(given, expected))


def matches(given: str, key: str, tolerance: float | None = None) -> bool:
    """Does `given` say what `key` says? Compared as the kind of thing the key is."""
    if (shape := shape_key(key)) is not None and (given_shape := parse_shape(given)) is not None:
        return given_shape == shape
    if (number := parse_quantity(key)) is not None and (given_number := parse_quantity(given)) is not None:
        return within(given_number, number, tolerance)
    return normalize(given) == normalize(key)


def parse_choice(given: str, choices: list[str]) -> int | None:
    """The 0-based index of the option `given` names: its 1-based number as shown, or text that
    matches exactly one option after normalisation. None when it names none, or several."""
    if len(str(given)) > MAX_ANSWER_CHARS:
        return None
    number = canonical(given)
    if (
        number.isascii() and number.isdigit()
    ):  # the number shown beside it: exact, even when options differ only in punctuation
        index = int(number) - 1 if len(number) < 6 else -1
        return index if 0 <= index < len(choices) else None
    typed = normalize(given)
    matching = [index for index, choice in enumerate(choices) if normalize(choice) == typed]
    return matching[0] if len(matching) == 1 else None


def grade_choice(given: str, choices: list[str], answer: str) -> Grade:
    """`given` is a 1-based option number or the option's text (see `parse_choice`)."""
    index = parse_choice(given, choices)
    if index is None:
        return Grade(False, answer, str(given).strip(), not_an_option=True)
    chosen = choices[index]
    correct = chosen == answer if answer in choices else normalize(chosen) == normalize(answer)
    return Grade(correct, answer, chosen)


def rating_for(grade: Grade, card_type: str, duration_ms: int | None) -> int:
    if not grade.correct:
        return 1
    if duration_ms is not None and duration_ms > SLOW_MS.get(card_type, 30_000):
        return 2
    return 3
