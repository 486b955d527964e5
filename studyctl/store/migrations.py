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
