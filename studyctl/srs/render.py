"""Question and answer text for each card type, as Markdown source in the card dialect
(`studyctl.content.markdown`): the CLI prints it as it is, the TUI renders it (never as Rich
markup). Cloze deletions are parsed as Anki parses them (`studyctl.content.cloze`); the active
one is hidden on the question and highlighted on the answer. A reversed basic card (ord 1)
asks the back and answers with the front.

In a Chinese interface a card's `front_zh`/`back_zh` (cloze: `text_zh`) replace the English sides
where the deck has them. The card's Chinese term shows where the `chinese_term` setting puts it:
with the answer (after), under the question (first: practising English answers from the Chinese
term), or nowhere (hidden)."""

from __future__ import annotations

from studyctl import i18n
from studyctl.content import cloze
from studyctl.i18n import _
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


def front(card: ReviewCard) -> str:
    """The front (cloze: the text) in the interface language where the deck has it."""
    return (i18n.current() == "zh" and card.extra.get("front_zh")) or card.front


def back(card: ReviewCard) -> str:
    return (i18n.current() == "zh" and card.extra.get("back_zh")) or card.back


def _term(card: ReviewCard) -> str:
    """The card's Chinese term, labelled; a Chinese line takes Chinese punctuation."""
    return f"中文：{card.zh}" if i18n.current() == "zh" else f"中文: {card.zh}"


def question(card: ReviewCard, chinese_term: str = "after") -> str:
    if card.type == "cloze":
        text = cloze_question(front(card), card.ord)
    elif is_reversed(card):
        text = back(card)
    else:
        text = front(card)
    if chinese_term == "first" and card.zh:
        text = f"{text}\n\n{_term(card)}"
    return text


def answer(card: ReviewCard, chinese_term: str = "after") -> str:
    """What the learner sees after answering: the answer, the explanation, the Chinese term and
    the references."""
    parts = []
    if card.type == "cloze":
        parts.append(cloze_answer(front(card), card.ord, highlight=True))
    elif card.type in ("choice", "typed"):
        parts.append(_("Answer: {answer}").format(answer=card.extra.get("answer", "")))
    if is_reversed(card):
        parts.append(front(card).strip())
    elif back(card):
        parts.append(back(card).strip())
    if card.zh and chinese_term == "after":
        parts.append(_term(card))
    if card.refs:
        parts.append(_("Refs: {refs}").format(refs="; ".join(card.refs)))
    return "\n\n".join(parts)
