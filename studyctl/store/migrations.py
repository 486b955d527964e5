"""Numbered schema migrations, applied in order wherever the database is opened.

sqlite-utils' Migrations records each applied step in `_sqlite_migrations`; PRAGMA
user_version mirrors the count so that opening an up-to-date database costs one pragma.
Never edit a released migration: add the next one.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from studyctl.store.db import SCHEMA_VERSION

migration = Migrations("studyctl")


@migration()
def m001_initial(db: Database) -> None:
    db.table("decks").create(
        {"id": str, "title": str, "title_zh": str, "path": str, "tags": str, "card_count": int, "synced_at": str},
        pk="id",
    )
    db.table("parsed_files").create(  # parse cache: a file's YAML as JSON, while size and mtime hold
        {"path": str, "mtime_ns": int, "size": int, "data": str},
        pk="path",
    )
    db.table("source_files").create(
        {"path": str, "kind": str, "item_id": str, "mtime_ns": int, "size": int, "sha256": str, "synced_at": str},
        pk="path",
    )
    db.table("cards").create(
        {
            "id": int,
            "deck": str,
            "note": str,  # the card id in the YAML: stable forever
            "ord": int,  # cloze deletion number, 0 for other types
            "type": str,
            "front": str,
            "back": str,
            "zh": str,
            "refs": str,  # JSON list
            "tags": str,  # JSON list
            "extra": str,  # JSON: choices, answer, accept, tolerance
            "content_hash": str,
            "retired": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"deck", "note", "ord", "type"},
        defaults={"retired": 0, "ord": 0},
    )
    db.table("cards").create_index(["deck", "note", "ord"], unique=True)
    db.table("card_state").create(
        {
            "card_id": int,
            "state": str,  # new | learning | review | relearning (every card has a row)
            "step": int,
            "stability": float,
            "difficulty": float,
            "due": str,  # UTC ISO 8601; NULL while new
            "last_review": str,
            "reps": int,
            "lapses": int,
        },
        pk="card_id",
        foreign_keys=[("card_id", "cards", "id")],
        defaults={"reps": 0, "lapses": 0},
    )
    db.table("card_state").create_index(["due"])
    db.table("card_state").create_index(["state", "due"])  # learning cards due now; reviews per day
    db.table("card_marks").create(  # what the user decided about a card, kept apart from its schedule
        {
            "card_id": int,
            "suspended": int,
            "leech": int,
            "buried_until": str,  # UTC; hidden from the queue until then
            "flag_note": str,  # flagged as wrong or unclear, with the user's note
            "flagged_at": str,
        },
        pk="card_id",
        foreign_keys=[("card_id", "cards", "id")],
        defaults={"suspended": 0, "leech": 0},
    )
    db.table("schedulers").create(  # every FSRS configuration ever used, so replay uses the same one
        {"id": int, "config": str, "created_at": str},
        pk="id",
    )
    db.table("schedulers").create_index(["config"], unique=True)
    db.table("reviews").create(
        {
            "id": int,
            "card_id": int,
            "reviewed_at": str,  # UTC, whole seconds (the time FSRS computed with)
            "rating": int,  # 1 Again, 2 Hard, 3 Good, 4 Easy
            "duration_ms": int,
            "kind": str,  # the card's state before: new | learning | review | relearning | cram
            "grading": str,  # self | auto | override
            "answer": str,  # what the user typed or chose, for auto-graded cards
            "due_after": str,  # the due time chosen (after fuzz and load balancing)
            "scheduler_id": int,
        },
        pk="id",
        not_null={"card_id", "reviewed_at", "rating", "kind"},
        foreign_keys=[("card_id", "cards", "id"), ("scheduler_id", "schedulers", "id")],
    )
    db.table("reviews").create_index(["card_id", "reviewed_at"])
    # covering index for per-day counts, answer times and study minutes: no table lookups
    db.table("reviews").create_index(["reviewed_at", "kind", "duration_ms"], index_name="idx_reviews_time")
    db.execute(
        "CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews "
        "BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END"
    )
    db.table("task_log").create(
        {"id": int, "roadmap": str, "task": str, "status": str, "minutes": int, "day": str, "logged_at": str},
        pk="id",
        not_null={"roadmap", "task", "status"},
    )
    db.table("task_log").create_index(["roadmap", "task"])
    db.table("lab_runs").create(
        {
            "id": int,
            "lab": str,
            "started_at": str,
            "seconds": float,
            "device": str,
            "passed": int,
            "steps": str,  # JSON list of {name, status, message}
            "metrics": str,  # JSON mapping
            "files_hash": str,
        },
        pk="id",
        not_null={"lab", "started_at", "passed"},
    )
    db.table("lab_runs").create_index(["lab", "started_at"])


@migration()
def m002_machine_state(db: Database) -> None:
    """One key-value table for what studyctl remembers about this machine (see store/state.py),
    filled from the JSON files earlier versions kept beside the database, which are then renamed
    to *.imported (kept, not deleted, in case the user wants them back)."""
    db.table("machine_state").create({"key": str, "value": str, "updated_at": str}, pk="key", not_null={"value"})
    home = _database_folder(db)
    if home is None:
        return
    legacy = {
        "optimize/last": home / "optimize.json",
        "anki/stamps": home / "anki-export.json",
        "labs/workspaces": home / "labs" / "workspaces.json",
    }
    for key, path in legacy.items():
        value = _read_json(path)
        if key == "anki/stamps" and isinstance(value, dict):
            value = value.get("stamps") if value.get("version") == 1 else None
        if isinstance(value, dict):
            db.table("machine_state").insert(
                {"key": key, "value": json.dumps(value, ensure_ascii=False), "updated_at": ""}
            )
            _retire(path)
    labs = home / "labs"
    for state_file in sorted(labs.glob("*/.studyctl-lab.json")) if labs.is_dir() else []:
        value = _read_json(state_file)
        if isinstance(value, dict) and isinstance(value.get("hints_shown"), int):
            key = f"labs/hints/{state_file.parent.name}"
            db.table("machine_state").insert(
                {"key": key, "value": str(value["hints_shown"]), "updated_at": ""}, replace=True
            )
            _retire(state_file)


@migration()
def m003_journal(db: Database) -> None:
    """The journal (store/journal.py): every change as an append-only event with a globally
    unique id and the device that made it, so that two machines' histories can be merged.
    Existing reviews, task log entries, lab runs and card marks are written into it, and the
    live tables get the uid of the event that made each row."""
    import socket

    from studyctl.store import journal

    db.execute(
        "CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, "
        "device TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', "
        "data TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX journal_subject ON journal (subject, at)")
    db.execute("CREATE INDEX journal_device ON journal (device, seq)")
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER journal_append_only_{action.lower()} BEFORE {action} ON journal "
            "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END"
        )
    host = "".join(c if c.isalnum() else "-" for c in socket.gethostname().lower()).strip("-")[:24] or "device"
    device = f"{host}-{journal.new_uid()[-6:]}"
    db.table("machine_state").insert(
        {"key": journal.DEVICE_KEY, "value": json.dumps(device), "updated_at": ""}, replace=True
    )
    for table in ("reviews", "task_log", "lab_runs"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        db.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table} (uid)")
    conn = db.conn
    configs = {row[0]: row[1] for row in conn.execute("SELECT id, config FROM schedulers")}
    conn.execute("DROP TRIGGER reviews_append_only")  # to give existing rows their uid, once
    rows = conn.execute(
        "SELECT r.*, c.deck, c.note, c.ord FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.id"
    ).fetchall()
    for row in rows:
        data = _row_dict(conn, "reviews", row, extra=("deck", "note", "ord"))
        uid = journal.new_uid(_millis(data["reviewed_at"]))
        event = {
            key: data[key] for key in ("reviewed_at", "rating", "duration_ms", "kind", "grading", "answer", "due_after")
        }
        event["card"] = journal.card_key(data["deck"], data["note"], data["ord"])
        event["scheduler"] = configs.get(data["scheduler_id"])
        journal.append(conn, journal.REVIEW, event["card"], event, at=data["reviewed_at"], uid=uid, device=device)
        conn.execute("UPDATE reviews SET uid = ? WHERE id = ?", (uid, data["id"]))
    conn.execute(
        "CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews "
        "BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END"
    )
    for row in conn.execute("SELECT * FROM task_log ORDER BY id").fetchall():
        data = _row_dict(conn, "task_log", row)
        at = data["logged_at"] or f"{data['day']}T00:00:00+00:00"
        uid = journal.new_uid(_millis(at))
        event = {key: data[key] for key in ("roadmap", "task", "status", "minutes", "day", "logged_at")}
        journal.append(conn, journal.TASK, f"{data['roadmap']}/{data['task']}", event, at=at, uid=uid, device=device)
        conn.execute("UPDATE task_log SET uid = ? WHERE id = ?", (uid, data["id"]))
    for row in conn.execute("SELECT * FROM lab_runs ORDER BY id").fetchall():
        data = _row_dict(conn, "lab_runs", row)
        uid = journal.new_uid(_millis(data["started_at"]))
        event = {key: data[key] for key in ("lab", "started_at", "seconds", "device", "passed", "files_hash")}
        event.update(steps=json.loads(data["steps"] or "[]"), metrics=json.loads(data["metrics"] or "{}"))
        journal.append(conn, journal.LAB, data["lab"], event, at=data["started_at"], uid=uid, device=device)
        conn.execute("UPDATE lab_runs SET uid = ? WHERE id = ?", (uid, data["id"]))
    marks = conn.execute(
        "SELECT m.*, c.deck, c.note, c.ord FROM card_marks m JOIN cards c ON c.id = m.card_id ORDER BY m.card_id"
    ).fetchall()
    for row in marks:
        data = _row_dict(conn, "card_marks", row, extra=("deck", "note", "ord"))
        key = journal.card_key(data["deck"], data["note"], data["ord"])
        values = {k: data[k] for k in ("suspended", "leech", "buried_until", "flag_note", "flagged_at")}
        at = data["flagged_at"] or "1970-01-01T00:00:00+00:00"
        journal.append(conn, journal.MARK, key, {"card": key, "set": values}, at=at, device=device)


@migration()
def m004_sync(db: Database) -> None:
    """What device sync (service/sync.py) keeps: the segment files this database wrote and read
    (so a sync reads only new ones), the events waiting for a card this machine doesn't have
    yet (a deck it lacks), and an index to find what an undo took back."""
    db.execute(
        "CREATE TABLE sync_segments (device TEXT NOT NULL, name TEXT NOT NULL, direction TEXT NOT NULL, "
        "size INTEGER NOT NULL, events INTEGER NOT NULL, first_seq INTEGER, last_seq INTEGER, at TEXT NOT NULL, "
        "PRIMARY KEY (device, name))"
    )
    db.execute("CREATE TABLE journal_waiting (uid TEXT PRIMARY KEY, subject TEXT NOT NULL)")
    db.execute("CREATE INDEX journal_undo_target ON journal (json_extract(data, '$.target')) WHERE kind = 'undo'")


@migration()
def m005_card_search(db: Database) -> None:
    """Full-text search over cards (`studyctl cards`, the TUI's browse screen): an FTS5 index on
    front, back, zh and tags, kept in step with every write to `cards` (deck sync included) by
    sqlite-utils' triggers. The trigram tokenizer matches any part of a word, as Anki's search
    does, and Chinese text, which has no spaces between words."""
    db.table("cards").enable_fts(
        ["front", "back", "zh", "tags"], fts_version="FTS5", create_triggers=True, tokenize="trigram"
    )
    # the review queue reads a deck's new cards in file order and stops at the day's limit
    db.table("cards").create_index(["deck", "id"], index_name="idx_cards_deck_id", if_not_exists=True)


def _row_dict(conn: sqlite3.Connection, table: str, row: Any, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row as a dict, whatever the connection's row factory."""
    if hasattr(row, "keys"):
        return dict(zip(row.keys(), tuple(row), strict=True))
    columns = [info[1] for info in conn.execute(f"PRAGMA table_info({table})")]
    return dict(zip([*columns, *extra], tuple(row), strict=True))


def _millis(iso: str) -> int:
    import datetime as dt

    try:
        return int(dt.datetime.fromisoformat(iso).timestamp() * 1000)
    except (TypeError, ValueError):
        return 0


def _database_folder(db: Database) -> Path | None:
    """The folder of the database file (None for an in-memory database)."""
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2]).parent
    return None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _retire(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rename(path.with_name(path.name + ".imported"))


def migrate(conn: sqlite3.Connection) -> None:
    """Apply pending migrations and record the schema version (inside the caller's transaction,
    so each migration runs in a savepoint and a failure leaves the file as it was)."""
    db = Database(conn, execute_plugins=False)
    migration.apply(db)
    applied = len(migration.applied(db))
    if applied != SCHEMA_VERSION:  # pragma: no cover - a developer forgot to bump the constant
        raise RuntimeError(f"{applied} migrations applied but SCHEMA_VERSION is {SCHEMA_VERSION}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
