"""Deck content: cards as written in YAML. A cloze card becomes one review card per deletion
number, a basic card with `reverse: true` two (front to back, ord 0; back to front, ord 1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studyctl.content import cloze

CARD_TYPES = ("basic", "cloze", "choice", "typed")


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
    reverse: bool = False  # basic only: a second card, back to front
    guid: str = ""  # the Anki note's GUID when the card came from Anki (kept for round trips)
    front_zh: str = ""  # the question (cloze: the text, same deletions) in Chinese, shown in a zh interface
    back_zh: str = ""  # the answer side in Chinese

    @property
    def ordinals(self) -> list[int]:
        """Review cards this note makes: the cloze numbers, [0, 1] for a reversed basic card, else [0]."""
        if self.type == "cloze":
            return cloze.parse(self.front).ordinals
        if self.type == "basic" and self.reverse:
            return [0, 1]
        return [0]


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    path: Path
    cards: tuple[Card, ...]
    title_zh: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
