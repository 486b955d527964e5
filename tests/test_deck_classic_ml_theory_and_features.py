"""The classic-ml-theory and feature-engineering decks: big and auto-gradable enough, and every number
they ask for recomputed by their keys_*.py module (which also asserts 李航's printed examples). The
glossary, reference and shape rules live in the library-wide deck tests."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from studyctl import paths
from studyctl.content.library import load_library

DECK_IDS = ("classic-ml-theory", "feature-engineering")
AUTO_TYPES = ("typed", "choice", "cloze")
TOOLS = paths.builtin_content_root() / "decks" / "tools"


@pytest.fixture(scope="module")
def decks():
    library = load_library([paths.builtin_content_root()])
    return {deck_id: library.decks[deck_id] for deck_id in DECK_IDS}


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_numbers", TOOLS / "check_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_at_least_220_cards_and_45_percent_auto_gradable(decks):
    assert sum(len(deck.cards) for deck in decks.values()) >= 220
    for deck in decks.values():
        kinds = Counter(card.type for card in deck.cards)
        assert sum(kinds[t] for t in AUTO_TYPES) / len(deck.cards) >= 0.45, (deck.id, kinds)
        assert len(deck.cards) >= 100, deck.id


@pytest.mark.parametrize("deck_id", DECK_IDS)
def test_every_number_matches_its_keys_module(checker, deck_id):
    report = checker.run({deck_id})  # the modules' own assertions (book examples, simulations) run here
    assert report.problems == []
    assert len(report.checked) >= 40
