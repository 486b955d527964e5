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
- subject: what the event is about, for lookups: a card key "deck/note/ord", "roadmap/task",
  or the lab id.

Cards are named by their key across machines, never by the local integer id.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

REVIEW, MARK, TASK, LAB, UNDO = "review", "mark", "task", "lab", "undo"
KINDS = (REVIEW, MARK, TASK, LAB, UNDO)
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
    uid = uid or new_uid()
    conn.execute(
        "INSERT INTO journal (uid, device, at, kind, subject, data) VALUES (?, ?, ?, ?, ?, ?)",
        (uid, device or device_id(conn), at, kind, subject, json.dumps(data, ensure_ascii=False, sort_keys=True)),
    )
    return uid


def undo(conn: sqlite3.Connection, target: str, subject: str, *, at: str) -> str:
    """Record that the event `target` is taken back (inside the caller's transaction)."""
    return append(conn, UNDO, subject, {"target": target}, at=at)


def undone(conn: sqlite3.Connection, uids: list[str]) -> set[str]:
    """Which of `uids` an undo event took back."""
    if not uids:
        return set()
    marks = ", ".join("?" for _ in uids)
    rows = conn.execute(
        f"SELECT json_extract(data, '$.target') FROM journal WHERE kind = 'undo' "
        f"AND json_extract(data, '$.target') IN ({marks})",
        uids,
    )
    return {str(row[0]) for row in rows}


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
