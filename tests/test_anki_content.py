"""Deck content that Anki round trips need: reversed cards, Anki-style clozes, kept GUIDs."""

from __future__ import annotations

import sqlite3

from conftest import write

DECK = """
id: rev
title: Reversed and nested
cards:
  - {id: chat, type: basic, front: chat, back: cat, reverse: true, guid: "AbQ1#%-eUE"}
  - {id: nested, type: cloze, text: "{{c1::Attention {{c2::is all}} you}} need"}
"""


def test_a_reversed_card_and_a_nested_cloze_make_two_review_cards_each(run, tmp_path, studyctl_home):
    root = tmp_path / "c"
    write(root / "decks" / "rev.yaml", DECK)
    assert run("--content", str(root), "validate", "--strict", str(root / "decks" / "rev.yaml")).exit_code == 0
    assert run("--content", str(root), "decks").exit_code == 0
    conn = sqlite3.connect(studyctl_home / "studyctl.db")
    rows = sorted(conn.execute("SELECT note, ord FROM cards WHERE deck = 'rev'").fetchall())
    conn.close()
    assert rows == [("chat", 0), ("chat", 1), ("nested", 1), ("nested", 2)]


def test_validate_refuses_an_unclosed_cloze_with_file_and_line(run, tmp_path):
    path = write(
        tmp_path / "decks" / "bad.yaml",
        "id: bad\ntitle: Bad\ncards:\n  - {id: a, type: cloze, text: '{{c1::open and {{c2::shut}}'}\n"
        "  - {id: b, type: choice, front: Q, choices: [x, y], answer: x, reverse: true}\n",
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:4" in result.stdout + result.stderr and "{{c1:: is never closed" in result.stdout + result.stderr
    assert "'reverse' is for basic cards" in result.stdout + result.stderr
