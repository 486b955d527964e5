"""`studyctl export anki`, checked by real Anki: Anki's own `anki` package (a test-only
dependency) imports the .apkg into a fresh collection, and a re-export after an edit updates
that note instead of adding a second one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
from conftest import REPO, write

from studyctl.anki import models
from studyctl.anki.export import anki_deck_id, note_guid
from studyctl.anki.stamps import Stamps, content_hash

DEMO_DECK = r"""
id: anki-demo
title: Anki demo deck
title_zh: 演示卡组
description: Every card type, with code, math and markup.
tags: [demo, "deep learning"]
cards:
  - id: relu-basic
    type: basic
    front: "What does `nn.ReLU()` return for x < 0?"
    back: |
      Zero: $\max(0, x)$ clips negatives & keeps <positives>. In code:
      ```python
      def relu(x):
          return x.clamp(min=0)  # <tensor>
      ```
      Its derivative is $$\mathbb{1}[x > 0]$$
        - indented line
    zh: 线性整流函数
    refs: ["d2l 5.1.2", "NNDL (邱锡鹏) ch4"]
    tags: [activation, "needs review"]
  - id: sigmoid-cloze
    type: cloze
    text: "The sigmoid is {{c1::$\\sigma(x) = 1/(1+e^{-x})$}}; its outputs lie in {{c2::(0, 1)::an interval}}."
    back: Saturates at both ends.
    zh: S型函数
    refs: ["d2l 5.1.2"]
  - id: adam-choice
    type: choice
    front: Which quantities does Adam keep moving averages of?
    choices:
      - The gradient only
      - "`g` and `g²`"
      - The Hessian <diagonal>
    answer: "`g` and `g²`"
    back: First and second moments.
    zh: Adam优化器
    refs: ["d2l 12.10"]
  - id: conv-typed
    type: typed
    front: "A 32x32 input, kernel 5, stride 1, padding 0: output width?"
    answer: 28
    accept: ["28 px", "28px"]
    tolerance: 0.5
    back: (W - K + 2P) / S + 1 = 28
    zh: 卷积输出尺寸
    refs: ["d2l 7.3"]
  - id: relu-name-typed
    type: typed
    front: Name the activation max(0, x).
    answer: ReLU
    zh: 线性整流函数
    refs: ["d2l 5.1.2"]
"""


@pytest.fixture
def demo(tmp_path) -> Path:
    """A content root holding the demo deck."""
    root = tmp_path / "demo-content"
    write(root / "decks" / "anki-demo.yaml", DEMO_DECK)
    return root


def export(run, root: Path, out: Path, *args: str):
    result = run("--content", str(root), "export", "anki", "--deck", "anki-demo", "-o", str(out), *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def anki_import(collection_path: Path, package: Path) -> tuple[dict, dict]:
    """Import `package` with real Anki into the collection at `collection_path` (created if
    new); returns the import log's counts and every note in the collection, by GUID."""
    col = Collection(str(collection_path))
    try:
        options = ImportAnkiPackageOptions(
            update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
            update_notetypes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
            with_scheduling=False,
        )
        result = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
        log = result.log
        counts = {
            "new": len(log.new),
            "updated": len(log.updated),
            "duplicate": len(log.duplicate),
            "conflicting": len(log.conflicting),
        }
        notes = {}
        for note_id in col.find_notes(""):
            note = col.get_note(note_id)
            cards = note.cards()
            notes[note.guid] = {
                "fields": dict(note.items()),
                "tags": note.tags,
                "model": note.note_type()["name"],
                "model_id": note.note_type()["id"],
                "decks": sorted({col.decks.name(card.did) for card in cards}),
                "questions": [card.question() for card in cards],
                "answers": [card.answer() for card in cards],
                "mod": note.mod,
            }
        return counts, notes
    finally:
        col.close()


def guid(card_id: str) -> str:
    return note_guid("anki-demo", card_id)


