"""The order a choice card's options are shown in: shuffled, so the answer's place in the file
teaches nothing, and the same all study day for a card, so undo, a second session and the log
(which records the chosen option's text) all agree with what was on screen."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from studyctl.store.reviewing import ReviewCard


def shuffled_choices(card: ReviewCard, day: dt.date) -> list[str]:
    """`card`'s options shuffled by a seed made of the card's key and the study day (stable
    across processes and machines: no Python `hash`). Other card types: []."""
    choices = [str(choice) for choice in card.extra.get("choices", [])]
    seed = hashlib.sha256(f"{card.deck}/{card.note}/{card.ord}@{day.isoformat()}".encode()).digest()
    random.Random(int.from_bytes(seed[:8], "big")).shuffle(choices)
    return choices
