"""Hostile Anki packages: whatever a crafted collection holds, reading it is bounded in time and
memory, and a refusal is one clear line (exit 2) with nothing written."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from studyctl.anki import apkg
from studyctl.anki.apkg import PackageError, bounded_json

MODELS = {
    "1": {
        "id": 1,
        "name": "Basic",
        "type": 0,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    }
}
DECKS = {"1": {"id": 1, "name": "Hostile", "desc": ""}}


def legacy_collection(path: Path, *, notes_sql: str, models: str | None = None, rows: int = 2) -> Path:
    """A schema-11 collection whose notes table is made by `notes_sql`."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE col (id integer primary key, crt integer, models text, decks text)")
    conn.execute(
        "INSERT INTO col VALUES (1, 0, ?, ?)", (models if models is not None else json.dumps(MODELS), json.dumps(DECKS))
    )
    conn.execute(notes_sql)
    for i in range(rows):
        conn.execute("INSERT INTO notes (id, guid, mid, tags) VALUES (?, ?, 1, '')", (i + 1, f"g{i}"))
    conn.commit()
    conn.close()
    return path


def package_of(collection: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        archive.write(collection, "collection.anki2")
        archive.writestr("media", "{}")
    return out


def refused(run, home: Path, package: Path, *parts: str) -> None:
    result = run("import", "anki", str(package))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    for part in parts:
        assert part in result.stderr
    decks = home / "content" / "decks"
    assert not decks.exists() or not list(decks.iterdir())


def test_a_generated_column_cannot_get_round_the_size_limit(run, tmp_path, studyctl_home):
    """Issue 19.5: `flds` computed on read (hex(zeroblob(...))) made a 50 KB package write 300 MB."""
    collection = legacy_collection(
        tmp_path / "gen.anki2",
        notes_sql="CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text,"
        " flds text GENERATED ALWAYS AS ('Q' || char(31) || hex(zeroblob(1500000))) VIRTUAL)",
    )
    package = package_of(collection, tmp_path / "gen.apkg")
    assert package.stat().st_size < 50_000
    refused(run, studyctl_home, package, "generated or hidden columns", "notes")


def test_a_view_in_place_of_the_notes_table_is_refused(run, tmp_path, studyctl_home):
    collection = legacy_collection(
        tmp_path / "view.anki2",
        notes_sql="CREATE TABLE real_notes (id integer primary key, guid text, mid integer, tags text, flds text)",
        rows=0,
    )
    conn = sqlite3.connect(collection)
    conn.execute(
        "CREATE VIEW notes AS SELECT 1 AS id, 'g' AS guid, 1 AS mid, '' AS tags,"
        " hex(zeroblob(1000000)) AS flds FROM real_notes"
    )
    conn.commit()
    conn.close()
    refused(run, studyctl_home, package_of(collection, tmp_path / "view.apkg"), "not a plain table")


def test_an_oversized_note_is_refused_with_the_limit_named(run, tmp_path, studyctl_home):
    collection = legacy_collection(
        tmp_path / "big.anki2",
        notes_sql="CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text, flds text)",
        rows=0,
    )
    conn = sqlite3.connect(collection)
    conn.execute("INSERT INTO notes VALUES (1, 'g', 1, '', ?)", ("Q\x1f" + "x" * (apkg.MAX_NOTE_BYTES + 10),))
    conn.commit()
    conn.close()
    package = package_of(collection, tmp_path / "big.apkg")
    refused(run, studyctl_home, package, "MiB limit for one note", "nothing was written")


def test_deeply_nested_note_type_json_is_a_clear_refusal(run, tmp_path, studyctl_home):
    """Issue 19.5: nested JSON in the note types ended in a RecursionError traceback."""
    collection = legacy_collection(
        tmp_path / "deep.anki2",
        notes_sql="CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text, flds text)",
        models="[" * 200_000 + "]" * 200_000,
    )
    refused(run, studyctl_home, package_of(collection, tmp_path / "deep.apkg"), "nested more than")


def test_the_step_budget_stops_a_runaway_read(tmp_path, monkeypatch):
    collection = legacy_collection(
        tmp_path / "many.anki2",
        notes_sql="CREATE TABLE notes (id integer primary key, guid text, mid integer, tags text, flds text)",
        rows=3000,
    )
    monkeypatch.setattr(apkg, "MAX_SQL_STEPS", 20_000)
    with pytest.raises(PackageError, match="SQLite steps"):
        apkg.read_collection(collection, "many")


@pytest.mark.parametrize("text", ['{"a": [[[1]]]}', '"[[[[ in a string"', "[]"])
def test_bounded_json_reads_ordinary_json(text):
    assert bounded_json(text, "x") == json.loads(text)


def test_bounded_json_refuses_depth_without_recursion():
    with pytest.raises(PackageError, match="nested"):
        bounded_json('{"a":' * 100 + "1" + "}" * 100, "x")
