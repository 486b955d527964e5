"""From journal events to the live tables (`reviews`, `card_marks`, `task_log`, `lab_runs`, and
the shared roadmap start dates in machine state), for events that came from another device or
that waited for a card this machine didn't have.

Every live row is a function of the set of events, never of the order they arrived in: an
event an undo took back makes no row (whether the undo came before or after it), marks are
folded from all of a card's mark events by (at, uid), a roadmap's start is the earliest any
device recorded. That is what makes syncing in any order end in the same place. Card states
are not written here: `srs/replay.py` replays the cards this returns.

The same row builders serve `db rebuild --from-journal` (compare and repair the live tables
against the whole journal).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from studyctl.store import journal, reviewing, state

REVIEW_COLUMNS = ("card_id", "reviewed_at", "rating", "duration_ms", "kind", "grading", "answer", "due_after")
TASK_COLUMNS = ("roadmap", "task", "status", "minutes", "day", "logged_at")
LAB_COLUMNS = ("lab", "started_at", "seconds", "device", "passed", "steps", "metrics", "files_hash")
SHARED_ROADMAP = "sync/roadmaps/"  # machine state: the roadmap dates this machine last shared or adopted


@dataclass
class Applied:
    """What applying a batch of events changed."""

    cards: set[int] = field(default_factory=set)  # cards whose reviews changed: replay them
    rows: int = 0  # live rows added or removed
    waiting: int = 0  # events set aside for a card this machine doesn't have


def apply(conn: sqlite3.Connection, events: list[journal.Event]) -> Applied:
    """Bring the live tables up to date with `events`, already in the journal (inside the
    caller's transaction). Safe to repeat: rows are keyed by the event's uid."""
    applied = Applied()
    if not events:
        return applied
    cards = card_ids(conn, {e.subject for e in events if e.kind in (journal.REVIEW, journal.MARK, journal.UNDO)})
    undo_targets = {str(e.data.get("target")) for e in events if e.kind == journal.UNDO}
    taken_back = undo_targets | journal.undone(conn, [e.uid for e in events if e.kind != journal.UNDO])
    schedulers = Schedulers(conn)
    reviews, tasks, labs, waiting = [], [], [], []
    refold: set[int] = set()
    roadmaps: set[str] = set()
    for event in events:
        if event.uid in taken_back:
            continue
        card_id = cards.get(event.subject)
        if event.kind == journal.REVIEW:
            if card_id is None:
                waiting.append((event.uid, event.subject))
            else:
                reviews.append(review_row(event, card_id, schedulers.id_of(event.data.get("scheduler"), event.at)))
                applied.cards.add(card_id)
        elif event.kind == journal.MARK:
            if card_id is None:
                waiting.append((event.uid, event.subject))
            else:
                refold.add(card_id)
        elif event.kind == journal.TASK:
            tasks.append(task_row(event))
        elif event.kind == journal.LAB:
            labs.append(lab_row(event))
        elif event.kind == journal.ROADMAP:
            roadmaps.add(event.subject)
        elif event.kind == journal.UNDO and card_id is not None:
            refold.add(card_id)  # the target may be a mark: fold the card's marks again
    applied.rows += _insert(conn, "reviews", [*REVIEW_COLUMNS, "scheduler_id", "uid"], reviews)
    applied.rows += _insert(conn, "task_log", [*TASK_COLUMNS, "uid"], tasks)
    applied.rows += _insert(conn, "lab_runs", [*LAB_COLUMNS, "uid"], labs)
    conn.executemany("INSERT OR IGNORE INTO journal_waiting (uid, subject) VALUES (?, ?)", waiting)
    applied.waiting = len(waiting)
    removed, cards_changed = _remove(conn, sorted(undo_targets))
    applied.rows += removed
    applied.cards |= cards_changed
    for card_id in sorted(refold):
        reviewing.refold_marks(conn, card_id)
    for roadmap in sorted(roadmaps):
        fold_roadmap(conn, roadmap)
    return applied


def waiting_for_cards(conn: sqlite3.Connection) -> list[journal.Event]:
    """Events that were set aside for a card this machine now has (after a deck sync), taken
    off the waiting list (inside the caller's transaction): apply them next."""
    rows = conn.execute("SELECT uid, subject FROM journal_waiting").fetchall()
    if not rows:
        return []
    present = card_ids(conn, {row[1] for row in rows})
    ready = [str(row[0]) for row in rows if row[1] in present]
    conn.executemany("DELETE FROM journal_waiting WHERE uid = ?", [(uid,) for uid in ready])
    return journal.by_uid(conn, ready)


def waiting_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM journal_waiting").fetchone()[0])


# -- one row per event -------------------------------------------------------------------------


def review_row(event: journal.Event, card_id: int, scheduler_id: int | None) -> tuple[Any, ...]:
    data = event.data
    return (card_id, *(data.get(name) for name in REVIEW_COLUMNS[1:]), scheduler_id, event.uid)


def task_row(event: journal.Event) -> tuple[Any, ...]:
    return (*(event.data.get(name) for name in TASK_COLUMNS), event.uid)


def lab_row(event: journal.Event) -> tuple[Any, ...]:
    data = dict(event.data)
    data["passed"] = int(bool(data.get("passed")))
    data["steps"] = json.dumps(data.get("steps") or [], ensure_ascii=False)
    data["metrics"] = json.dumps(data.get("metrics") or {}, ensure_ascii=False)
    return (*(data.get(name) for name in LAB_COLUMNS), event.uid)


class Schedulers:
    """Scheduler configs by their text: another device's config gets a local id the first time."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.ids = {config: scheduler_id for scheduler_id, config in reviewing.scheduler_configs(conn).items()}

    def id_of(self, config: Any, at: str) -> int | None:
        if not isinstance(config, str):
            return None
        if config not in self.ids:
            cursor = self.conn.execute("INSERT INTO schedulers (config, created_at) VALUES (?, ?)", (config, at))
            self.ids[config] = int(cursor.lastrowid or 0)
        return self.ids[config]


def card_ids(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, int]:
    """Local card ids of card keys "deck/note/ord" (those this machine has)."""
    wanted = set(keys)
    decks = sorted({key.split("/", 1)[0] for key in wanted if key.count("/") >= 2})
    found = {}
    for start in range(0, len(decks), journal.CHUNK):
        chunk = decks[start : start + journal.CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for card_id, deck, note, ord_ in conn.execute(
            f"SELECT id, deck, note, ord FROM cards WHERE deck IN ({marks})", chunk
        ):
            key = journal.card_key(deck, note, ord_)
            if key in wanted:
                found[key] = int(card_id)
    return found


def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    if not rows:
        return 0
    before = conn.total_changes
    conn.executemany(
        f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", rows
    )
    return conn.total_changes - before


def _remove(conn: sqlite3.Connection, targets: list[str]) -> tuple[int, set[int]]:
    """Delete the live rows of events an undo took back; returns (rows removed, cards touched)."""
    removed = 0
    cards: set[int] = set()
    for start in range(0, len(targets), journal.CHUNK):
        chunk = targets[start : start + journal.CHUNK]
        marks = ", ".join("?" for _ in chunk)
        cards.update(int(row[0]) for row in conn.execute(f"SELECT card_id FROM reviews WHERE uid IN ({marks})", chunk))
        for table in ("reviews", "task_log", "lab_runs", "journal_waiting"):
            removed += conn.execute(f"DELETE FROM {table} WHERE uid IN ({marks})", chunk).rowcount
    return removed, cards


# -- roadmap start dates -----------------------------------------------------------------------


def share_roadmap_dates(conn: sqlite3.Connection, *, at: str) -> list[str]:
    """Turn roadmap start dates set on this machine since it last shared them into roadmap
    events (inside the caller's transaction); returns the roadmaps concerned."""
    changed = []
    for key, record in state.with_prefix(conn, "roadmaps/").items():
        roadmap = key.removeprefix("roadmaps/")
        if not isinstance(record, dict):
            continue
        dates = {"start": record.get("start"), "deadline": record.get("deadline")}
        if not dates["start"] and not dates["deadline"]:
            continue
        if state.get(conn, SHARED_ROADMAP + roadmap) == dates:
            continue
        journal.append(conn, journal.ROADMAP, roadmap, {"roadmap": roadmap, **dates}, at=at)
        changed.append(roadmap)
    return changed


def fold_roadmap(conn: sqlite3.Connection, roadmap: str) -> None:
    """A roadmap's shared dates from all its events: the earliest start any device recorded (a
    second machine that planned before its first sync doesn't move the start), and the
    deadline set last (by time, then uid)."""
    events = journal.about(conn, roadmap, journal.ROADMAP)
    taken_back = journal.undone(conn, [event.uid for event in events])
    starts = [e.data["start"] for e in events if e.uid not in taken_back and e.data.get("start")]
    deadlines = [e.data["deadline"] for e in events if e.uid not in taken_back and e.data.get("deadline")]
    dates = {"start": min(starts) if starts else None, "deadline": deadlines[-1] if deadlines else None}
    record = state.get(conn, f"roadmaps/{roadmap}", {}) or {}
    merged = {**record, **{name: value for name, value in dates.items() if value}}
    if merged != record:
        state.put_in_transaction(conn, f"roadmaps/{roadmap}", merged)
    state.put_in_transaction(conn, SHARED_ROADMAP + roadmap, {name: merged.get(name) for name in dates})


# -- what replay reads -------------------------------------------------------------------------


def reviews_of(conn: sqlite3.Connection, card_ids: list[int]) -> dict[int, list[sqlite3.Row]]:
    """The scheduling reviews of these cards, each card's in replay order (reviewed_at, uid)."""
    found: dict[int, list[sqlite3.Row]] = {}
    for start in range(0, len(card_ids), journal.CHUNK):
        chunk = card_ids[start : start + journal.CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            "SELECT id, card_id, reviewed_at, rating, duration_ms, kind, due_after, scheduler_id FROM reviews "
            f"WHERE card_id IN ({marks}) AND kind != 'cram' ORDER BY card_id, reviewed_at, uid",
            chunk,
        )
        for row in rows:
            found.setdefault(int(row["card_id"]), []).append(row)
    return found


def cards_without_state(conn: sqlite3.Connection) -> list[int]:
    """Cards missing their card_state row (every card should have one: damage)."""
    rows = conn.execute("SELECT id FROM cards WHERE id NOT IN (SELECT card_id FROM card_state)")
    return [int(row[0]) for row in rows]
