"""Compare a deck's typed and choice answers with the keys a numbers script computed.

The numbers scripts (numbers_*.py beside this file) compute every number a card asks for and
call `check_deck`, so a wrong key, a key edited by hand or a card that nobody computed shows up
as a named mismatch instead of a silent error in someone's review queue.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

_NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


def load_cards(deck_path: Path) -> dict[str, dict]:
    """The deck's cards by id, as plain dicts (the same YAML studyctl reads)."""
    data = yaml.safe_load(Path(deck_path).read_text(encoding="utf-8"))
    return {card["id"]: card for card in data["cards"]}


def _as_text(key) -> str:
    if isinstance(key, tuple):
        return "(" + ", ".join(_as_text(part) for part in key) + ")"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def _matches(card: dict, key) -> bool:
    answer = str(card.get("answer", ""))
    if isinstance(key, bool) or not isinstance(key, (int, float)):
        return answer == _as_text(key)
    if not _NUMBER.fullmatch(answer):
        return False
    tolerance = float(card.get("tolerance") or 0.0)
    return abs(float(answer) - key) <= tolerance + 1e-9 * max(1.0, abs(key))


def check_deck(deck_path: Path, keys: dict[str, object]) -> list[str]:
    """Every problem found: a key whose card is missing or disagrees, and a numeric typed or
    choice card that no key covers (every number must come from code)."""
    cards = load_cards(deck_path)
    problems = []
    for card_id, key in keys.items():
        card = cards.get(card_id)
        if card is None:
            problems.append(f"{card_id}: no such card in {Path(deck_path).name}")
        elif card.get("type") not in ("typed", "choice"):
            problems.append(f"{card_id}: is a {card.get('type')} card; keys are for typed and choice cards")
        elif not _matches(card, key):
            problems.append(f"{card_id}: deck says {card.get('answer')!r}, computed {_as_text(key)!r}")
    for card_id, card in cards.items():
        numeric = card.get("type") == "typed" and re.search(r"\d", str(card.get("answer", "")))
        if numeric and card_id not in keys:
            problems.append(f"{card_id}: typed answer {card.get('answer')!r} has no computed key")
    return problems


def report(deck_path: Path, keys: dict[str, object]) -> int:
    """Print every key, then the problems; the exit status says whether the deck agrees."""
    for card_id, key in keys.items():
        value = f"{key:.6g}" if isinstance(key, float) else _as_text(key)
        print(f"{card_id}: {value}")
    problems = check_deck(deck_path, keys)
    for problem in problems:
        print(f"MISMATCH {problem}", file=sys.stderr)
    print(f"{len(keys)} keys checked against {Path(deck_path).name}: {len(problems)} problems")
    return 1 if problems else 0
