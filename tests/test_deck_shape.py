"""Atomic cards across all decks: a front (basic, typed or choice) asks one thing, and no two cards ask
nearly the same question (compared on normalised fronts, cloze deletions filled in)."""

import difflib
import itertools
import re

import pytest

from studyctl import paths
from studyctl.content.cloze import plain
from studyctl.content.library import load_library

# "X, and why Y?" / "... and how ...": a second question hiding in one front
PAIRED_QUESTION = re.compile(r"\band (why|how|what|when|which|where)\b|为什么.*以及|是什么.*为什么", re.IGNORECASE)
NEAR_DUPLICATE_RATIO = 0.9
NEAR_DUPLICATE_JACCARD = 0.9


@pytest.fixture(scope="module")
def cards():
    library = load_library([paths.builtin_content_root()])
    return [(deck.id, card) for deck in library.decks.values() for card in deck.cards]


def normalised_front(card) -> str:
    text = plain(card.front)
    return re.sub(r"\W+", " ", text.lower()).strip()


def asks_more_than_one_thing(front: str) -> bool:
    return front.count("?") + front.count("？") > 1 or bool(PAIRED_QUESTION.search(front))


def near_duplicates(fronts: list[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """Pairs of (name, normalised front) that are nearly the same question. Token Jaccard screens
    the pairs cheaply; difflib's ratio then compares the candidates character by character."""
    tokens = [(name, text, set(text.split())) for name, text in fronts]
    found = []
    for (a, ta, sa), (b, tb, sb) in itertools.combinations(tokens, 2):
        if not sa or not sb:
            continue
        jaccard = len(sa & sb) / len(sa | sb)
        if jaccard < 0.5:
            continue
        ratio = difflib.SequenceMatcher(None, ta, tb).ratio()
        if ratio >= NEAR_DUPLICATE_RATIO or jaccard >= NEAR_DUPLICATE_JACCARD:
            found.append((a, b, round(max(ratio, jaccard), 3)))
    return found


def test_the_heuristic_catches_two_questions_in_one_front():
    assert asks_more_than_one_thing("What is dropout, and why does it help?")
    assert asks_more_than_one_thing("What is BPTT? What is truncated BPTT?")
    assert asks_more_than_one_thing("梯度消失是什么，为什么会发生？以及如何缓解？")
    assert not asks_more_than_one_thing("Why does dropout act as a regularizer?")


def test_every_front_asks_one_thing(cards):
    compound = [f"{deck}/{card.id}: {card.front}" for deck, card in cards if card.type != "cloze"]
    compound = [line for line in compound if asks_more_than_one_thing(line.split(": ", 1)[1])]
    assert compound == []


def test_the_near_duplicate_check_catches_a_reworded_front():
    pair = [("a", "what does a 1 1 convolution compute"), ("b", "what does a 1 1 convolution layer compute")]
    assert near_duplicates(pair)
    assert not near_duplicates([("a", "why does relu help"), ("b", "why does batch norm help training")])


def test_no_two_cards_ask_nearly_the_same_question(cards):
    fronts = [(f"{deck}/{card.id}", normalised_front(card)) for deck, card in cards]
    assert near_duplicates(fronts) == []
