"""`studyctl sync [DIR]`: one learner, several machines, one memory.

Each device writes the journal events it made since its last sync as a new segment file in
`DIR/<device>/` (store/segments.py) and reads the segments of every other device; the union
of all events (by uid) is applied to the live tables and the touched cards are replayed
(store/materialise.py, srs/replay.py), so every machine ends with the same reviews, card
states, marks, task progress and lab runs whatever order the syncs ran in. Only events
travel: settings.yaml, the content folders and the rest of machine state stay on their
machine. Roadmap start dates are the exception: they are progress (the plan's pace is
measured from them), so they travel as `roadmap` events, and the earliest start wins.

The transport is whatever the user already runs: if DIR is a git work tree (its top level), sync
commits the new segment, pulls with rebase and pushes (retrying when another machine pushed
first); otherwise DIR is a folder some other tool keeps in step (Syncthing, Dropbox, iCloud,
a network share).

Where DIR is kept: machine state (`sync/folder`), not settings.yaml, because it is a path on
this machine (a clone here, a Dropbox folder there), not a preference to share.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from studyctl.clock import iso_utc
from studyctl.errors import StudyctlError
from studyctl.i18n import _
from studyctl.service.home import Home
from studyctl.service.sync_git import Repository

FOLDER_KEY = "sync/folder"
LAST_KEY = "sync/last"
PUSH_TRIES = 5


@dataclass(frozen=True)
class SyncResult:
    folder: str
    device: str
    git: bool
    exported: int  # events of this device written to a new segment
    imported: int  # events new to this machine
    rows: int  # live rows added or removed by them
    waiting: int  # events kept for cards this machine doesn't have (a deck it lacks)
    devices: tuple[str, ...]  # the other devices in the folder
    skipped: tuple[str, ...]  # segments that could not be read whole: "path: why"
    notes: tuple[str, ...]  # what git did; warnings

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sync(home: Home, folder: Path | None = None) -> SyncResult:
    """Exchange events with the other devices through `folder` (remembered; the last one when
    None). Committed step by step: a sync cut short loses nothing and the next one resumes."""
    from studyctl.store import journal, materialise, segments

    target = sync_folder(home, folder)
    conn = home.conn
    me = journal.device_id(conn)
    with contextlib.suppress(StudyctlError):  # a broken settings file must not stop a sync
        home.sync_decks()  # cards added to the content since the last command get their history now
    repo = Repository.at(target)
    notes: list[str] = []
    skipped: list[str] = []
    upstream = None
    if repo is not None:
        repo.check_idle()
        upstream = repo.upstream()
    exported = _export(home, target, me)
    if repo is not None:
        pathspec = f"{me}/*{segments.SUFFIX}"  # our segments, never a temporary file
        message = f"studyctl sync: {exported} event(s) from {me}"  # i18n: not shown (the git log's, in English)
        if repo.commit(pathspec, message, me):
            notes.append(_("committed {count} event(s)").format(count=exported))
        if upstream is not None:
            repo.pull(*upstream, me)
    imported = _import(home, target, me, skipped, notes)
    if repo is not None and upstream is not None:
        for attempt in range(1, PUSH_TRIES + 1):
            if repo.push(*upstream):
                notes.append(_("pushed to {remote}/{branch}").format(remote=upstream[0], branch=upstream[1]))
                break
            notes.append(_("another machine pushed first: pulled again"))
            time.sleep(random.uniform(0.05, 0.3) * attempt)
            repo.pull(*upstream, me)
            imported = _add(imported, _import(home, target, me, skipped, notes))
        else:
            raise StudyctlError(
                _("git push kept losing the race with other machines ({tries} tries); sync again").format(
                    tries=PUSH_TRIES
                )
            )
    elif repo is not None:
        notes.append(_("no git remote: committed locally only"))
    devices = tuple(sorted(device for device, names in _listing(target).items() if names and device != me))
    home.remember(
        LAST_KEY,
        {
            "at": iso_utc(home.clock()),
            "folder": str(target),
            "devices": list(devices),
            "exported": exported,
            "imported": imported[0],
        },
    )
    home.remember(FOLDER_KEY, str(target))
    return SyncResult(
        folder=str(target),
        device=me,
        git=repo is not None,
        exported=exported,
        imported=imported[0],
        rows=imported[1],
        waiting=materialise.waiting_count(conn),
        devices=devices,
        skipped=tuple(dict.fromkeys(skipped)),
        notes=tuple(dict.fromkeys(notes)),
    )


def sync_folder(home: Home, folder: Path | None) -> Path:
    """The folder to sync through: `folder` (made if its parent exists), else the last one."""
    if folder is None:
        saved = home.state(FOLDER_KEY)
        if not saved:
            raise StudyctlError(
                _(
                    "no sync folder yet: give one, e.g. `studyctl sync ~/Dropbox/studyctl` or a git clone "
                    "(`studyctl sync ~/studyctl-sync`); it is remembered for next time"
                )
            )
        folder = Path(saved)
    target = folder.expanduser().resolve()
    if not target.parent.is_dir():
        raise StudyctlError(
            _("{folder} does not exist: make it (or clone your sync repository) first").format(folder=target.parent)
        )
    target.mkdir(exist_ok=True)
    return target


# -- the two halves ----------------------------------------------------------------------------


def _export(home: Home, target: Path, me: str) -> int:
    """Write this device's events that no segment of ours in `target` holds yet; returns how many."""
    from studyctl.store import journal, materialise, segments
    from studyctl.store.db import write_transaction

    conn = home.conn
    now = home.clock()
    with write_transaction(conn):
        for roadmap in materialise.share_roadmap_dates(conn, at=iso_utc(now)):
            materialise.fold_roadmap(conn, roadmap)
    own = target / me
    segments.clear_stale(own, time.time() - 3600)
    present = _listing(target).get(me, {})
    mine = segments.written(conn, me)
    lost = [w for w in mine if w.name not in present]  # a folder moved or cleaned: write them again
    newest = max((w.last_seq for w in mine), default=0)
    start = min([w.first_seq - 1 for w in lost] + [newest])
    events = [
        event
        for event in journal.events(conn, device=me, after_seq=start)
        if event.seq > newest or any(w.first_seq <= event.seq <= w.last_seq for w in lost)
    ]
    if not events and not lost:
        return 0
    name = f"{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}.jsonl"
    prepared = segments.prepare(own / name, events, me) if events else None
    with write_transaction(conn):
        segments.forget(conn, me, [w.name for w in lost])
        if prepared is not None:
            segments.remember(
                conn, me, name, direction=segments.OUT, size=prepared.size, events=len(events),
                at=iso_utc(now), seqs=(events[0].seq, events[-1].seq),
            )  # fmt: skip
    if prepared is not None:
        prepared.publish()  # recorded first: a file of ours in the folder is always one we know
    _replay_own(home, events)
    return len(events)


