"""The SQLite store: pragmas, migrations, schema version, append-only review log."""

import sqlite3

import pytest

from studyctl.store import migrations
from studyctl.store.backup import backups
from studyctl.store.db import SCHEMA_VERSION, DatabaseProblem, SchemaTooNew, connect, schema_version

JAN_1 = "2026-01-01T00:00:00+00:00"


def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path):
    conn = connect(tmp_path / "s.db")
    assert schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"cards", "card_state", "reviews", "task_log", "lab_runs", "decks", "source_files"} <= tables


def test_schema_version_matches_the_migrations():
    assert len(migrations.migration._migrations) == SCHEMA_VERSION


def test_an_empty_sqlite_file_becomes_ours_but_another_programs_is_refused(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("VACUUM").connection.close()  # a valid file with no tables
    assert schema_version(connect(empty)) == SCHEMA_VERSION
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE keep_me (x)").connection.commit()  # version 0
    before = foreign.read_bytes()
    with pytest.raises(DatabaseProblem, match="not studyctl's"):
        connect(foreign)
    assert foreign.read_bytes() == before


def older_database(path):
    """A studyctl database as an older release left it: every migration but the last."""
    from sqlite_utils import Database

    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.migration.apply(db, stop_before=migrations.migration._migrations[-1].name)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.execute("INSERT INTO machine_state (key, value, updated_at) VALUES ('mark', '1', 'x')")
    conn.commit()
    conn.close()


def test_older_database_is_backed_up_then_migrated_in_place(tmp_path):
    path = tmp_path / "old.db"
    older_database(path)
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION
    (copy,) = backups(path)
    assert copy.name.endswith(f"-before-v{SCHEMA_VERSION}.db")
    saved = sqlite3.connect(copy)
    assert saved.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    assert saved.execute("SELECT value FROM machine_state WHERE key = 'mark'").fetchone()[0] == "1"


def test_newer_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="written by a newer studyctl"):
        connect(path)
    assert path.read_bytes() == before


def test_cli_refuses_newer_database_with_a_clear_message(run, studyctl_home):
    studyctl_home.mkdir()
    raw = sqlite3.connect(studyctl_home / "studyctl.db")
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    result = run("today", "--plain")
    assert result.exit_code == 2
    assert "schema version 99" in result.stderr and "Upgrade studyctl" in result.stderr


def test_review_log_is_append_only(tmp_path):
    conn = connect(tmp_path / "s.db")
    with conn:
        conn.execute("INSERT INTO cards (deck, note, ord, type) VALUES ('d', 'n', 0, 'basic')")
        conn.execute("INSERT INTO reviews (card_id, reviewed_at, rating, kind) VALUES (1, ?, 3, 'review')", (JAN_1,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE reviews SET rating = 1")


def test_reviews_must_name_a_real_card(tmp_path):
    conn = connect(tmp_path / "s.db")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO reviews (card_id, reviewed_at, rating, kind) VALUES (42, ?, 3, 'new')", (JAN_1,))


def test_two_processes_opening_a_fresh_home_at_once(tmp_path):
    """Migration and first sync race: both must succeed and the cards must not be doubled."""
    import json
    import os
    import subprocess
    import sys

    for attempt in range(3):
        env = dict(os.environ, STUDYCTL_HOME=str(tmp_path / f"home{attempt}"))
        command = [sys.executable, "-m", "studyctl", "decks", "--json"]
        procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outputs = [proc.communicate(timeout=60) for proc in procs]
        for proc, (out, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, err.decode()
            decks = {deck["id"]: deck for deck in json.loads(out)}
            assert decks["dl-fundamentals"]["cards"] == decks["dl-fundamentals"]["new"] > 0
        conn = connect(tmp_path / f"home{attempt}" / "studyctl.db")
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM cards GROUP BY deck, note, ord HAVING count(*) > 1)"
        )
        assert doubled.fetchone()[0] == 0
