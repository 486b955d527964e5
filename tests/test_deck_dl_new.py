"""The three deep-learning decks added for issue 16 (detection and vision, pretrained language models,
training at scale): they load cleanly, are large and mostly auto-gradable, every auto-graded card
grades its own key, every number is recomputed by decks/tools/numbers_dl_new.py, and every card
uses a glossary term and references with known keys."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from studyctl import paths
from studyctl.content.library import load_library
from studyctl.srs.grading import grade_choice, grade_typed

DECK_IDS = ("cv-detection-and-beyond", "pretrained-language-models", "training-at-scale")
AUTO_TYPES = ("typed", "choice", "cloze")
DECKS_DIR = paths.builtin_content_root() / "decks"
META_DIR = DECKS_DIR / "meta"
D2L_LOCATOR = re.compile(r"\d+(\.\d+)*")


@pytest.fixture(scope="module")
def library():
    return load_library([paths.builtin_content_root()])


@pytest.fixture(scope="module")
def decks(library):
    return {deck_id: library.decks[deck_id] for deck_id in DECK_IDS}


@pytest.fixture(scope="module")
def cards(decks):
    return [(deck.id, card) for deck in decks.values() for card in deck.cards]


@pytest.fixture(scope="module")
def numbers_tool():
    path = DECKS_DIR / "tools" / "numbers_dl_new.py"
    spec = importlib.util.spec_from_file_location("numbers_dl_new", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_meta(prefix: str) -> list[tuple[Path, dict]]:
    """Entries of every helper's glossary-*.yaml or sources-*.yaml, as the merged tests see them."""
    return [
        (path, entry)
        for path in sorted(META_DIR.glob(f"{prefix}-*.yaml"))
        for entry in yaml.safe_load(path.read_text())
    ]


def card_text(card) -> str:
    return " ".join([card.front, card.back, card.answer, card.zh, *card.choices, *card.accept, *card.refs])


def test_the_three_decks_load_without_any_issue(library, decks):
    ours = {DECKS_DIR / f"{deck_id}.yaml" for deck_id in DECK_IDS}
    assert [str(issue) for issue in library.issues if issue.path in ours] == []
    assert set(decks) == set(DECK_IDS)
    assert all(deck.title_zh for deck in decks.values())


def test_at_least_230_cards_with_a_40_percent_auto_gradable_share(decks, cards):
    assert len(cards) >= 230
    for deck in decks.values():
        assert len(deck.cards) >= 60, deck.id
        auto = [c for c in deck.cards if c.type in AUTO_TYPES]
        assert len(auto) / len(deck.cards) >= 0.40, deck.id
    assert sum(card.type in AUTO_TYPES for _, card in cards) / len(cards) >= 0.40


def test_every_typed_card_grades_its_own_key(cards):
    typed = [(deck_id, card) for deck_id, card in cards if card.type == "typed"]
    assert len(typed) >= 60
    for deck_id, card in typed:
        where = f"{deck_id}/{card.id}"
        for given in (card.answer, *card.accept):
            assert grade_typed(given, card.answer, list(card.accept), card.tolerance).correct, where
        for wrong in ("certainly not this", "-123456.789"):
            assert not grade_typed(wrong, card.answer, list(card.accept), card.tolerance).correct, where


def test_every_choice_card_grades_only_its_own_key(cards):
    choice = [(deck_id, card) for deck_id, card in cards if card.type == "choice"]
    assert len(choice) >= 30
    for deck_id, card in choice:
        right = card.choices.index(card.answer) + 1
        for number in range(1, len(card.choices) + 1):
            graded = grade_choice(str(number), list(card.choices), card.answer).correct
            assert graded == (number == right), f"{deck_id}/{card.id} option {number}"


def test_the_numbers_script_recomputes_every_key(numbers_tool):
    assert numbers_tool.mismatches(DECKS_DIR) == []  # all_keys() also runs the script's own asserts


def test_every_typed_answer_is_computed_by_the_script(numbers_tool, cards):
    keys = numbers_tool.all_keys()
    uncovered = [f"{d}/{c.id}" for d, c in cards if c.type == "typed" and c.id not in keys[d]]
    assert uncovered == []


def test_every_card_uses_one_glossary_term_and_no_avoided_variant(cards):
    glossary = read_meta("glossary")
    terms = {entry["zh"] for _, entry in glossary}
    zh_of: dict[str, set] = {}
    for _, entry in glossary:
        zh_of.setdefault(entry["en"], set()).add(entry["zh"])
    assert {en: zh for en, zh in zh_of.items() if len(zh) > 1} == {}
    assert [f"{d}/{c.id}: {c.zh}" for d, c in cards if c.zh not in terms] == []
    avoided = {variant for _, entry in glossary for variant in entry.get("avoid", [])}
    assert [f"{d}/{c.id}: {v}" for d, c in cards for v in avoided if v in card_text(c)] == []


def test_every_ref_uses_a_known_source_key_and_a_valid_d2l_section(cards):
    sources = read_meta("sources")
    titles: dict[str, set] = {}
    for _, entry in sources:
        titles.setdefault(entry["key"], set()).add(entry["title"])
    assert {key: t for key, t in titles.items() if len(t) > 1} == {}
    bad = []
    for deck_id, card in cards:
        assert card.refs, f"{deck_id}/{card.id} has no refs"
        for ref in card.refs:
            key, _, locator = ref.partition(" ")
            known = key in titles and locator
            if not known or (key.startswith("d2l-") and not D2L_LOCATOR.fullmatch(locator)):
                bad.append(f"{deck_id}/{card.id}: {ref}")
    assert bad == []


def test_every_front_asks_one_question(cards):
    double = [
        f"{d}/{c.id}"
        for d, c in cards
        if c.type != "cloze" and (c.front.count("?") > 1 or re.search(r"\band (why|how|what)\b", c.front))
    ]
    assert double == []


def test_no_front_repeats_one_from_another_deck(library, cards):
    def key(text):
        return re.sub(r"\W+", " ", text.lower()).strip()

    others = {key(c.front) for deck in library.decks.values() if deck.id not in DECK_IDS for c in deck.cards}
    ours = [key(c.front) for _, c in cards]
    assert len(ours) == len(set(ours))
    assert [front for front in ours if front in others] == []