def test_real_anki_imports_every_card_with_its_note_type_deck_tags_and_fields(run, demo, tmp_path):
    out = tmp_path / "demo.apkg"
    result = export(run, demo, out)
    assert "5 notes" in result.stdout and "6 cards" in result.stdout

    counts, notes = anki_import(tmp_path / "fresh.anki2", out)

    assert counts == {"new": 5, "updated": 0, "duplicate": 0, "conflicting": 0}
    assert set(notes) == {
        guid(c) for c in ("relu-basic", "sigmoid-cloze", "adam-choice", "conv-typed", "relu-name-typed")
    }
    assert {n["model"] for n in notes.values()} == {
        "studyctl basic",
        "studyctl cloze",
        "studyctl choice",
        "studyctl typed",
    }
    assert {n["model_id"] for n in notes.values()} == {
        models.BASIC_ID,
        models.CLOZE_ID,
        models.CHOICE_ID,
        models.TYPED_ID,
    }
    assert all(n["decks"] == ["studyctl::anki-demo"] for n in notes.values())

    basic = notes[guid("relu-basic")]
    assert basic["model"] == "studyctl basic"
    assert sorted(basic["tags"]) == ["activation", "deep_learning", "demo", "needs_review"]
    fields = basic["fields"]
    assert list(fields) == ["Front", "Back", "Chinese", "Refs"]
    assert fields["Front"] == "What does <code>nn.ReLU()</code> return for x &lt; 0?"
    back = fields["Back"]
    assert back.startswith(r"<p>Zero: \(\max(0, x)\) clips negatives &amp; keeps &lt;positives&gt;. In code:</p>")
    assert '<pre class="code" data-lang="python"><code>' in back and 'style="color' in back  # highlighted
    assert "&lt;tensor&gt;" in back and "<tensor>" not in back
    assert r"\[\mathbb{1}[x &gt; 0]\]" in back
    assert "<ul><li>indented line</li></ul>" in back and "&nbsp;" not in back  # a Markdown list, not literal
    assert fields["Chinese"] == "线性整流函数"
    assert fields["Refs"] == "d2l 5.1.2<br>NNDL (邱锡鹏) ch4"

    cloze = notes[guid("sigmoid-cloze")]
    assert cloze["model"] == "studyctl cloze" and len(cloze["questions"]) == 2  # one card per deletion
    assert cloze["fields"]["Text"].startswith(r"The sigmoid is {{c1::\(\sigma(x) = 1/(1+e^{-x})\)}}")
    assert (
        '<span class="cloze" data-cloze="&#x28;0&#x2C;&#x20;1&#x29;" data-ordinal="2">[an interval]</span>'
        in (cloze["questions"][1])
    )  # Anki parsed our {{c2::(0, 1)::an interval}} as its own cloze, hint and all

    choice = notes[guid("adam-choice")]
    assert choice["fields"]["Choices"] == (
        '<ol type="A"><li>The gradient only</li><li><code>g</code> and <code>g²</code></li>'
        "<li>The Hessian &lt;diagonal&gt;</li></ol>"
    )
    assert choice["fields"]["Answer"] == "<code>g</code> and <code>g²</code>"
    assert "The gradient only" in choice["questions"][0]
    assert "<code>g</code> and <code>g²</code>" in choice["answers"][0]

    typed = notes[guid("conv-typed")]
    assert typed["fields"]["Answer"] == "28"
    assert typed["fields"]["Accept"] == "28 px<br>28px"
    assert typed["fields"]["Tolerance"] == "0.5"
    assert "[[type:Answer]]" in typed["questions"][0]  # Anki's type-in box (the GUI fills it in)


def test_reexport_after_an_edit_updates_that_note_in_anki(run, demo, tmp_path):
    collection = tmp_path / "phone.anki2"
    first = tmp_path / "v1.apkg"
    export(run, demo, first)
    counts, before = anki_import(collection, first)
    assert counts["new"] == 5

    deck_file = demo / "decks" / "anki-demo.yaml"
    deck_file.write_text(
        deck_file.read_text(encoding="utf-8").replace("Saturates at both ends.", "Saturates, so gradients vanish."),
        encoding="utf-8",
    )
    second = tmp_path / "v2.apkg"
    result = export(run, demo, second)  # typically within the same second as the first export
    assert "(1 new or changed since the last export)" in result.stdout
    counts, after = anki_import(collection, second)

    assert counts == {"new": 0, "updated": 1, "duplicate": 4, "conflicting": 0}
    assert len(after) == len(before) == 5
    edited = after[guid("sigmoid-cloze")]
    assert edited["fields"]["Back Extra"] == "Saturates, so gradients vanish."
    assert edited["mod"] > before[guid("sigmoid-cloze")]["mod"]
    assert after[guid("relu-basic")] == before[guid("relu-basic")]

    third = tmp_path / "v3.apkg"
    export(run, demo, third)  # nothing changed: Anki keeps everything as it is
    counts, again = anki_import(collection, third)
    assert counts == {"new": 0, "updated": 0, "duplicate": 5, "conflicting": 0}
    assert again == after
    assert third.read_bytes() == second.read_bytes()  # same content, same bytes


def test_a_new_card_is_added_and_the_others_stay(run, demo, tmp_path):
    collection = tmp_path / "phone.anki2"
    export(run, demo, tmp_path / "v1.apkg")
    anki_import(collection, tmp_path / "v1.apkg")
    deck_file = demo / "decks" / "anki-demo.yaml"
    deck_file.write_text(
        deck_file.read_text(encoding="utf-8")
        + "  - {id: extra, type: basic, front: One more?, back: Yes., zh: 再来一个, refs: [me]}\n",
        encoding="utf-8",
    )
    export(run, demo, tmp_path / "v2.apkg")
    counts, notes = anki_import(collection, tmp_path / "v2.apkg")
    assert counts == {"new": 1, "updated": 0, "duplicate": 5, "conflicting": 0}
    assert len(notes) == 6


