"""Today's review queue as the use cases see it: which decks new cards come from, and the
counts a review opened now would show. `today` plans with these counts and `review` opens its
session with the same decks, so the two always agree (see srs/queue.py for the rules).

Kept apart from service/reviews.py so that `today` never imports the scheduler (fsrs)."""

from __future__ import annotations

import datetime as dt

from studyctl.service.home import Home
from studyctl.srs.queue import QueueCounts


def queue_decks(home: Home) -> tuple[list[str], frozenset[str] | None]:
    """The decks new cards come from first (the active roadmap's order), and the decks they may
    come from at all (the roadmap's unlocked decks and the user's own; None: any). The planner
    decides both (planner/tasks.py new_card_source)."""
    from studyctl.service.today import new_card_source

    source = new_card_source(home)
    return list(source.deck_order), source.new_decks


def today_queue(home: Home, *, on: dt.date | None = None) -> QueueCounts:
    """What a review opened now (for study day `on`, default today) will show."""
    from studyctl.srs.queue import build_queue

    order, new_decks = queue_decks(home)
    queue = build_queue(home.conn, home.settings, home.clock(), day=on, deck_order=order, new_decks=new_decks)
    return queue.counts
