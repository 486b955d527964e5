"""The journal: every change the learner makes, as an append-only log of events with globally
unique ids. It is what syncs between devices (see service/sync.py) and what the other tables
can be rebuilt from: `reviews`, `card_marks`, `task_log` and `lab_runs` hold the live result
of the journal on this machine, written in the same transaction as each event.

An event is (uid, device, at, kind, subject, data):
- uid: 32 hex digits, the first 12 the event's time in milliseconds (sortable, like a UUIDv7),
  the rest random: unique across devices without coordination.
- device: the id of the device that made it (this machine's is created by the migration).
- kind and data (JSON):
    review  {card, reviewed_at, rating, duration_ms, kind, grading, answer, due_after, scheduler}
    mark    {card, set: {suspended?, leech?, buried_until?, flag_note?, flagged_at?}}
    task    {roadmap, task, status, minutes, day, logged_at}
    lab     {lab, started_at, seconds, device, passed, steps, metrics, files_hash}
    undo    {target: uid}   (an undo is itself an event, so nothing is ever deleted here)
    roadmap {roadmap, start, deadline}   (when a roadmap was started, shared by device sync)
- subject: what the event is about, for lookups: a card key "deck/note/ord", "roadmap/task",
  or the lab id.

Cards are named by their key across machines, never by the local integer id.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

REVIEW, MARK, TASK, LAB, UNDO, ROADMAP = "review", "mark", "task", "lab", "undo", "roadmap"
KINDS = (REVIEW, MARK, TASK, LAB, UNDO, ROADMAP)
UID = re.compile(r"[0-9a-f]{32}")
CHUNK = 500  # ids per IN (...) query, well under SQLite's limit on parameters
DEVICE_KEY = "device/id"


@dataclass(frozen=True)
class Event:
    seq: int
    uid: str
    device: str
    at: str
    kind: str
    subject: str
    data: dict[str, Any]

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple[Any, ...]) -> Event:
        seq, uid, device, at, kind, subject, data = tuple(row)
        return cls(int(seq), str(uid), str(device), str(at), str(kind), str(subject), json.loads(data))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """An event read from outside (a sync segment); ValueError when it isn't one."""
        uid, device, kind = data.get("uid"), data.get("device"), data.get("kind")
        if not (isinstance(uid, str) and UID.fullmatch(uid)):
            raise ValueError(f"bad event uid {uid!r}")
        if kind not in KINDS or not isinstance(device, str) or not device:
            raise ValueError(f"event {uid}: bad kind or device")
        at, subject, payload = data.get("at"), data.get("subject"), data.get("data")
        if not isinstance(at, str) or not isinstance(subject, str) or not isinstance(payload, dict):
            raise ValueError(f"event {uid}: bad time, subject or data")
        return cls(0, uid, device, at, str(kind), subject, payload)

    def to_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "device": self.device,
            "at": self.at,
            "kind": self.kind,
            "subject": self.subject,
            "data": self.data,
        }


def new_uid(millis: int | None = None) -> str:
    """A time-ordered unique id: 12 hex digits of milliseconds, then 20 random ones."""
    stamp = int(time.time() * 1000) if millis is None else millis
    return f"{stamp & 0xFFFFFFFFFFFF:012x}{secrets.token_hex(10)}"


def card_key(deck: str, note: str, ord_: int) -> str:
    return f"{deck}/{note}/{ord_}"


def device_id(conn: sqlite3.Connection) -> str:
    """This machine's device id (made when the database was created or migrated)."""
    row = conn.execute("SELECT value FROM machine_state WHERE key = ?", (DEVICE_KEY,)).fetchone()
    if row is None:  # pragma: no cover - the migration creates it
        raise RuntimeError("the database has no device id; was it migrated?")
    return str(json.loads(row[0]))


