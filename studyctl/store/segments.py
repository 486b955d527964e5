"""Sync segments: the files through which devices exchange journal events, and the record of
which of them this database wrote and read.

A segment is `DIR/<device>/<UTC time>-<random>.jsonl`, JSON Lines, never changed once written:

    {"studyctl_segment": 1, "device": "...", "schedulers": {"<ref>": "<config JSON>"}}
    {"uid": "...", "device": "...", "at": "...", "kind": "review", "subject": "...", "data": {...}}
    ...
    {"end": {"events": N, "sha256": "<hex digest of every byte above this line>"}}

A review's scheduler config (hundreds of bytes, the same for months) is written once in the
header and named "@<ref>" in each event. A segment is written to a hidden temporary name and
renamed when complete (after the database has recorded it, so no file of ours goes
unrecorded): a reader never sees half of one. One that arrives truncated or damaged anyway
(a sync tool mid-transfer, a disk error) fails its `end` line and is skipped until it reads
whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyctl.i18n import _
from studyctl.store import journal

FORMAT = 1
SUFFIX = ".jsonl"
IN, OUT = "in", "out"


class SegmentError(ValueError):
    """A segment that can't be read whole (truncated, damaged, or from a newer studyctl)."""


@dataclass(frozen=True)
class Prepared:
    """A segment written under its temporary name: `publish` renames it into place."""

    temporary: Path
    path: Path
    size: int

    def publish(self) -> None:
        os.replace(self.temporary, self.path)


def prepare(path: Path, events: list[journal.Event], device: str) -> Prepared:
    """Write `events` as a segment under a hidden temporary name beside `path`, on disk (fsync)."""
    schedulers: dict[str, str] = {}
    lines = []
    for event in events:
        data = event.data
        config = data.get("scheduler") if event.kind == journal.REVIEW else None
        if isinstance(config, str):
            ref = hashlib.sha256(config.encode()).hexdigest()[:12]
            schedulers[ref] = config
            data = {**data, "scheduler": f"@{ref}"}
        lines.append(_line({**event.to_dict(), "data": data}))
    body = _line({"studyctl_segment": FORMAT, "device": device, "schedulers": schedulers}) + b"".join(lines)
    footer = _line({"end": {"events": len(events), "sha256": hashlib.sha256(body).hexdigest()}})
    temporary = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(temporary, "wb") as handle:
        handle.write(body + footer)
        handle.flush()
        os.fsync(handle.fileno())
    return Prepared(temporary, path, len(body) + len(footer))


def clear_stale(folder: Path, older_than: float) -> None:
    """Remove temporary files a killed sync left in this device's own folder."""
    for temporary in folder.glob(".*.tmp") if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            if temporary.stat().st_mtime < older_than:
                temporary.unlink()


def read(path: Path) -> list[journal.Event]:
    """The events of a whole segment; SegmentError when it isn't whole."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SegmentError(_("cannot read: {detail}").format(detail=exc.strerror)) from None
    body, _newline, last = raw.rstrip(b"\n").rpartition(b"\n")
    try:
        footer = json.loads(last)
        end = footer["end"]
    except (ValueError, KeyError, TypeError):
        raise SegmentError(_("incomplete (no end line): truncated or still being written")) from None
    body += b"\n"
    if not isinstance(end, dict) or end.get("sha256") != hashlib.sha256(body).hexdigest():
        raise SegmentError(_("damaged (its checksum doesn't match)"))
    lines = body.splitlines()
    try:
        header = json.loads(lines[0])
        if header.get("studyctl_segment") != FORMAT:
            raise SegmentError(
                _("format {format}, written by a newer studyctl?").format(format=repr(header.get("studyctl_segment")))
            )
        schedulers = header.get("schedulers") or {}
        events = [_event(json.loads(line), schedulers) for line in lines[1:]]
    except SegmentError:
        raise
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise SegmentError(_("damaged: {detail}").format(detail=exc)) from None
    if len(events) != end.get("events"):
        raise SegmentError(
            _("damaged: {count} events, its end line says {expected}").format(
                count=len(events), expected=end.get("events")
            )
        )
    return events


def _event(data: dict[str, Any], schedulers: dict[str, str]) -> journal.Event:
    event = journal.Event.from_dict(data)
    config = event.data.get("scheduler")
    if event.kind == journal.REVIEW and isinstance(config, str) and config.startswith("@"):
        event.data["scheduler"] = schedulers[config[1:]]
    return event


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def listing(folder: Path) -> dict[str, dict[str, int]]:
    """device -> {segment name: size} for every segment in the sync folder (hidden files and
    folders, temporary files and anything else left out)."""
    found: dict[str, dict[str, int]] = {}
    try:
        devices = sorted(
            (entry for entry in os.scandir(folder) if entry.is_dir() and not entry.name.startswith(".")),
            key=lambda entry: entry.name,
        )
    except OSError:
        return found
    for device in devices:
        names = found.setdefault(device.name, {})
        for entry in os.scandir(device.path):
            if entry.name.endswith(SUFFIX) and not entry.name.startswith(".") and entry.is_file():
                names[entry.name] = entry.stat().st_size
    return found


# -- bookkeeping -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    name: str
    first_seq: int
    last_seq: int


def written(conn: sqlite3.Connection, device: str) -> list[Written]:
    """This database's own segments, oldest first."""
    rows = conn.execute(
        "SELECT name, first_seq, last_seq FROM sync_segments WHERE device = ? AND direction = ? ORDER BY first_seq",
        (device, OUT),
    )
    return [Written(str(row[0]), int(row[1]), int(row[2])) for row in rows]


def read_already(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """(device, name) -> size of every segment this database has read or written."""
    return {(str(r[0]), str(r[1])): int(r[2]) for r in conn.execute("SELECT device, name, size FROM sync_segments")}


def remember(
    conn: sqlite3.Connection,
    device: str,
    name: str,
    *,
    direction: str,
    size: int,
    events: int,
    at: str,
    seqs: tuple[int, int] | None = None,
) -> None:
    """Record one segment read or written (inside the caller's transaction)."""
    first, last = seqs or (None, None)
    conn.execute(
        "INSERT OR REPLACE INTO sync_segments (device, name, direction, size, events, first_seq, last_seq, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (device, name, direction, size, events, first, last, at),
    )


def forget(conn: sqlite3.Connection, device: str, names: list[str]) -> None:
    """Drop the record of segments that are gone from the folder (inside the caller's transaction)."""
    conn.executemany("DELETE FROM sync_segments WHERE device = ? AND name = ?", [(device, name) for name in names])
