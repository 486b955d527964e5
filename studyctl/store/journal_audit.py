"""`db rebuild --from-journal`: compare the live tables with what the whole journal says they
should hold, and repair them. The journal is the source of truth; each live row names the
event that made it (its uid), so a row no standing event explains is damage, and so is a
standing event without its row (for a card this machine has).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from studyctl.store import journal, materialise, reviewing


@dataclass
class TableCheck:
    table: str
    missing: list[tuple[Any, ...]] = field(default_factory=list)  # rows the journal asks for, absent
    extra: list[int] = field(default_factory=list)  # rowids of live rows no standing event explains
    changed: list[tuple[Any, ...]] = field(default_factory=list)  # rows whose live copy differs

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.changed)

    def to_dict(self) -> dict[str, Any]:
        counts = {"missing": len(self.missing), "extra": len(self.extra), "changed": len(self.changed)}
        return {"table": self.table, **counts}


@dataclass
class JournalCheck:
    tables: list[TableCheck]
    marks: dict[int, dict[str, Any]]  # card id -> marks the journal folds to, where the live row differs
    events: int = 0

    @property
    def differences(self) -> int:
        return sum(table.differences for table in self.tables) + len(self.marks)

    def to_dict(self) -> dict[str, Any]:
        return {"events": self.events, "tables": [t.to_dict() for t in self.tables], "marks": len(self.marks)}


def check(conn: sqlite3.Connection) -> JournalCheck:
    """What the live tables lack or hold beyond the journal (reads only; run it inside a
    transaction for a consistent snapshot)."""
    events = [journal.Event.from_row(row) for row in conn.execute(
        "SELECT seq, uid, device, at, kind, subject, data FROM journal ORDER BY at, uid"
    )]  # fmt: skip
    taken_back = {str(e.data.get("target")) for e in events if e.kind == journal.UNDO}
    standing = [e for e in events if e.uid not in taken_back and e.kind != journal.UNDO]
    cards = materialise.card_ids(conn, {e.subject for e in standing if e.kind in (journal.REVIEW, journal.MARK)})
    configs = {config: scheduler_id for scheduler_id, config in reviewing.scheduler_configs(conn).items()}
    expected: dict[str, dict[str, tuple[Any, ...]]] = {"reviews": {}, "task_log": {}, "lab_runs": {}}
    folded: dict[int, dict[str, Any]] = {}
    for event in standing:
        card_id = cards.get(event.subject)
        if event.kind == journal.REVIEW and card_id is not None:
            config = event.data.get("scheduler")
            row = materialise.review_row(event, card_id, configs.get(config) if isinstance(config, str) else None)
            expected["reviews"][event.uid] = row
        elif event.kind == journal.TASK:
            expected["task_log"][event.uid] = materialise.task_row(event)
        elif event.kind == journal.LAB:
            expected["lab_runs"][event.uid] = materialise.lab_row(event)
        elif event.kind == journal.MARK and card_id is not None:
            folded.setdefault(card_id, dict(reviewing.NO_MARKS)).update(event.data.get("set", {}))
    columns = {
        "reviews": [*materialise.REVIEW_COLUMNS, "scheduler_id"],
        "task_log": list(materialise.TASK_COLUMNS),
        "lab_runs": list(materialise.LAB_COLUMNS),
    }
    tables = [_compare(conn, table, columns[table], expected[table]) for table in ("reviews", "task_log", "lab_runs")]
    return JournalCheck(tables, _marks_differing(conn, folded), len(events))


def repair(conn: sqlite3.Connection, found: JournalCheck) -> set[int]:
    """Make the live tables what the journal says (inside the caller's transaction); returns the
    cards whose reviews changed, for replay."""
    cards: set[int] = set()
    names = {
        "reviews": [*materialise.REVIEW_COLUMNS, "scheduler_id", "uid"],
        "task_log": [*materialise.TASK_COLUMNS, "uid"],
        "lab_runs": [*materialise.LAB_COLUMNS, "uid"],
    }
    schedulers = materialise.Schedulers(conn)
    for table in found.tables:
        if table.table == "reviews":
            cards |= {int(row[0]) for row in [*table.missing, *table.changed]}
            for rowid in table.extra:
                cards |= {int(r[0]) for r in conn.execute("SELECT card_id FROM reviews WHERE rowid = ?", (rowid,))}
        conn.executemany(f"DELETE FROM {table.table} WHERE rowid = ?", [(rowid,) for rowid in table.extra])
        conn.executemany(f"DELETE FROM {table.table} WHERE uid = ?", [(row[-1],) for row in table.changed])
        rows = [*table.missing, *table.changed]
        if table.table == "reviews":  # a config the schedulers table lost is added back
            rows = [_with_scheduler(conn, schedulers, row) for row in rows]
        marks = ", ".join("?" for _ in names[table.table])
        conn.executemany(f"INSERT INTO {table.table} ({', '.join(names[table.table])}) VALUES ({marks})", rows)
    for card_id in found.marks:
        reviewing.refold_marks(conn, card_id)
    return cards


def _with_scheduler(
    conn: sqlite3.Connection, schedulers: materialise.Schedulers, row: tuple[Any, ...]
) -> tuple[Any, ...]:
    if row[-2] is not None:
        return row
    event = journal.by_uid(conn, [row[-1]])
    config = event[0].data.get("scheduler") if event else None
    return (*row[:-2], schedulers.id_of(config, row[1]), row[-1])


def _compare(
    conn: sqlite3.Connection, table: str, columns: list[str], expected: dict[str, tuple[Any, ...]]
) -> TableCheck:
    result = TableCheck(table)
    live: dict[str, tuple[Any, ...]] = {}
    for row in conn.execute(f"SELECT rowid, {', '.join(columns)}, uid FROM {table}"):
        if row[-1] is None or row[-1] not in expected:
            result.extra.append(int(row[0]))
        else:
            live[row[-1]] = tuple(row)[1:]
    for uid, row in expected.items():
        if uid not in live:
            result.missing.append(row)
        elif _normal(table, live[uid]) != _normal(table, row):
            result.changed.append(row)
    return result


def _normal(table: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Lab rows keep steps and metrics as JSON text: compare what the text says."""
    if table != "lab_runs":
        return row
    steps, metrics = materialise.LAB_COLUMNS.index("steps"), materialise.LAB_COLUMNS.index("metrics")
    values = list(row)
    for index in (steps, metrics):
        values[index] = json.loads(values[index] or "null")
    return tuple(values)


def _marks_differing(conn: sqlite3.Connection, folded: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    live = {int(row["card_id"]): dict(row) for row in conn.execute("SELECT * FROM card_marks")}
    differing = {}
    for card_id in set(live) | set(folded):
        want = _marks_of(folded.get(card_id))
        have = _marks_of(live.get(card_id))
        if want != have:
            differing[card_id] = want
    return differing


def _marks_of(row: dict[str, Any] | None) -> dict[str, Any]:
    return {name: (row or {}).get(name, default) for name, default in reviewing.NO_MARKS.items()}
