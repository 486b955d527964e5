"""Question and answer text for each card type, as plain strings (never markup: the CLI
prints them as they are, and the TUI must show them literally too)."""

from __future__ import annotations

import re

from studyctl.store.reviewing import ReviewCard

_CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)


def cloze_question(text: str, ordinal: int) -> str:
    """The active deletion hidden as [...] (or [hint]); the other deletions shown."""

    def hide(match: re.Match[str]) -> str:
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number == ordinal:
            return f"[{hint}]" if hint else "[...]"
        return answer

    return str(_CLOZE.sub(hide, text))


def cloze_answer(text: str, ordinal: int) -> str:
    """The full sentence with the active deletion marked as [answer]."""

    def show(match: re.Match[str]) -> str:
        number, answer = int(match.group(1)), match.group(2)
        return f"[{answer}]" if number == ordinal else answer

    return str(_CLOZE.sub(show, text))


def question(card: ReviewCard) -> str:
    if card.type == "cloze":
        return cloze_question(card.front, card.ord)
    return card.front


def answer(card: ReviewCard) -> str:
    """What the learner sees after answering: the answer, then the card's explanation."""
    parts = []
    if card.type == "cloze":
        parts.append(cloze_answer(card.front, card.ord))
    elif card.type in ("choice", "typed"):
        parts.append(f"Answer: {card.extra.get('answer', '')}")
    if card.back:
        parts.append(card.back.strip())
    if card.zh:
        parts.append(f"中文: {card.zh}")
    return "\n\n".join(parts)
