"""Question and answer text for each card type, as Markdown source in the card dialect
(`studyctl.content.markdown`): the CLI prints it as it is, the TUI renders it (never as Rich
markup). Cloze deletions are parsed as Anki parses them (`studyctl.content.cloze`); the active
one is hidden on the question and highlighted on the answer. A reversed basic card (ord 1)
asks the back and answers with the front."""

from __future__ import annotations

from studyctl.content import cloze
from studyctl.store.reviewing import ReviewCard


def cloze_question(text: str, ordinal: int) -> str:
    """The active deletion hidden as [...] (or [hint]); the other deletions shown."""
    return cloze.question(text, ordinal)


def cloze_answer(text: str, ordinal: int, *, highlight: bool = False) -> str:
    """The full text with the active deletion marked as [answer] (bold too, with `highlight`)."""
    return cloze.answer(text, ordinal, _highlighted if highlight else _bracketed)


def _bracketed(inner: str) -> str:
    return f"[{inner}]"


def _highlighted(inner: str) -> str:
    """`**[answer]**` where Markdown can hold it (one line, no bold or code fence of its own)."""
    if "\n" in inner or "**" in inner or "```" in inner or not inner.strip():
        return f"[{inner}]"
    return f"**[{inner}]**"


def is_reversed(card: ReviewCard) -> bool:
    return card.type == "basic" and card.ord == 1


def question(card: ReviewCard) -> str:
    if card.type == "cloze":
        return cloze_question(card.front, card.ord)
    if is_reversed(card):
        return card.back
    return card.front


def answer(card: ReviewCard) -> str:
    """What the learner sees after answering: the answer, the explanation, the Chinese term and
    the references."""
    parts = []
    if card.type == "cloze":
        parts.append(cloze_answer(card.front, card.ord, highlight=True))
    elif card.type in ("choice", "typed"):
        parts.append(f"Answer: {card.extra.get('answer', '')}")
    if is_reversed(card):
        parts.append(card.front.strip())
    elif card.back:
        parts.append(card.back.strip())
    if card.zh:
        parts.append(f"中文: {card.zh}")
    if card.refs:
        parts.append("Refs: " + "; ".join(card.refs))
    return "\n\n".join(parts)
