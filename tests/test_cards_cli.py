"""Finding, inspecting, editing and adding cards through the real CLI: `cards` (full-text search
kept in step with the deck files), `card info`, `edit` (built-in decks copied first, history
kept, a bad $EDITOR refused with the card's place), `add` (validated before saving) and
`unsuspend`."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from conftest import write

from studyctl import paths

DECK = """
id: quiz
title: Quiz
# a comment the tools must keep
cards:
  - id: chain
    type: basic
    front: Why does backpropagation need the chain rule?
    back: Gradients of a composition multiply.
    zh: 反向传播
    tags: [interview]
  - id: kl
    type: basic
    front: What does KL divergence measure?
    back: Extra nats.
  - id: pair
    type: cloze
    text: "{{c1::Adam}} keeps {{c2::two}} moving averages."
"""


def quiz_home(tmp_path: Path, home: Path, monkeypatch=None) -> Path:
    """The quiz deck as the only deck (no built-in ones, when `monkeypatch` is given)."""
    if monkeypatch is not None:
        empty = tmp_path / "builtin"
        empty.mkdir()
        monkeypatch.setattr("studyctl.paths.builtin_content_root", lambda: empty)
    content = tmp_path / "content"
    write(content / "decks" / "quiz.yaml", DECK)
    write(home / "settings.yaml", f"content_dirs: [{content}]\n")
    return content / "decks" / "quiz.yaml"


def keys(result) -> list[str]:
    return [row["key"] for row in json.loads(result.stdout)]


def test_search_words_phrases_filters_and_chinese(run, tmp_path, studyctl_home, monkeypatch):
    quiz_home(tmp_path, studyctl_home, monkeypatch)
    q = ("--deck", "quiz", "--json")
    assert keys(run("cards", "backprop", *q)) == ["quiz/chain"]  # part of a word, any case
    assert keys(run("cards", "CHAIN RULE", *q)) == ["quiz/chain"]  # every word
    assert keys(run("cards", '"moving averages"', *q)) == ["quiz/pair/1", "quiz/pair/2"]
    assert keys(run("cards", "反向", *q)) == ["quiz/chain"]  # two characters: no space between words
    assert keys(run("cards", "反向传播", *q)) == ["quiz/chain"]
    assert keys(run("cards", "tag:interview", *q)) == ["quiz/chain"]
    assert keys(run("cards", "what", "-divergence", *q)) == []
    assert keys(run("cards", "nats", *q)) == ["quiz/kl"]  # the back too
    assert keys(run("cards", "is:new", "deck:qu*", "--json")) == ["quiz/chain", "quiz/kl", "quiz/pair/1", "quiz/pair/2"]
    text = run("cards", "kl", "--deck", "quiz")
    assert text.stdout.startswith("quiz/kl") and "What does KL divergence measure?" in text.stdout
    assert text.stderr == "1 card\n"
    bad = run("cards", "is:nonsense")
    assert bad.exit_code == 2 and "unknown 'is:nonsense'" in bad.stderr


def test_search_follows_the_deck_files(run, tmp_path, studyctl_home, monkeypatch):
    deck = quiz_home(tmp_path, studyctl_home, monkeypatch)
    assert keys(run("cards", "divergence", "--json")) == ["quiz/kl"]
    deck.write_text(deck.read_text().replace("KL divergence", "relative entropy"))
    assert keys(run("cards", "divergence", "--json")) == []
    assert keys(run("cards", "relative entropy", "--json")) == ["quiz/kl"]
    deck.write_text(deck.read_text().replace("  - id: kl\n", "  - id: kl2\n"))
    assert keys(run("cards", "relative entropy", "--json")) == ["quiz/kl2"]  # the old id is retired


def test_state_filter_and_unsuspend(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    run("review", "--deck", "quiz", input="\n:s\n")  # suspend the first card
    assert keys(run("cards", "--state", "suspended", "--json")) == ["quiz/chain"]
    listed = run("cards", "--deck", "quiz")
    assert "quiz/chain" in listed.stdout and "suspended" in listed.stdout
    assert run("unsuspend", "quiz/chain").stdout == "Unsuspended quiz/chain (1 card).\n"
    assert keys(run("cards", "--state", "suspended", "--json")) == []
    missing = run("unsuspend", "quiz/chian")
    assert missing.exit_code == 2 and "Did you mean: quiz/chain" in missing.stderr


def test_card_info_shows_schedule_and_every_review(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    run("review", "--deck", "quiz", "--limit", "1", input="\n3\n")
    info = run("card", "info", "quiz/chain")
    assert info.exit_code == 0, info.output
    out = info.stdout
    assert out.startswith("quiz/chain  ·  basic  ·  ") and "quiz.yaml:5" in out
    assert "State: learning (1 review, 0 lapses)" in out and "Stability " in out and "retrievability" in out
    assert "Reviews (1):" in out and "new         Good   self" in out
    data = json.loads(run("card", "info", "quiz/chain", "--json").stdout)
    assert data[0]["state"] == "learning" and 0 < data[0]["retrievability"] <= 1
    assert [entry["rating"] for entry in data[0]["reviews"]] == [3]
    cloze = json.loads(run("card", "info", "quiz/pair", "--json").stdout)
    assert [card["key"] for card in cloze] == ["quiz/pair/1", "quiz/pair/2"]
    assert json.loads(run("card", "info", "quiz/pair/2", "--json").stdout)[0]["reviews"] == []


FAKE_EDITOR = """
import sys, pathlib
args = sys.argv[1:]
pathlib.Path(sys.argv[0]).with_suffix(".args").write_text(" ".join(args))
path = pathlib.Path(args[-1])
path.write_text(path.read_text().replace({old!r}, {new!r}))
"""


def fake_editor(tmp_path: Path, old: str, new: str) -> tuple[str, Path]:
    script = write(tmp_path / "editor.py", FAKE_EDITOR.format(old=old, new=new))
    return f"{sys.executable} {script}", script.with_suffix(".args")


def test_edit_a_builtin_card_copies_the_deck_and_keeps_its_history(run, tmp_path, studyctl_home, monkeypatch):
    key = "dl-fundamentals/backprop-chain-rule"
    run("review", "--deck", "dl-fundamentals", "--limit", "1", input="\n3\n")
    before = json.loads(run("card", "info", key, "--json").stdout)[0]
    builtin = Path(before["file"])
    builtin_text = builtin.read_text()
    editor, args = fake_editor(tmp_path, "How does backpropagation use", "What exactly does backprop use")
    monkeypatch.setenv("EDITOR", editor)
    result = run("edit", key)
    assert result.exit_code == 0, result.output
    copy = paths.user_content_dir() / "decks" / "dl-fundamentals.yaml"
    assert "Copied the built-in deck to" in result.stderr and result.stdout == f"Saved {key}.\n"
    assert args.read_text() == f"+{before['line']} {copy}"  # opened at the card's line
    assert builtin.read_text() == builtin_text  # the installed file is never touched
    after = json.loads(run("card", "info", key, "--json").stdout)[0]
    assert after["front"].startswith("What exactly does backprop use")
    assert after["file"] == str(copy) and after["id"] == before["id"]
    assert after["reviews"] == before["reviews"] and after["state"] == before["state"]


def test_edit_that_breaks_the_file_is_reported(run, tmp_path, studyctl_home, monkeypatch):
    deck = quiz_home(tmp_path, studyctl_home, monkeypatch)
    editor, _ = fake_editor(
        tmp_path, "    type: basic\n    front: What does KL", "    type: nonsense\n    front: What does KL"
    )
    monkeypatch.setenv("EDITOR", editor)
    result = run("edit", "quiz/kl")
    assert result.exit_code == 2
    assert f"{deck}:" in result.stderr and "'type' should be one of" in result.stderr
    assert keys(run("cards", "divergence", "--json")) == ["quiz/kl"]  # the last good text stays


def test_bad_or_missing_editor_names_the_card_place(run, tmp_path, studyctl_home, monkeypatch):
    deck = quiz_home(tmp_path, studyctl_home)
    monkeypatch.setenv("EDITOR", "/no/such/editor --wait")
    bad = run("edit", "quiz/kl")
    assert bad.exit_code == 2
    assert f"$EDITOR '/no/such/editor --wait' is not a program that can be run; the card is at {deck}:11" in bad.stderr
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL", raising=False)
    unset = run("edit", "quiz/kl")
    assert unset.exit_code == 2 and "no editor: set $EDITOR" in unset.stderr and f"{deck}:11" in unset.stderr


def test_add_cards_of_every_type_to_the_inbox(run, studyctl_home):
    added = run(
        "add", "--front", "What does KL(P||Q) measure?", "--back", "Extra nats.", "--zh", "KL散度", "--tag", "info"
    )
    inbox = paths.user_content_dir() / "decks" / "inbox.yaml"
    assert added.stdout == f"Added inbox/what-does-kl-p-q-measure to {inbox}:5 (a new deck file).\n"
    run("add", "--type", "cloze", "--front", "{{c1::Adam}} keeps {{c2::two}} averages.")
    run("add", "--type", "choice", "--front", "Pick RMSProp", "--choice", "SGD | RMSProp", "--answer", "RMSProp")
    typed = run("add", "--type", "typed", "--front", "ln 10?", "--answer", "2.30", "--tolerance", "0.01", "--json")
    assert json.loads(typed.stdout)["key"] == "inbox/ln-10"
    again = run("add", "--front", "What does KL(P||Q) measure?", "--back", "Same question, other card.")
    assert "inbox/what-does-kl-p-q-measure-2" in again.stdout  # ids stay unique
    found = keys(run("cards", "--deck", "inbox", "--json"))
    assert found == [
        "inbox/what-does-kl-p-q-measure",
        "inbox/adam-keeps-two-averages/1",
        "inbox/adam-keeps-two-averages/2",
        "inbox/pick-rmsprop",
        "inbox/ln-10",
        "inbox/what-does-kl-p-q-measure-2",
    ]
    shown = run("review", "--deck", "inbox", "--limit", "1", input="\n3\n")  # in the very next review
    assert "What does KL(P||Q) measure?" in shown.stdout


def test_add_refuses_an_invalid_card_and_leaves_the_file(run, tmp_path, studyctl_home):
    deck = quiz_home(tmp_path, studyctl_home)
    text = deck.read_text()
    bad = run("add", "--deck", "quiz", "--type", "choice", "--front", "Pick", "--choice", "a | b", "--answer", "c")
    assert bad.exit_code == 2 and "'answer' 'c' should be exactly one of the choices" in bad.stderr
    cloze = run("add", "--deck", "quiz", "--type", "cloze", "--front", "no deletion here")
    assert cloze.exit_code == 2 and "at least one deletion" in cloze.stderr
    assert deck.read_text() == text
    good = run("add", "--deck", "quiz", "--front", "New one?", "--back", "Yes.")
    assert good.exit_code == 0
    assert deck.read_text().startswith(text) and "# a comment the tools must keep" in deck.read_text()
    assert "quiz/new-one" in keys(run("cards", "--deck", "quiz", "--json"))


def test_add_asks_for_the_fields(run, studyctl_home):
    result = run("add", "--deck", "mine", input="typed\nHow many layers has BERT-base?\n12\n\n")
    assert result.exit_code == 0, result.output
    (card,) = json.loads(run("card", "info", "mine/how-many-layers-has-bert-base", "--json").stdout)
    assert card["type"] == "typed" and card["extra"]["answer"] == "12"


def test_fts_index_is_built_for_an_existing_database(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    run("decks")
    conn = sqlite3.connect(studyctl_home / "studyctl.db")  # back to schema 4: no index
    with conn:
        for trigger in ("cards_ai", "cards_ad", "cards_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE cards_fts")
        conn.execute("DROP INDEX idx_cards_deck_id")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_card_search'")
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    assert keys(run("cards", "backprop", "--deck", "quiz", "--json")) == ["quiz/chain"]