def append(
    conn: sqlite3.Connection,
    kind: str,
    subject: str,
    data: dict[str, Any],
    *,
    at: str,
    uid: str | None = None,
    device: str | None = None,
) -> str:
    """Add one event (inside the caller's transaction); returns its uid."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    uid = uid or _after_the_last(conn, subject, new_uid())
    conn.execute(
        "INSERT INTO journal (uid, device, at, kind, subject, data) VALUES (?, ?, ?, ?, ?, ?)",
        (uid, device or device_id(conn), at, kind, subject, json.dumps(data, ensure_ascii=False, sort_keys=True)),
    )
    return uid


def _after_the_last(conn: sqlite3.Connection, subject: str, uid: str) -> str:
    """`uid`, or one a millisecond after the subject's newest event when `uid` would sort before
    it: two processes answering one card within a millisecond must replay in the order they
    committed (the caller holds the write lock, so "newest" is certain)."""
    row = conn.execute("SELECT max(uid) FROM journal WHERE subject = ?", (subject,)).fetchone()
    newest = row[0] if row else None
    if newest is None or uid > newest:
        return uid
    return f"{(int(newest[:12], 16) + 1) & 0xFFFFFFFFFFFF:012x}{secrets.token_hex(10)}"


def undo(conn: sqlite3.Connection, target: str, subject: str, *, at: str) -> str:
    """Record that the event `target` is taken back (inside the caller's transaction)."""
    return append(conn, UNDO, subject, {"target": target}, at=at)


def undone(conn: sqlite3.Connection, uids: list[str]) -> set[str]:
    """Which of `uids` an undo event took back (through the index on undo targets)."""
    taken_back: set[str] = set()
    for chunk in _chunks(uids):
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            f"SELECT json_extract(data, '$.target') FROM journal WHERE kind = 'undo' "
            f"AND json_extract(data, '$.target') IN ({marks})",
            chunk,
        )
        taken_back.update(str(row[0]) for row in rows)
    return taken_back


def by_uid(conn: sqlite3.Connection, uids: list[str]) -> list[Event]:
    """The events with these uids (those the journal has), in the order they happened."""
    found = []
    for chunk in _chunks(uids):
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            f"SELECT seq, uid, device, at, kind, subject, data FROM journal WHERE uid IN ({marks})", chunk
        )
        found += [Event.from_row(row) for row in rows]
    return sorted(found, key=lambda event: (event.at, event.uid))


def merge(conn: sqlite3.Connection, incoming: list[Event]) -> list[Event]:
    """Add the events the journal doesn't know yet (a set union by uid, inside the caller's
    transaction); returns those, in the order they happened."""
    unique = {event.uid: event for event in incoming}
    known: set[str] = set()
    for chunk in _chunks(list(unique)):
        marks = ", ".join("?" for _ in chunk)
        known.update(row[0] for row in conn.execute(f"SELECT uid FROM journal WHERE uid IN ({marks})", chunk))
    added = sorted((e for uid, e in unique.items() if uid not in known), key=lambda e: (e.at, e.uid))
    conn.executemany(
        "INSERT INTO journal (uid, device, at, kind, subject, data) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (e.uid, e.device, e.at, e.kind, e.subject, json.dumps(e.data, ensure_ascii=False, sort_keys=True))
            for e in added
        ),
    )
    return added


@dataclass(frozen=True)
class DeviceSummary:
    """One device as this journal knows it: how many events, and the last one."""

    device: str
    events: int
    last_at: str
    last_kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"device": self.device, "events": self.events, "last_at": self.last_at, "last_kind": self.last_kind}


def devices(conn: sqlite3.Connection) -> list[DeviceSummary]:
    """Every device with events in the journal, and its last event (by time, then uid)."""
    found = []
    for device, count, last_at in conn.execute("SELECT device, count(*), max(at) FROM journal GROUP BY device"):
        kind = conn.execute(
            "SELECT kind FROM journal WHERE device = ? AND at = ? ORDER BY uid DESC LIMIT 1", (device, last_at)
        ).fetchone()[0]
        found.append(DeviceSummary(str(device), int(count), str(last_at), str(kind)))
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def about(conn: sqlite3.Connection, subject: str, kind: str | None = None) -> list[Event]:
    """Every event about `subject` (of `kind`, if given), in the order they happened."""
    sql = "SELECT seq, uid, device, at, kind, subject, data FROM journal WHERE subject = ?"
    params: list[Any] = [subject]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    return [Event.from_row(row) for row in conn.execute(sql + " ORDER BY at, uid", params)]


def events(conn: sqlite3.Connection, *, device: str | None = None, after_seq: int = 0) -> Iterator[Event]:
    """Events in local order (seq), optionally of one device and after a sequence number."""
    sql = "SELECT seq, uid, device, at, kind, subject, data FROM journal WHERE seq > ?"
    params: list[Any] = [after_seq]
    if device is not None:
        sql += " AND device = ?"
        params.append(device)
    for row in conn.execute(sql + " ORDER BY seq", params):
        yield Event.from_row(row)
