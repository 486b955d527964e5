"""Recompute every numeric, shape and parameter-count key of the decks and compare it with the YAML.

Each `keys_*.py` module beside this file computes the keys of some decks with NumPy or PyTorch
(running the real layer, optimizer or formula) and defines:

- DECKS: the decks whose numeric typed cards must all have a computed key;
- KEYS (optional): a dict from "deck/card-id" to a function that computes that one card's key;
- GROUPS (optional): functions that each compute several cards' keys at once, because one worked
  example (a book's table, a parse, an AdaBoost run) feeds several cards, and return a dict from
  "deck/card-id" to the key.

This script loads the deck files, runs every function and checks that:

- a number agrees with the typed answer within the card's tolerance and is correctly rounded to the
  digits the answer shows;
- a shape or a vector (a tuple) matches the answer element by element, by the same rule;
- a string (a token, a tag sequence, or the text of a choice) equals the answer exactly;
- every key belongs to a typed or choice card, and every numeric typed card of DECKS has a key.

A function that raises (a missing module included) is a problem, not a skip. Run it from the
repository root: `python decks/tools/check_numbers.py [-v] [DECK ...]` (-v prints every key; deck ids
limit the check to those decks). It exits 1 when anything is wrong.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import yaml

TOOLS = Path(__file__).resolve().parent
DECKS_DIR = TOOLS.parent
NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
SHAPE = re.compile(r"^\s*(?:torch\.Size\()?[\[(]?\s*(-?\d+(?:\s*[,x×]\s*-?\d+)*)\s*,?\s*[\])]?\)?\s*$")
VECTOR = re.compile(rf"^\s*[\[(]\s*({NUMBER}(?:\s*,\s*{NUMBER})+)\s*,?\s*[\])]\s*$")


class Report:
    """What one run found: the keys it checked and every problem, as "deck/card-id: what"."""

    def __init__(self, computed: dict[str, object]) -> None:
        self.computed = computed
        self.checked: list[str] = []
        self.problems: list[str] = []


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


def vector_parts(text: str) -> list[str] | None:
    """The elements of a tuple answer as written: "(2, 3)", "2x3", "(0.875, 1.375)"."""
    shape = as_shape(text)
    if shape is not None:
        return [str(part) for part in shape]
    match = VECTOR.match(str(text))
    return re.split(r"\s*,\s*", match.group(1)) if match else None


def is_numeric_key(card: dict) -> bool:
    """Typed cards whose answer is a number, a shape or a vector: these must be computed in code."""
    return card.get("type") == "typed" and (
        as_number(card["answer"]) is not None or vector_parts(card["answer"]) is not None
    )


def decimals(text: str) -> int:
    text = str(text).strip()
    if "e" in text.lower():
        mantissa, exponent = text.lower().split("e")
        return max(0, len(mantissa.partition(".")[2]) - int(exponent))
    return len(text.partition(".")[2])


def compare_number(answer: str, computed, tolerance: float) -> str | None:
    value = as_number(answer)
    if value is None:
        return f"answer {answer!r} is not a number (computed {computed})"
    computed = float(computed)
    slack = 1e-9 * max(1.0, abs(value))
    if abs(computed - value) > tolerance + slack:
        return f"answer {answer} ± {tolerance}, computed {computed:.10g}"
    if abs(computed - value) > 0.5 * 10 ** -decimals(answer) + slack:
        return f"answer {answer} is not {computed:.10g} rounded to {decimals(answer)} decimals"
    return None


def compare(card: dict, computed) -> str | None:
    """None when the card's key agrees with the computed value, else what is wrong."""
    answer = str(card["answer"])
    if isinstance(computed, str):
        return None if computed == answer else f"answer {answer!r}, computed {computed!r}"
    tolerance = float(card.get("tolerance") or 0.0)
    if isinstance(computed, tuple):
        parts = vector_parts(answer)
        if parts is None or len(parts) != len(computed):
            return f"answer {answer!r} is not the shape {computed}"
        wrong = [compare_number(part, value, tolerance) for part, value in zip(parts, computed, strict=True)]
        return f"answer {answer!r}, computed {computed}" if any(wrong) else None
    return compare_number(answer, computed, tolerance)


def compute(modules: list) -> tuple[dict[str, object], list[str]]:
    """Every key the modules compute, and what went wrong computing (a function that raised)."""
    computed, problems = {}, []
    for module in modules:
        for name, function in getattr(module, "KEYS", {}).items():
            try:
                computed[name] = function()
            except Exception as error:  # report every failing key, then carry on
                problems.append(f"{name}: computing it raised {type(error).__name__}: {error}")
        for group in getattr(module, "GROUPS", []):
            try:
                computed.update(group())
            except Exception as error:
                problems.append(f"{module.__name__}.{group.__name__}: raised {type(error).__name__}: {error}")
    return computed, problems


def check(cards: dict[str, dict], computed: dict[str, object], required_decks: set[str]) -> Report:
    """Compare computed keys with the cards; `required_decks` are the decks whose numeric typed cards
    must all have a key."""
    report = Report(computed=computed)
    for name, value in sorted(computed.items(), key=lambda item: item[0]):
        card = cards.get(name)
        if card is None:
            report.problems.append(f"{name}: no such card")
            continue
        if card.get("type") not in ("typed", "choice"):
            report.problems.append(f"{name}: is a {card.get('type')} card; keys are for typed and choice cards")
            continue
        report.checked.append(name)
        problem = compare(card, value)
        if problem:
            report.problems.append(f"{name}: {problem}")
    for name, card in sorted(cards.items()):
        if card["deck"] in required_decks and is_numeric_key(card) and name not in computed:
            report.problems.append(f"{name}: numeric answer {card['answer']!r} has no function in a keys_*.py module")
    return report


def run(decks: set[str] | None = None) -> Report:
    """Check every deck, or only `decks`: compute the keys, compare, and collect the problems."""
    modules = load_key_modules()
    if decks is not None:
        modules = [m for m in modules if set(m.DECKS) & decks]
    cards = load_cards()
    computed, errors = compute(modules)
    required = {deck for module in modules for deck in module.DECKS}
    if decks is not None:
        required &= decks
        cards = {name: card for name, card in cards.items() if card["deck"] in decks}
        computed = {name: value for name, value in computed.items() if name.split("/")[0] in decks}
    report = check(cards, computed, required)
    report.problems[:0] = errors
    return report


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    decks = {arg for arg in argv if not arg.startswith("-")} or None
    report = run(decks)
    if verbose:
        wrong = {line.split(": ", 1)[0] for line in report.problems}
        for name in report.checked:
            if name not in wrong:
                print(f"ok  {name}: {report.computed[name]!r}")
    for line in report.problems:
        print(f"WRONG  {line}")
    print(f"{len(report.checked)} keys recomputed, {len(report.problems)} problems")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
