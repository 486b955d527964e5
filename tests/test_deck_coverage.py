"""The coverage map (decks/meta/coverage.yaml): every topic the seed study plans name has at least 8
cards, counted by the decks, tags and patterns the map gives, and every deck and tag the map names
exists."""

import json
import re
from pathlib import Path

import pytest
import yaml

from studyctl import paths
from studyctl.content.coverage import covering_cards as count
from studyctl.content.coverage import load_coverage
from studyctl.content.library import load_library

ROOT = Path(paths.builtin_content_root())
COVERAGE = yaml.safe_load((ROOT / "decks" / "meta" / "coverage.yaml").read_text(encoding="utf-8"))
TOPICS = {entry["topic"]: entry for entry in COVERAGE["topics"]}
MIN_CARDS = 8


@pytest.fixture(scope="module")
def decks():
    return load_library([paths.builtin_content_root()]).decks


COVERAGE_MAP = load_coverage(ROOT / "decks" / "meta" / "coverage.yaml")


def covering_cards(topic: dict, decks: dict) -> set[str]:
    """The cards the product's own rule (content/coverage.py) counts for a topic."""
    [loaded] = [t for t in COVERAGE_MAP.topics if t.name == topic["topic"]]
    return count(loaded, decks)


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
    seeds_dir = Path(__file__).resolve().parent / "data" / "seeds"
    used = {seed for topic in TOPICS.values() for seed in topic["seeds"]}
    assert used == {seed["id"] for seed in COVERAGE["seeds"]}
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
    import re

    from studyctl.content.coverage import Selector, Topic

    topic = Topic(
        "t", ("s",), (Selector("nlp-tasks", frozenset({"dependency-parsing"})), Selector("*", match=re.compile("zzz")))
    )
    assert count(topic, decks) == {
        f"nlp-tasks/{c.id}" for c in decks["nlp-tasks"].cards if "dependency-parsing" in c.tags
    }
    assert count(Topic("t", ("s",), (Selector("no-such-deck"),)), decks) == set()


def test_decks_coverage_lists_every_topic_with_its_count(run):
    result = run("decks", "--coverage", "--json")
    assert result.exit_code == 0, result.stderr
    shown = {row["topic"]: row["cards"] for row in json.loads(result.stdout)["topics"]}
    assert set(shown) == set(TOPICS)
    assert all(count >= MIN_CARDS for count in shown.values())
    text = run("decks", "--coverage").stdout
    assert "topics from 5 study plans; 0 with fewer than 8 cards." in text
