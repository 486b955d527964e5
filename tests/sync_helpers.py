"""Machines for the device-sync tests: each a STUDYCTL_HOME of its own with the same content,
driven through the service layer (switching STUDYCTL_HOME for each call), and what a machine
knows, keyed by card key so that two machines' local ids don't matter."""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from conftest import SMALL_ROADMAP, write
from srs_helpers import Clock, basic_deck

from studyctl.service.home import Home
from studyctl.srs.session import ReviewSession
from studyctl.store import journal, reviewing
from studyctl.store.db import write_transaction

SETTINGS = """
roadmap: small
new_cards_per_day: 50
review:
  fuzz: false
"""


class Machine:
    def __init__(self, root: Path, name: str, clock: Clock, decks: dict[str, int] | None = None):
        self.name = name
        self.dir = root / name
        self.clock = clock
        for deck, count in (decks or {"d": 12}).items():
            write(self.dir / "content" / "decks" / f"{deck}.yaml", basic_deck(deck, count))
        write(self.dir / "content" / "schedule" / "small.yaml", SMALL_ROADMAP)
        write(self.dir / "settings.yaml", SETTINGS)
        self._session: ReviewSession | None = None

    @contextlib.contextmanager
    def home(self) -> Iterator[Home]:
        saved = os.environ.get("STUDYCTL_HOME")
        os.environ["STUDYCTL_HOME"] = str(self.dir)
        home = Home(clock=self.clock)
        try:
            yield home
        finally:
            home.close()
            if saved is None:
                del os.environ["STUDYCTL_HOME"]
            else:
                os.environ["STUDYCTL_HOME"] = saved

    def do(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self.home() as home:
            return action(home, *args, **kwargs)

    def sync(self, folder: Path | None = None) -> Any:
        from studyctl.service.sync import sync

        return self.do(sync, folder)

    # -- studying ----------------------------------------------------------------------------

    def answer(self, key: str, rating: int, undo: bool = False) -> str:
        """Answer the card `key` (and take the answer back if `undo`); returns the review uid."""
        with self.home() as home:
            home.sync_decks()
            session = ReviewSession(home.conn, home.settings, clock=self.clock, rng=random.Random(1))
            answer = session.answer(self._card(home, key), rating, duration_ms=4000)
            if undo:
                session.undo()
            return answer.uid

    def suspend(self, key: str) -> None:
        with self.home() as home:
            session = ReviewSession(home.conn, home.settings, clock=self.clock, rng=random.Random(1))
            session.suspend(self._card(home, key))

    def flag(self, key: str, note: str) -> None:
        with self.home() as home:
            session = ReviewSession(home.conn, home.settings, clock=self.clock, rng=random.Random(1))
            session.flag(self._card(home, key), note)

    def log(self, task: str, status: str, minutes: int | None = None) -> None:
        from studyctl.service.roadmaps import record_task

        self.do(record_task, task, status, minutes)

    def undo_last_task(self) -> None:
        """Take back this machine's last task entry the way the journal does it (an undo event
        and the row gone): no command does this yet, but another device's undo must apply."""
        with self.home() as home:
            conn = home.conn
            uid, roadmap, task = conn.execute(
                "SELECT uid, roadmap, task FROM task_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            with write_transaction(conn):
                journal.undo(conn, uid, f"{roadmap}/{task}", at=self.clock().isoformat(timespec="seconds"))
                conn.execute("DELETE FROM task_log WHERE uid = ?", (uid,))

    @staticmethod
    def _card(home: Home, key: str) -> reviewing.ReviewCard:
        deck, note, ord_ = key.split("/")
        row = home.conn.execute(
            "SELECT id FROM cards WHERE deck = ? AND note = ? AND ord = ?", (deck, note, int(ord_))
        ).fetchone()
        card = reviewing.card(home.conn, row[0])
        assert card is not None
        return card

    # -- what it knows -----------------------------------------------------------------------

    def knowledge(self) -> dict[str, Any]:
        """Card states and marks by card key, reviews, task progress and lab runs: everything
        that must be the same on every machine after a sync."""
        from studyctl.service.roadmaps import progress_of

        with self.home() as home:
            conn = home.conn
            states = {
                f"{r['deck']}/{r['note']}/{r['ord']}": tuple(r)[3:]
                for r in conn.execute(
                    "SELECT c.deck, c.note, c.ord, s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, "
                    "s.reps, s.lapses FROM card_state s JOIN cards c ON c.id = s.card_id"
                )
            }
            marks = {
                f"{r[0]}/{r[1]}/{r[2]}": tuple(r)[3:]
                for r in conn.execute(
                    "SELECT c.deck, c.note, c.ord, m.suspended, m.leech, m.buried_until, m.flag_note, m.flagged_at "
                    "FROM card_marks m JOIN cards c ON c.id = m.card_id"
                )
            }
            reviews = sorted(
                tuple(r)
                for r in conn.execute(
                    "SELECT c.deck || '/' || c.note || '/' || c.ord, r.reviewed_at, r.rating, r.kind, r.due_after, "
                    "r.uid FROM reviews r JOIN cards c ON c.id = r.card_id"
                )
            )
            tasks = conn.execute("SELECT roadmap, task, status, minutes, uid FROM task_log")
            labs = conn.execute("SELECT lab, started_at, passed, uid FROM lab_runs")
            return {
                "states": states,
                "marks": marks,
                "reviews": reviews,
                "progress": progress_of(home, "small"),
                "tasks": sorted(tuple(r) for r in tasks),
                "labs": sorted(tuple(r) for r in labs),
            }


def without_uids(knowledge: dict[str, Any]) -> dict[str, Any]:
    """What a machine knows, less the event ids (a machine that did it all made its own)."""
    drop = {"reviews": -1, "tasks": -1, "labs": -1}
    return {
        name: sorted(row[: drop[name]] for row in value) if name in drop else value for name, value in knowledge.items()
    }