def _replay_own(home: Home, events: list[Any]) -> None:
    """Replay the cards this device answered since its last sync. An answer is computed on the
    state the card had then; if this machine's clock is behind another's, replay (which goes
    by the stamps) puts it elsewhere, and every other machine will use the replayed state: so
    must this one."""
    from studyctl.srs import replay
    from studyctl.store import journal, materialise
    from studyctl.store.db import write_transaction

    keys = {event.subject for event in events if event.kind in (journal.REVIEW, journal.UNDO)}
    if keys:
        with write_transaction(home.conn):
            replay.replay_cards(home.conn, set(materialise.card_ids(home.conn, keys).values()))


def _import(home: Home, target: Path, me: str, skipped: list[str], notes: list[str]) -> tuple[int, int]:
    """Read the segments not read yet and apply their new events; returns (events, rows)."""
    from studyctl.srs import replay
    from studyctl.store import journal, segments
    from studyctl.store.db import write_transaction

    conn = home.conn
    already = segments.read_already(conn)
    incoming: list[journal.Event] = []
    read: list[tuple[str, str, int, int]] = []
    for device, names in _listing(target).items():
        for name, size in sorted(names.items()):
            if already.get((device, name)) == size:
                continue
            if device == me and (device, name) not in already:
                notes.append(
                    _(
                        "{folder} holds segments this database did not write: another database uses device id "
                        "'{device}' (a copied database file?). Their events are imported."
                    ).format(folder=target / me, device=me)
                )
            try:
                events = segments.read(target / device / name)
            except segments.SegmentError as exc:
                skipped.append(
                    _("{file}: {problem}; skipped, read again next sync").format(
                        file=target / device / name, problem=exc
                    )
                )
                continue
            incoming += events
            read.append((device, name, size, len(events)))
    if not read:
        return 0, 0
    now = iso_utc(home.clock())
    with write_transaction(conn):
        added = journal.merge(conn, incoming)
        applied = replay.settle(conn, added)
        for device, name, size, count in read:
            segments.remember(conn, device, name, direction=segments.IN, size=size, events=count, at=now)
    return len(added), applied.rows


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def _listing(target: Path) -> dict[str, dict[str, int]]:
    from studyctl.store.segments import listing

    return listing(target)


