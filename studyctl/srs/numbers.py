"""Numbers as a learner writes them, read as numbers before any text normalisation.

Signs are kept ("-1" is not "1"). Besides plain and scientific notation this reads thousands
separators (1,000,000, 1 000 000, 1_000), multipliers and units (6M, 7B, 512 KiB, 94%), simple
constant expressions (ln 10, 2/3, √2, 1/(1+e^-2); see `expression`), and the way PyTorch and
NumPy print a scalar: tensor(8.), tensor([8.]), np.float64(8.0).

Percent is a number like any other: "94%" and "0.94" are the same number, whichever of the two
the card's key uses. A tolerance is in the unit the key is written in: a key "94%" with
tolerance 1 allows 93% to 95% (not 94% ± 100%), a key "4 TB" with tolerance 0.01 allows
±0.01 TB. Byte units make a quantity of bytes, which only matches another quantity of bytes:
"512 KiB" matches "524288 bytes" and "0.5 MiB" but not a bare "524288".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from studyctl.srs.answer_text import canonical
from studyctl.srs.expression import MAX_CHARS, ExpressionError, Token, evaluate_tokens, is_byte_unit, tokenize

# Floats carry ~1e-16 relative error: a margin far above it and far below any tolerance a
# card states, so 2.31 is within 2.30 ± 0.01 and 2.3100001 is not.
RELATIVE_EPSILON = 1e-9

_SCALAR_REPR = re.compile(
    r"(?i)^(?:(?:torch|np|numpy)\.)?(?:tensor|array|float(?:16|32|64)?|int(?:8|16|32|64)?|double)\((.*)\)$"
)
_KEYWORD_ARGUMENTS = re.compile(r",\s*[A-Za-z_]\w*\s*=.*$")  # tensor(8., grad_fn=<AddBackward0>)
_APPROXIMATELY = re.compile(r"^(?:≈|~|=|≃)\s*")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: float = 1.0  # the multiplier the text is written in: 0.01 for "94%", 1e12 for "4 TB"
    is_bytes: bool = False


def parse_quantity(text: str) -> Quantity | None:
    """The number `text` denotes, or None when it is not one (then it is compared as text)."""
    text = str(text)
    if len(text) > 4 * MAX_CHARS:  # before any work: a pasted essay is not a number
        return None
    cleaned = canonical(text)
    if not cleaned or len(cleaned) > MAX_CHARS:
        return None
    cleaned = _unwrap_scalar_repr(_APPROXIMATELY.sub("", cleaned))
    for candidate in (cleaned, cleaned[:-1] if cleaned.endswith(".") else None):  # "2.30." ends a sentence
        if candidate:
            try:
                return _quantity(tokenize(candidate))
            except ExpressionError:
                continue
    return None


def parse_number(text: str) -> float | None:
    quantity = parse_quantity(text)
    return None if quantity is None else quantity.value


def _unwrap_scalar_repr(text: str) -> str:
    match = _SCALAR_REPR.match(text)
    if not match:
        return text
    inner = _KEYWORD_ARGUMENTS.sub("", match.group(1)).strip()
    for _ in range(3):  # tensor([[8.]])
        if inner.startswith("[") and inner.endswith("]"):
            inner = inner[1:-1].strip()
    return inner


def _quantity(tokens: list[Token]) -> Quantity:
    value = evaluate_tokens(tokens)
    kinds = ["sign" if t.kind == "op" and t.text in ("+", "-") else t.kind for t in tokens]
    single_literal = kinds in (["number", "unit"], ["sign", "number", "unit"])
    return Quantity(
        value=value,
        unit=tokens[-1].value if single_literal else 1.0,
        is_bytes=any(is_byte_unit(t) for t in tokens),
    )


def within(given: Quantity, key: Quantity, tolerance: float | None) -> bool:
    """Is `given` the key's number, up to the card's tolerance (in the key's written unit)?"""
    if given.is_bytes != key.is_bytes:
        return False
    allowed = abs(tolerance or 0.0) * key.unit
    noise = RELATIVE_EPSILON * max(abs(key.value), abs(given.value), allowed)
    return math.fabs(given.value - key.value) <= allowed + noise
