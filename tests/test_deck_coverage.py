"""The coverage map (decks/meta/coverage.yaml): every topic the seed study plans name has at least 8
cards, counted by the decks, tags and patterns the map gives, and every deck and tag the map names
exists."""

import re
from pathlib import Path

import pytest
import yaml

from studyctl import paths
from studyctl.content.library import load_library

ROOT = Path(paths.builtin_content_root())
COVERAGE = yaml.safe_load((ROOT / "decks" / "meta" / "coverage.yaml").read_text(encoding="utf-8"))
TOPICS = {entry["topic"]: entry for entry in COVERAGE["topics"]}
MIN_CARDS = 8


@pytest.fixture(scope="module")
def decks():
    return load_library([paths.builtin_content_root()]).decks


def card_text(card) -> str:
    return " ".join([card.id, card.front, card.back, card.answer, *card.choices, card.zh, *card.refs, *card.tags])


def covering_cards(topic: dict, decks: dict) -> set[str]:
    """The cards a topic's `covered_by` entries select, as "deck/card" names."""
    found = set()
    for entry in topic["covered_by"]:
        chosen = decks.values() if entry["deck"] == "*" else [decks[entry["deck"]]] if entry["deck"] in decks else []
        pattern = re.compile(entry["match"], re.IGNORECASE) if "match" in entry else None
        tags = set(entry.get("tags", []))
        for deck in chosen:
            for card in deck.cards:
                selected = (not tags and pattern is None) or bool(tags & set(card.tags))
                selected = selected or bool(pattern and pattern.search(card_text(card)))
                if selected:
                    found.add(f"{deck.id}/{card.id}")
    return found


def test_the_map_is_well_formed(decks):
    seed_ids = {seed["id"] for seed in COVERAGE["seeds"]}
    assert len(TOPICS) == len(COVERAGE["topics"]), "topic names must be unique"
    for name, topic in TOPICS.items():
        assert set(topic) <= {"topic", "seeds", "covered_by"}, name
        assert topic["seeds"] and set(topic["seeds"]) <= seed_ids, name
        assert topic["covered_by"], name
        for entry in topic["covered_by"]:
            assert set(entry) <= {"deck", "tags", "match"}, (name, entry)
            if "match" in entry:
                re.compile(entry["match"])
            if entry["deck"] != "*":
                assert entry["deck"] in decks, (name, entry["deck"])
            chosen = decks.values() if entry["deck"] == "*" else [decks[entry["deck"]]]
            used = {tag for deck in chosen for card in deck.cards for tag in card.tags}
            assert set(entry.get("tags", [])) <= used, (name, entry)


def test_every_seed_is_used_and_exists():
    seeds_dir = ROOT.parent / "shared" / "seeds"
    used = {seed for topic in TOPICS.values() for seed in topic["seeds"]}
    assert used == {seed["id"] for seed in COVERAGE["seeds"]}
    if seeds_dir.is_dir():  # the seeds live beside the repository in the workspace, not in the wheel
        assert {seed["file"] for seed in COVERAGE["seeds"]} <= {p.name for p in seeds_dir.iterdir()}


def test_every_deck_covers_some_topic(decks):
    covered = set()
    for topic in TOPICS.values():
        covered |= {name.split("/")[0] for name in covering_cards(topic, decks)}
    assert set(decks) - covered == set()


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_every_topic_has_at_least_8_cards(decks, name):
    cards = covering_cards(TOPICS[name], decks)
    assert len(cards) >= MIN_CARDS, f"{name}: {len(cards)} cards {sorted(cards)}"


def test_tags_and_patterns_select_what_they_say(decks):
    topic = {"covered_by": [{"deck": "nlp-tasks", "tags": ["dependency-parsing"]}, {"deck": "*", "match": "zzz-none"}]}
    assert covering_cards(topic, decks) == {
        f"nlp-tasks/{c.id}" for c in decks["nlp-tasks"].cards if "dependency-parsing" in c.tags
    }
    assert covering_cards({"covered_by": [{"deck": "no-such-deck"}]}, decks) == set()
