"""The three deep-learning decks added for issue 16 (detection and vision, pretrained language models,
training at scale): large and mostly auto-gradable, and every typed answer recomputed by
decks/tools/keys_dl.py. The glossary, reference and shape rules live in the library-wide deck tests."""

import importlib.util

import pytest

from studyctl import paths
from studyctl.content.library import load_library

DECK_IDS = ("cv-detection-and-beyond", "pretrained-language-models", "training-at-scale")
AUTO_TYPES = ("typed", "choice", "cloze")
TOOLS = paths.builtin_content_root() / "decks" / "tools"


@pytest.fixture(scope="module")
def decks():
    library = load_library([paths.builtin_content_root()])
    return {deck_id: library.decks[deck_id] for deck_id in DECK_IDS}


@pytest.fixture(scope="module")
def cards(decks):
    return [(deck.id, card) for deck in decks.values() for card in deck.cards]


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_numbers", TOOLS / "check_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_at_least_230_cards_with_a_40_percent_auto_gradable_share(decks, cards):
    assert len(cards) >= 230
    for deck in decks.values():
        assert len(deck.cards) >= 60, deck.id
        auto = [c for c in deck.cards if c.type in AUTO_TYPES]
        assert len(auto) / len(deck.cards) >= 0.40, deck.id
    assert sum(card.type == "typed" for _, card in cards) >= 60
    assert sum(card.type == "choice" for _, card in cards) >= 30


def test_the_keys_module_recomputes_every_typed_answer(checker, cards):
    pytest.importorskip("torch")  # the fp16/bf16 limits come from torch.finfo
    report = checker.run(set(DECK_IDS))  # the module's own asserts (book examples, parses) run here
    assert report.problems == []
    uncovered = [f"{d}/{c.id}" for d, c in cards if c.type == "typed" and f"{d}/{c.id}" not in report.computed]
    assert uncovered == []
