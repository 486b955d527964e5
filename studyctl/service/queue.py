"""Today's review queue as the use cases see it: which decks new cards come from, and the
counts a review opened now would show. `today` plans with these counts and `review` opens its
session with the same decks, so the two always agree (see srs/queue.py for the rules).

Kept apart from service/reviews.py so that `today` never imports the scheduler (fsrs)."""

from __future__ import annotations

import datetime as dt

from studyctl.content.model.roadmap import Roadmap
from studyctl.service.home import Home
from studyctl.srs.queue import QueueCounts


def queue_decks(home: Home, roadmap: Roadmap | None) -> tuple[list[str], frozenset[str] | None]:
    """The decks new cards come from first (the active roadmap's order), and the decks they may
    come from at all (None: any)."""
    from studyctl.planner.tasks import deck_order
    from studyctl.service import roadmaps

    order = deck_order(roadmap, roadmaps.progress_of(home, roadmap.id)) if roadmap else []
    return order, None


def today_queue(home: Home, roadmap: Roadmap | None, *, on: dt.date | None = None) -> QueueCounts:
    """What a review opened now (for study day `on`, default today) will show."""
    from studyctl.srs.queue import build_queue

    order, new_decks = queue_decks(home, roadmap)
    queue = build_queue(home.conn, home.settings, home.clock(), day=on, deck_order=order, new_decks=new_decks)
    return queue.counts