# -- what the faces show -----------------------------------------------------------------------


@dataclass(frozen=True)
class LastSync:
    at: dt.datetime
    folder: str
    devices: tuple[str, ...]  # the other devices in the folder then
    imported: int
    exported: int
    now: dt.datetime  # when this was read, for "3 h ago"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["now"]
        return {**data, "at": iso_utc(self.at)}


def last_sync(home: Home) -> LastSync | None:
    """When this machine last synced, and with which devices (one state row; None: never)."""
    record = home.state(LAST_KEY)
    if not isinstance(record, dict) or not record.get("at"):
        return None
    try:
        at = dt.datetime.fromisoformat(record["at"])
    except (TypeError, ValueError):
        return None
    return LastSync(
        at,
        str(record.get("folder", "")),
        tuple(record.get("devices") or ()),
        int(record.get("imported") or 0),
        int(record.get("exported") or 0),
        home.clock(),
    )


@dataclass(frozen=True)
class DeviceStatus:
    device: str
    this: bool  # this machine
    events: int  # events of this device in this machine's journal
    last_at: str | None
    last_kind: str | None
    segments: int  # its segment files in the sync folder
    unread: int  # of those, not read yet (new, or incomplete)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SyncStatus:
    folder: str | None
    device: str
    git: bool
    last: LastSync | None
    devices: tuple[DeviceStatus, ...]
    waiting: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "device": self.device,
            "git": self.git,
            "last": self.last.to_dict() if self.last else None,
            "devices": [device.to_dict() for device in self.devices],
            "waiting": self.waiting,
        }


def status(home: Home) -> SyncStatus:
    """Every device this machine knows (from its journal and the sync folder): event counts,
    the last event each, segments in the folder and how many are still unread."""
    from studyctl.store import journal, materialise, segments

    conn = home.conn
    me = journal.device_id(conn)
    saved = home.state(FOLDER_KEY)
    folder = Path(saved) if saved else None
    files = _listing(folder) if folder is not None and folder.is_dir() else {}
    already = segments.read_already(conn)
    known = {summary.device: summary for summary in journal.devices(conn)}
    rows = []
    for device in sorted(set(known) | set(files) | {me}):
        summary = known.get(device)
        names = files.get(device, {})
        rows.append(
            DeviceStatus(
                device=device,
                this=device == me,
                events=summary.events if summary else 0,
                last_at=summary.last_at if summary else None,
                last_kind=summary.last_kind if summary else None,
                segments=len(names),
                unread=sum(1 for name, size in names.items() if already.get((device, name)) != size),
            )
        )
    git = folder is not None and folder.is_dir() and Repository.at(folder) is not None
    return SyncStatus(
        str(folder) if folder else None, me, git, last_sync(home), tuple(rows), materialise.waiting_count(conn)
    )
