"""The coverage map (decks/meta/coverage.yaml): which cards cover each topic the seed study plans
name, so `studyctl decks --coverage` shows where a plan is well drilled and where it has gaps.

A topic's `covered_by` entries each name a deck ("*" for every deck) and optionally `tags` (the
card has one of them) and/or `match` (a case-insensitive regular expression searched in the
card's id, front, back, answer, choices, zh, refs and tags). A card counts once per topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.deck import Card, Deck
from studyctl.i18n import _

COVERAGE_FILE = Path("decks") / "meta" / "coverage.yaml"


@dataclass(frozen=True)
class Selector:
    deck: str  # a deck id, or "*"
    tags: frozenset[str] = frozenset()
    match: re.Pattern[str] | None = None

    def selects(self, card: Card) -> bool:
        if not self.tags and self.match is None:
            return True
        return bool(self.tags & set(card.tags)) or bool(self.match and self.match.search(card_text(card)))


@dataclass(frozen=True)
class Topic:
    name: str
    seeds: tuple[str, ...]
    covered_by: tuple[Selector, ...]


@dataclass(frozen=True)
class Seed:
    id: str
    file: str
    title: str


@dataclass(frozen=True)
class CoverageMap:
    seeds: tuple[Seed, ...]
    topics: tuple[Topic, ...]
    path: Path


def card_text(card: Card) -> str:
    return " ".join([card.id, card.front, card.back, card.answer, *card.choices, card.zh, *card.refs, *card.tags])


def covering_cards(topic: Topic, decks: dict[str, Deck]) -> set[str]:
    """The cards a topic's selectors choose, as "deck/card"."""
    found: set[str] = set()
    for selector in topic.covered_by:
        chosen = decks.values() if selector.deck == "*" else [decks[selector.deck]] if selector.deck in decks else []
        found |= {f"{deck.id}/{card.id}" for deck in chosen for card in deck.cards if selector.selects(card)}
    return found


def load_coverage(path: Path) -> CoverageMap:
    """The map in `path`; ContentError (file:line) when it is malformed."""
    from studyctl.content.yamlfile import read_yaml

    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ContentError([Issue(path, 1, _("a coverage map has `seeds:` and `topics:` lists"))])
    issues: list[Issue] = []
    seeds = tuple(
        Seed(str(s.get("id", "")), str(s.get("file", "")), str(s.get("title", "")))
        for s in data.get("seeds") or []
        if isinstance(s, dict)
    )
    topics = []
    for number, entry in enumerate(data["topics"]):
        line = data["topics"].line_of(number) if hasattr(data["topics"], "line_of") else None
        if not isinstance(entry, dict) or not entry.get("topic") or not entry.get("covered_by"):
            issues.append(Issue(path, line, _("each topic needs `topic:` and `covered_by:`")))
            continue
        selectors = []
        for item in entry["covered_by"]:
            try:
                pattern = re.compile(item["match"], re.IGNORECASE) if "match" in item else None
            except (re.error, TypeError) as exc:
                issues.append(
                    Issue(
                        path,
                        line,
                        _("topic {topic}: bad `match` pattern ({reason})").format(
                            topic=repr(entry["topic"]), reason=exc
                        ),
                    )
                )
                continue
            selectors.append(Selector(str(item.get("deck", "*")), frozenset(item.get("tags", [])), pattern))
        topics.append(Topic(str(entry["topic"]), tuple(entry.get("seeds", [])), tuple(selectors)))
    if issues:
        raise ContentError(issues)
    return CoverageMap(seeds, tuple(topics), path)
