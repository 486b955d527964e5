"""Tensor shapes compared as tuples, whatever the learner separates them with.

"4x192", "4 × 192", "4*192", "(4, 192)", "[4, 192]", "torch.Size([4, 192])", "4,192" and
"4 192" are all (4, 192) when the key is a shape; (192, 4) is a different shape.
"""

from __future__ import annotations

import re

from studyctl.srs.answer_text import canonical
from studyctl.srs.numbers import parse_quantity

MAX_CHARS = 200
MAX_DIGITS = 12  # a dimension, not a number to build

_SIZE_REPR = re.compile(r"(?i)^(?:torch\.)?size\((.*)\)$")
_BRACKETED = re.compile(r"^\((.*)\)$|^\[(.*)\]$")
_SEPARATOR = re.compile(r"\s*[x×*,]\s*|\s+", re.IGNORECASE)
_DIMENSION = re.compile(rf"\d{{1,{MAX_DIGITS}}}")
_TIMES_BETWEEN_DIGITS = re.compile(r"\d\s*[x×*]\s*\d", re.IGNORECASE)


def parse_shape(text: str) -> tuple[int, ...] | None:
    """The shape `text` writes, read leniently (a lone "3" is (3,)); None if it is not one."""
    text = str(text)
    if len(text) > 4 * MAX_CHARS:
        return None
    cleaned = canonical(text).rstrip(".")
    if not cleaned or len(cleaned) > MAX_CHARS:
        return None
    if size := _SIZE_REPR.match(cleaned):
        cleaned = size.group(1).strip()
    if bracketed := _BRACKETED.match(cleaned):
        cleaned = (bracketed.group(1) if bracketed.group(1) is not None else bracketed.group(2)).strip()
    if cleaned.endswith(","):  # (3,)
        cleaned = cleaned[:-1].rstrip()
    parts = _SEPARATOR.split(cleaned)
    if not all(_DIMENSION.fullmatch(part) for part in parts):
        return None
    return tuple(int(part) for part in parts)


def shape_key(text: str) -> tuple[int, ...] | None:
    """The shape a card's key (or accepted answer) means, if it is one: text that reads as a
    shape and either not as a number or with a times sign between dimensions. "(16, 3, 5, 5)",
    "(3,)", "9x9", "8×2" and "4*192" are shapes; "9,408" and "1 000" are numbers, and "(3)" is
    the number 3."""
    shape = parse_shape(text)
    if shape is None:
        return None
    if parse_quantity(text) is not None and not _TIMES_BETWEEN_DIGITS.search(text):
        return None
    return shape
