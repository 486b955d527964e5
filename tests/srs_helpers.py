"""Shared set-up for the spaced-repetition tests: a synced deck, a clock you can move."""

from __future__ import annotations

import datetime as dt
import random

from conftest import write

from studyctl.settings import ReviewSettings, Settings
from studyctl.srs.session import ReviewSession
from studyctl.store.db import connect
from studyctl.store.sync import sync_decks

START = dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.timezone.utc)  # a Monday evening


class Clock:
    def __init__(self, start: dt.datetime = START):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def basic_deck(deck_id: str, count: int) -> str:
    cards = "\n".join(
        f"  - {{id: c{i}, type: basic, front: 'Question {deck_id} {i}', back: 'Answer {i}'}}" for i in range(count)
    )
    return f"id: {deck_id}\ntitle: {deck_id}\ncards:\n{cards}\n"


def store_with(tmp_path, decks: dict[str, str]):
    """A database with the given decks (id -> YAML text) synced into it."""
    files = [write(tmp_path / "decks" / f"{deck_id}.yaml", text) for deck_id, text in decks.items()]
    conn = connect(tmp_path / "s.db")
    sync_decks(conn, files)
    return conn


def settings(**review) -> Settings:
    new_per_day = review.pop("new_cards_per_day", 20)
    return Settings(new_cards_per_day=new_per_day, review=ReviewSettings(**review))


def session(conn, clock: Clock, cfg: Settings | None = None, **kw) -> ReviewSession:
    return ReviewSession(conn, cfg or settings(), clock=clock, rng=random.Random(1), **kw)
