"""Deck content: cards as written in YAML. A cloze card becomes one review card per deletion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CARD_TYPES = ("basic", "cloze", "choice", "typed")
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True)
class Card:
    """One note from a deck file. A cloze card becomes one review card per deletion."""

    id: str
    type: str
    front: str  # for cloze: the text with {{cN::...}} deletions
    back: str = ""
    zh: str = ""
    refs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    answer: str = ""
    accept: tuple[str, ...] = ()
    tolerance: float | None = None
    line: int = 0

    @property
    def ordinals(self) -> list[int]:
        """Review cards this note makes: the cloze numbers, or [0] for other types."""
        if self.type != "cloze":
            return [0]
        return sorted({int(number) for number, _, _ in CLOZE.findall(self.front)})


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    path: Path
    cards: tuple[Card, ...]
    title_zh: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
