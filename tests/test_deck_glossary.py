"""Every deck speaks one vocabulary and cites known sources: each English concept is defined once
across the glossary files (so it never has two Chinese terms), a card's zh is a glossary term, no card
uses a variant the glossary avoids, each source key is defined once across the sources files, and
every ref is "<key> <locator>" with a known key (d2l locators are section numbers, 李航's name the
edition and a section)."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from studyctl import paths
from studyctl.content.library import load_library

META = Path(paths.builtin_content_root()) / "decks" / "meta"
D2L_LOCATOR = re.compile(r"\d+(\.\d+)*")
LI_HANG_LOCATOR = re.compile(r"2nd ed\. (\d+(\.\d+)*|appendix [A-G])( \(例\d+\.\d+\))?")


def read_all(pattern: str) -> list[tuple[str, dict]]:
    entries = []
    for path in sorted(META.glob(pattern)):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries.append((path.name, entry))
    return entries


@pytest.fixture(scope="module")
def cards():
    library = load_library([paths.builtin_content_root()])
    return [(deck.id, card) for deck in library.decks.values() for card in deck.cards]


@pytest.fixture(scope="module")
def glossary():
    entries = read_all("glossary-*.yaml")
    assert entries, "no decks/meta/glossary-*.yaml"
    return entries


@pytest.fixture(scope="module")
def sources():
    entries = read_all("sources-*.yaml")
    assert entries, "no decks/meta/sources-*.yaml"
    return entries


@pytest.fixture(scope="module")
def source_keys(sources):
    return {entry["key"] for _, entry in sources}


def concept(en: str) -> str:
    """An English glossary entry reduced to its concept: case, parenthesised abbreviations, hyphens,
    British spelling, a trailing plural and the words "algorithm", "method", "function" don't count."""
    text = re.sub(r"\([^)]*\)", " ", en.lower()).replace("neighbour", "neighbor")
    words = [w for w in re.split(r"[-\s]+", text) if w and w not in {"the", "algorithm", "method", "function"}]
    if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def test_the_concept_key_merges_spellings_of_one_concept():
    assert concept("hinge loss function") == concept("hinge loss")
    assert concept("k-nearest neighbours") == concept("k-nearest neighbor method")
    assert concept("scaling laws") == concept("scaling law")
    assert concept("non-maximum suppression (NMS)") == concept("non-maximum suppression")
    assert concept("maximum entropy model") != concept("maximum entropy principle")
    assert concept("gradient boosting") != concept("gradient boosting decision tree")


def test_glossary_entries_are_well_formed(glossary):
    for name, entry in glossary:
        assert set(entry) <= {"en", "zh", "avoid", "note"}, (name, entry)
        assert isinstance(entry.get("en"), str) and entry["en"].strip(), (name, entry)
        assert isinstance(entry.get("zh"), str) and entry["zh"].strip(), (name, entry)
        assert entry["zh"] not in entry.get("avoid", []), (name, entry)


def test_each_concept_is_defined_once(glossary):
    where = defaultdict(list)
    for name, entry in glossary:
        where[concept(entry["en"])].append(f"{name}: {entry['en']}")
    assert {key: places for key, places in where.items() if len(places) > 1} == {}


def test_no_english_concept_has_two_chinese_terms(glossary):
    terms = defaultdict(set)
    for _, entry in glossary:
        terms[entry["en"].strip().lower()].add(entry["zh"])
    assert {en: zh for en, zh in terms.items() if len(zh) > 1} == {}


def test_no_term_is_both_used_and_avoided(glossary):
    used = {entry["zh"] for _, entry in glossary}
    avoided = {variant for _, entry in glossary for variant in entry.get("avoid", [])}
    assert used & avoided == set()


def test_every_zh_is_a_glossary_term(cards, glossary):
    terms = {entry["zh"] for _, entry in glossary}
    unknown = sorted({f"{deck}/{card.id}: {card.zh}" for deck, card in cards if card.zh not in terms})
    assert unknown == []


def test_no_card_uses_an_avoided_variant(cards, glossary):
    avoided = {variant: entry["zh"] for _, entry in glossary for variant in entry.get("avoid", [])}
    found = []
    for deck, card in cards:
        text = " ".join([card.front, card.back, card.zh, card.answer, *card.choices, *card.accept])
        found += [f"{deck}/{card.id}: {v} (use {zh})" for v, zh in avoided.items() if v in text]
    assert found == []


def test_each_source_key_is_defined_once(sources):
    where = defaultdict(list)
    for name, entry in sources:
        assert set(entry) <= {"key", "title", "url", "locator"}, (name, entry)
        assert len(entry["key"].split()) == 1, f"{name}: a key is one word, the first of a ref: {entry['key']!r}"
        where[entry["key"]].append(name)
    assert {key: files for key, files in where.items() if len(files) > 1} == {}


def test_every_ref_names_a_known_source(cards, source_keys):
    unknown = sorted(
        {f"{deck}/{card.id}: {ref}" for deck, card in cards for ref in card.refs if ref.split()[0] not in source_keys}
    )
    assert unknown == []


def test_every_ref_has_a_locator(cards):
    bare = [f"{deck}/{card.id}: {ref}" for deck, card in cards for ref in card.refs if len(ref.split(maxsplit=1)) < 2]
    assert bare == []


def test_d2l_refs_are_section_numbers(cards):
    bad = [
        f"{deck}/{card.id}: {ref}"
        for deck, card in cards
        for ref in card.refs
        if ref.split()[0] in ("d2l-zh", "d2l-en") and not D2L_LOCATOR.fullmatch(ref.split(maxsplit=1)[1])
    ]
    assert bad == []


def test_no_ref_uses_the_old_unnumbered_d2l_key(cards):
    old = [f"{deck}/{card.id}: {ref}" for deck, card in cards for ref in card.refs if ref.split()[0] == "d2l"]
    assert old == []


def test_li_hang_refs_name_the_edition_and_a_section(cards):
    bad = [
        f"{deck}/{card.id}: {ref}"
        for deck, card in cards
        for ref in card.refs
        if ref.split()[0] == "李航" and not LI_HANG_LOCATOR.fullmatch(ref.split(maxsplit=1)[1])
    ]
    assert bad == []
