"""The classic-ml-theory and feature-engineering decks: they load cleanly, are big and auto-gradable
enough, every auto-graded card grades its own key, every number matches the tools scripts that
compute it, and every card's Chinese term and references come from the shared meta files."""

from __future__ import annotations

import difflib
import importlib
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from studyctl import paths
from studyctl.content.library import load_library
from studyctl.srs.grading import grade_choice, grade_typed

DECK_IDS = ("classic-ml-theory", "feature-engineering")
TOOLS = {"classic-ml-theory": "numbers_classic_ml_theory", "feature-engineering": "numbers_feature_engineering"}
AUTO_TYPES = ("typed", "choice", "cloze")


@pytest.fixture(scope="module")
def decks_dir() -> Path:
    return paths.builtin_content_root() / "decks"


@pytest.fixture(scope="module")
def library():
    return load_library([paths.builtin_content_root()])


@pytest.fixture(scope="module")
def decks(library):
    return {deck_id: library.decks[deck_id] for deck_id in DECK_IDS}


@pytest.fixture(scope="module")
def cards(decks):
    return [(deck.id, card) for deck in decks.values() for card in deck.cards]


def merged_meta(decks_dir: Path, kind: str) -> list[dict]:
    """Every helper's glossary-*.yaml or sources-*.yaml, merged (the formats are shared)."""
    entries = []
    for path in sorted((decks_dir / "meta").glob(f"{kind}-*.yaml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return entries


def tools_module(decks_dir: Path, name: str):
    tools = str(decks_dir / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    return importlib.import_module(name)


def test_both_decks_load_without_issues(library, decks):
    mine = {deck.path for deck in decks.values()}
    assert [issue for issue in library.issues if issue.path in mine] == []
    assert {deck.title_zh for deck in decks.values()} == {"统计学习方法", "特征工程与模型评估"}


def test_at_least_220_cards_and_45_percent_auto_gradable(decks):
    assert sum(len(deck.cards) for deck in decks.values()) >= 220
    for deck in decks.values():
        kinds = Counter(card.type for card in deck.cards)
        assert sum(kinds[t] for t in AUTO_TYPES) / len(deck.cards) >= 0.45, (deck.id, kinds)
        assert len(deck.cards) >= 100, deck.id


def test_typed_and_choice_cards_grade_their_own_key(cards):
    for deck_id, card in cards:
        where = f"{deck_id}/{card.id}"
        if card.type == "typed":
            assert grade_typed(card.answer, card.answer, card.accept, card.tolerance).correct, where
            for alternative in card.accept:
                assert grade_typed(alternative, card.answer, card.accept, card.tolerance).correct, where
            assert not grade_typed("certainly not this", card.answer, card.accept, card.tolerance).correct, where
            assert not grade_typed("-123456.789", card.answer, card.accept, card.tolerance).correct, where
        elif card.type == "choice":
            right = card.choices.index(card.answer) + 1
            assert grade_choice(str(right), list(card.choices), card.answer).correct, where
            wrong = [n for n in range(1, len(card.choices) + 1) if n != right]
            assert not any(grade_choice(str(n), list(card.choices), card.answer).correct for n in wrong), where


@pytest.mark.parametrize("deck_id", DECK_IDS)
def test_every_number_matches_its_tools_script(decks_dir, deck_id):
    module = tools_module(decks_dir, TOOLS[deck_id])
    keys = module.keys()  # the script's own assertions (book examples, simulations) run here
    assert decks_dir / f"{deck_id}.yaml" == module.DECK
    deck_keys = tools_module(decks_dir, "deck_keys")
    assert deck_keys.check_deck(module.DECK, keys) == []
    assert len(keys) >= 40


def test_the_checker_catches_a_wrong_key_and_an_uncomputed_number(decks_dir, tmp_path):
    deck_keys = tools_module(decks_dir, "deck_keys")
    module = tools_module(decks_dir, TOOLS["classic-ml-theory"])
    data = yaml.safe_load(module.DECK.read_text(encoding="utf-8"))
    by_id = {card["id"]: card for card in data["cards"]}
    by_id["hmm-viterbi-probability-typed"]["answer"] = "0.0174"  # transposed digits
    extra = {"id": "extra-number", "type": "typed", "front": "?", "answer": "42", "zh": "x", "refs": []}
    data["cards"] = [*by_id.values(), extra]
    broken = tmp_path / "classic-ml-theory.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = deck_keys.check_deck(broken, module.keys())
    assert any(p.startswith("hmm-viterbi-probability-typed:") for p in problems)
    assert any(p.startswith("extra-number:") for p in problems)
    assert len(problems) == 2


def test_every_zh_is_one_glossary_term_and_no_avoided_variant_appears(decks_dir, cards):
    glossary = merged_meta(decks_dir, "glossary")
    by_en = {}
    for entry in glossary:
        assert by_en.setdefault(entry["en"], entry["zh"]) == entry["zh"], f"{entry['en']} has two zh terms"
    terms = {entry["zh"] for entry in glossary}
    avoided = {variant for entry in glossary for variant in entry.get("avoid", [])}
    assert not avoided & terms
    for deck_id, card in cards:
        assert card.zh in terms, f"{deck_id}/{card.id}: zh {card.zh!r} is not a glossary term"
        text = " ".join([card.front, card.back, card.answer, card.zh, *card.choices, *card.accept])
        assert not [v for v in avoided if v in text], f"{deck_id}/{card.id} uses an avoided variant"


def test_every_ref_names_a_source_key(decks_dir, cards):
    keys = sorted((entry["key"] for entry in merged_meta(decks_dir, "sources")), key=len, reverse=True)
    assert "李航" in keys and "百面机器学习" in keys
    for deck_id, card in cards:
        assert card.refs, f"{deck_id}/{card.id} has no reference"
        for ref in card.refs:
            key = next((k for k in keys if ref.startswith(k + " ") or ref.startswith(k + ":")), None)
            assert key, f"{deck_id}/{card.id}: {ref!r} starts with no source key"
            locator = ref[len(key) :].lstrip(" :")
            assert locator, f"{deck_id}/{card.id}: {ref!r} has no locator"
            if key in ("d2l-zh", "d2l-en"):
                assert re.fullmatch(r"\d+(\.\d+)*", locator), f"{deck_id}/{card.id}: {ref!r}"
            if key == "李航":
                assert re.fullmatch(r"2nd ed\. \d+(\.\d+)*", locator), f"{deck_id}/{card.id}: {ref!r}"


def test_basic_fronts_ask_one_question(cards):
    for deck_id, card in cards:
        if card.type == "basic":
            assert card.front.count("?") <= 1, f"{deck_id}/{card.id}"
            assert not re.search(r"\b(and|or) (why|how|what)\b", card.front), f"{deck_id}/{card.id}"


def test_no_front_near_duplicates_another_card(library, decks):
    def norm(text: str) -> str:
        return re.sub(r"\W+", " ", text.lower()).strip()

    others = [norm(c.front) for d in library.decks.values() for c in d.cards]
    seen = Counter(others)
    for deck in decks.values():
        for card in deck.cards:
            mine = norm(card.front)
            assert seen[mine] == 1, f"{deck.id}/{card.id} repeats a front"
            close = [
                other
                for other in others
                if other != mine
                and difflib.SequenceMatcher(None, mine, other).quick_ratio() > 0.9
                and difflib.SequenceMatcher(None, mine, other).ratio() > 0.9
            ]
            assert close == [], f"{deck.id}/{card.id} nearly repeats {close[0]!r}"
