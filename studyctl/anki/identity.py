"""Which Anki card is which studyctl card, both ways: the key of every round trip.

A note's GUID is the one it came with from Anki (`guid:` in the deck file), else
genanki.guid_for("studyctl/<deck-id>/<card-id>"): from the ids, never from the text. Inside a
note, Anki numbers cards by template (ord 0, 1, ...) or, for cloze notes, by deletion (c1 is
ord 0). studyctl numbers them 0 (and 1 for the reverse of a basic card) or by deletion (c1 is 1).
A card split out of a multi-template Anki note carries `guid: "<guid> template <ord>"` (a space
never occurs in a GUID; `#` does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyctl.content.model.deck import Card, Deck

TEMPLATE_MARK = " template "


def guid_for(text: str) -> str:
    """genanki's guid_for (a base91 hash), without importing genanki on the history path."""
    import hashlib

    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    table = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
    out = []
    while digest:
        digest, remainder = divmod(digest, len(table))
        out.append(table[remainder])
    return "".join(reversed(out))


def note_guid(deck_id: str, card: Card | str) -> str:
    """The GUID the card's note has in Anki."""
    if not isinstance(card, str) and card.guid:
        return card.guid.rsplit(TEMPLATE_MARK, 1)[0]
    card_id = card if isinstance(card, str) else card.id
    return guid_for(f"studyctl/{deck_id}/{card_id}")


def is_split_template(card: Card) -> bool:
    """A card made from a later template of a multi-template Anki note (exported with the first)."""
    return TEMPLATE_MARK in card.guid and not card.guid.endswith(f"{TEMPLATE_MARK}0")


@dataclass(frozen=True)
class CardLink:
    guid: str
    anki_ord: int
    deck: str
    note: str
    ord: int


def links(deck: Deck) -> Iterable[CardLink]:
    """(GUID, Anki ord) of every review card of a deck, with its studyctl key."""
    for card in deck.cards:
        guid = note_guid(deck.id, card)
        if TEMPLATE_MARK in card.guid:
            template = card.guid.rsplit(TEMPLATE_MARK, 1)[1]
            if template.isdigit():
                yield CardLink(guid, int(template), deck.id, card.id, 0)
            continue
        for ordinal in card.ordinals:
            anki_ord = ordinal - 1 if card.type == "cloze" else ordinal
            yield CardLink(guid, anki_ord, deck.id, card.id, ordinal)
