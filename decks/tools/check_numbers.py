"""Recompute every numeric, shape and parameter-count key of the decks and compare it with the YAML.

Each `keys_*.py` module beside this file defines KEYS, a dict from "deck/card-id" to a function that
computes the card's key with NumPy or PyTorch (running the real layer, optimizer or formula), and
DECKS, the decks whose numeric typed cards must all have a computed key. This script loads the deck
files, runs every function and checks that:

- a number agrees with the typed answer within the card's tolerance and is correctly rounded to the
  digits the answer shows;
- a shape (a tuple) matches the answer's shape;
- a string (a token, a tag sequence, or the text of a choice) equals the answer exactly.

Run it from the repository root: `python decks/tools/check_numbers.py` (add `-v` to print every key).
It exits 1 when a key is wrong or a numeric typed card in DECKS has no function.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import yaml

TOOLS = Path(__file__).resolve().parent
DECKS_DIR = TOOLS.parent
SHAPE = re.compile(r"^\s*(?:torch\.Size\()?[\[(]?\s*(-?\d+(?:\s*[,x×]\s*-?\d+)*)\s*,?\s*[\])]?\)?\s*$")


def load_cards() -> dict[str, dict]:
    cards = {}
    for path in sorted(DECKS_DIR.glob("*.yaml")):
        deck = yaml.safe_load(path.read_text(encoding="utf-8"))
        for card in deck.get("cards", []):
            cards[f"{deck['id']}/{card['id']}"] = {**card, "deck": deck["id"]}
    return cards


def load_key_modules() -> list:
    modules = []
    for path in sorted(TOOLS.glob("keys_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def as_number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return None


def as_shape(text: str) -> tuple[int, ...] | None:
    match = SHAPE.match(str(text))
    if not match or not re.search(r"[,x×(\[]", str(text)):
        return None
    return tuple(int(part) for part in re.split(r"\s*[,x×]\s*", match.group(1)) if part)


def is_numeric_key(card: dict) -> bool:
    """Typed cards whose answer is a number or a shape: these must be computed in code."""
    return card.get("type") == "typed" and (
        as_number(card["answer"]) is not None or as_shape(card["answer"]) is not None
    )


def decimals(text: str) -> int:
    text = str(text).strip()
    if "e" in text.lower():
        mantissa, exponent = text.lower().split("e")
        return max(0, len(mantissa.partition(".")[2]) - int(exponent))
    return len(text.partition(".")[2])


def compare(card: dict, computed) -> str | None:
    """None when the card's key agrees with the computed value, else what is wrong."""
    answer = str(card["answer"])
    if isinstance(computed, str):
        return None if computed == answer else f"answer {answer!r}, computed {computed!r}"
    if isinstance(computed, tuple):
        shape = as_shape(answer)
        if shape is None or len(shape) != len(computed):
            return f"answer {answer!r} is not the shape {computed}"
        if any(abs(a - b) > 1e-9 for a, b in zip(shape, computed, strict=True)):
            return f"answer {answer!r}, computed {computed}"
        return None
    value = as_number(answer)
    if value is None:
        return f"answer {answer!r} is not a number (computed {computed})"
    computed = float(computed)
    tolerance = float(card.get("tolerance") or 0.0)
    slack = 1e-9 * max(1.0, abs(value))
    if abs(computed - value) > tolerance + slack:
        return f"answer {answer} ± {tolerance}, computed {computed:.10g}"
    if abs(computed - value) > 0.5 * 10 ** -decimals(answer) + slack:
        return f"answer {answer} is not {computed:.10g} rounded to {decimals(answer)} decimals"
    return None


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    cards = load_cards()
    problems, skipped, checked = [], [], 0
    required: set[str] = set()
    keys = {}
    for module in load_key_modules():
        keys.update(module.KEYS)
        required |= {name for name, card in cards.items() if card["deck"] in module.DECKS and is_numeric_key(card)}
    for name, function in sorted(keys.items()):
        card = cards.get(name)
        if card is None:
            problems.append(f"{name}: no such card")
            continue
        try:
            computed = function()
        except ModuleNotFoundError as missing:  # pandas or matplotlib: optional here, skipped without them
            skipped.append(f"{name}: {missing}")
            continue
        checked += 1
        problem = compare(card, computed)
        if problem:
            problems.append(f"{name}: {problem}")
        elif verbose:
            print(f"ok  {name}: {card['answer']}  (computed {computed!r})")
    for name in sorted(required - keys.keys()):
        problems.append(f"{name}: numeric answer {cards[name]['answer']!r} has no function in a keys_*.py module")
    for line in skipped:
        print(f"skipped  {line}")
    for line in problems:
        print(f"WRONG  {line}")
    print(f"{checked} keys recomputed, {len(skipped)} skipped, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