def test_export_is_deterministic_for_the_same_content(run, demo, tmp_path):
    export(run, demo, tmp_path / "a.apkg")
    export(run, demo, tmp_path / "b.apkg")
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.apkg") as package:
        assert sorted(package.namelist()) == ["collection.anki2", "media"]


def test_every_builtin_deck_exports_and_anki_imports_all_of_it(run, tmp_path):
    out = tmp_path / "all.apkg"
    result = run("export", "anki", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    match = re.search(r"(\d+) decks, (\d+) notes, (\d+) cards", result.stdout)
    decks, note_count, card_count = (int(g) for g in match.groups())
    assert decks >= 1 and note_count >= 40
    counts, notes = anki_import(tmp_path / "fresh.anki2", out)
    assert counts["new"] == note_count == len(notes)
    assert sum(len(n["questions"]) for n in notes.values()) == card_count
    assert all(n["decks"][0].startswith("studyctl::") for n in notes.values())
    assert "studyctl::dl-fundamentals" in {d for n in notes.values() for d in n["decks"]}


def test_guids_come_from_deck_and_card_ids_not_from_text():
    assert note_guid("dl", "relu") == genanki.guid_for("studyctl/dl/relu")
    assert note_guid("dl", "relu") != note_guid("other", "relu")  # equal cards in two decks never collide
    assert anki_deck_id("dl") == anki_deck_id("dl") != anki_deck_id("other")
    assert 1 << 30 <= anki_deck_id("dl") < 1 << 31


def test_stamps_move_forward_only_for_changed_content():
    first = Stamps(None, now=1_000)
    assert first.stamp("note:a", content_hash("v1")) == 1_000
    assert first.stamp("note:b", content_hash("b")) == 1_000

    same_second = Stamps(first.entries, now=1_000)
    assert same_second.stamp("note:a", content_hash("v2")) == 1_001  # newer even within the second
    assert same_second.stamp("note:b", content_hash("b")) == 1_000  # unchanged: its old stamp

    later = Stamps(same_second.entries, now=5_000)
    assert later.stamp("note:a", content_hash("v2")) == 1_001
    assert later.stamp("note:a", content_hash("v1")) == 5_000  # a revert is a change too
    assert later.changed == 1

    assert Stamps({"note:a": "garbage"}, now=7).stamp("note:a", content_hash("v1")) == 7  # damaged state: "now"
    assert Stamps("not a mapping", now=7).stamp("note:a", content_hash("v1")) == 7


def test_export_refuses_an_unknown_deck(run, demo, tmp_path):
    result = run("--content", str(demo), "export", "anki", "--deck", "nope", "-o", str(tmp_path / "x.apkg"))
    assert result.exit_code == 2
    assert "no deck 'nope'" in result.stderr
    assert not (tmp_path / "x.apkg").exists()


def test_export_refuses_a_broken_deck(run, demo, tmp_path):
    write(demo / "decks" / "broken.yaml", "id: broken\ntitle: Broken\ncards:\n  - {id: a, type: basic}\n")
    result = run("--content", str(demo), "export", "anki", "--deck", "broken", "-o", str(tmp_path / "x.apkg"))
    assert result.exit_code == 2
    assert "deck 'broken' has errors" in result.stderr and "broken.yaml" in result.stderr
    assert not (tmp_path / "x.apkg").exists()


def test_export_json_reports_what_was_written(run, demo, tmp_path):
    import json

    result = export(run, demo, tmp_path / "x.apkg", "--json")
    data = json.loads(result.stdout)
    assert data["notes"] == 5 and data["cards"] == 6 and data["changed"] == 5
    assert data["decks"] == [{"id": "anki-demo", "anki_deck": "studyctl::anki-demo", "notes": 5, "cards": 6}]


def test_studyctl_never_imports_the_anki_package(demo, tmp_path, studyctl_home):
    """Anki's library is AGPL: tests only. Neither the source nor an export run may import it."""
    for path in (REPO / "studyctl").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import anki\b|from anki\b)", text, re.M), path
    env = dict(os.environ, STUDYCTL_HOME=str(studyctl_home))
    out = tmp_path / "x.apkg"
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "studyctl",
            "--content",
            str(demo),
            "export",
            "anki",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = {m.group(1).strip() for m in re.finditer(r"^import time:.*\|\s*(\S+)\s*$", proc.stderr, re.M)}
    assert "genanki" in modules and "anki" not in modules
    assert not any(name.startswith("anki.") for name in modules)
