"""`studyctl decks --coverage`: each topic the seed study plans name, with the cards that drill it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studyctl.errors import StudyctlError
from studyctl.i18n import _
from studyctl.service.home import Home

ENOUGH = 8  # cards a topic needs before it counts as drilled


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    seeds: tuple[str, ...]
    cards: int
    decks: tuple[str, ...]

    @property
    def enough(self) -> bool:
        return self.cards >= ENOUGH


@dataclass(frozen=True)
class Coverage:
    topics: tuple[TopicCoverage, ...]
    seeds: dict[str, str]  # seed id -> title
    path: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "seeds": self.seeds,
            "topics": [
                {"topic": t.topic, "seeds": list(t.seeds), "cards": t.cards, "decks": list(t.decks)}
                for t in self.topics
            ],
        }


def coverage(home: Home) -> Coverage:
    """Count, for every topic of the coverage map (the last content root's map wins), the cards
    that cover it among the decks that load."""
    from studyctl.content.coverage import COVERAGE_FILE, covering_cards, load_coverage
    from studyctl.content.library import load_library

    maps = [root / COVERAGE_FILE for root in home.roots if (root / COVERAGE_FILE).is_file()]
    if not maps:
        raise StudyctlError(_("no coverage map ({file}) in any content folder").format(file=COVERAGE_FILE))
    found = load_coverage(maps[-1])
    decks = load_library(home.roots).decks
    rows = []
    for topic in found.topics:
        cards = covering_cards(topic, decks)
        rows.append(TopicCoverage(topic.name, topic.seeds, len(cards), tuple(sorted({c.split("/")[0] for c in cards}))))
    return Coverage(tuple(rows), {seed.id: seed.title for seed in found.seeds}, str(found.path))
