"""Deck sync: incremental, history-preserving, retire-not-delete, broken files left alone."""

import pytest
from conftest import GOOD_DECK, write

from studyctl.store import sync as sync_module
from studyctl.store.db import connect
from studyctl.store.sync import sync_decks


@pytest.fixture
def conn(studyctl_home):
    connection = connect(studyctl_home / "studyctl.db")
    yield connection
    connection.close()


@pytest.fixture
def deck_file(tmp_path):
    return write(tmp_path / "decks" / "good.yaml", GOOD_DECK)


def card(conn, note, ord=0):
    return conn.execute("SELECT * FROM cards WHERE deck = 'good' AND note = ? AND ord = ?", (note, ord)).fetchone()


def add_review(conn, card_id):
    with conn:
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind) VALUES (?, ?, 3, 4000, 'new')",
            (card_id, "2026-11-20T20:00:00+00:00"),
        )


def test_first_sync_adds_one_row_per_review_card(conn, deck_file):
    report = sync_decks(conn, [deck_file])
    assert report.parsed == ["good"]
    assert report.added == 5  # basic, choice, typed, and the cloze card's two deletions
    assert card(conn, "two", 1) and card(conn, "two", 2)


def test_unchanged_file_is_not_read_again(conn, deck_file, monkeypatch):
    sync_decks(conn, [deck_file])

    def fail(*args):
        raise AssertionError("an unchanged deck was parsed")

    monkeypatch.setattr(sync_module, "_parse_deck", fail)
    report = sync_decks(conn, [deck_file])
    assert report.unchanged == 1 and report.parsed == []


def test_touched_but_identical_file_is_not_parsed(conn, deck_file, monkeypatch):
    sync_decks(conn, [deck_file])
    deck_file.write_text(deck_file.read_text())  # new mtime, same bytes
    monkeypatch.setattr(sync_module, "_parse_deck", lambda *a: pytest.fail("parsed"))
    assert sync_decks(conn, [deck_file]).unchanged == 1


def test_edited_card_keeps_its_id_and_reviews(conn, deck_file):
    sync_decks(conn, [deck_file])
    before = card(conn, "one")
    add_review(conn, before["id"])
    deck_file.write_text(deck_file.read_text().replace("What is one?", "What is the number one?"))
    report = sync_decks(conn, [deck_file])
    after = card(conn, "one")
    assert report.updated == 1
    assert after["id"] == before["id"]
    assert after["front"] == "What is the number one?"
    reviews = conn.execute("SELECT count(*) FROM reviews WHERE card_id = ?", (after["id"],)).fetchone()[0]
    assert reviews == 1


def test_removed_card_is_retired_not_deleted_and_comes_back(conn, deck_file):
    sync_decks(conn, [deck_file])
    one = card(conn, "one")
    add_review(conn, one["id"])
    original = deck_file.read_text()
    deck_file.write_text(
        original.replace("  - id: one\n    type: basic\n    front: What is one?\n    back: One.\n", "")
    )
    assert sync_decks(conn, [deck_file]).retired == 1
    assert card(conn, "one")["retired"] == 1
    deck_file.write_text(original)
    sync_decks(conn, [deck_file])
    assert card(conn, "one")["retired"] == 0 and card(conn, "one")["id"] == one["id"]


def test_broken_file_keeps_its_cards_untouched(conn, deck_file):
    sync_decks(conn, [deck_file])
    deck_file.write_text("id: good\ntitle: [broken\n")
    report = sync_decks(conn, [deck_file])
    assert report.issues and report.issues[0].is_error
    assert conn.execute("SELECT count(*) FROM cards WHERE retired = 0").fetchone()[0] == 5


def test_deleted_deck_file_retires_its_cards(conn, deck_file):
    sync_decks(conn, [deck_file])
    deck_file.unlink()
    report = sync_decks(conn, [])
    assert report.retired == 5
    assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 5  # still there, retired


def test_two_files_claiming_one_deck_id(conn, deck_file, tmp_path):
    other = write(tmp_path / "more" / "decks" / "copy.yaml", GOOD_DECK)
    report = sync_decks(conn, [deck_file, other])
    assert any("already used by" in issue.message for issue in report.issues)
    assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 5
