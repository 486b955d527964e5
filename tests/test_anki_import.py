"""`studyctl import anki`: packages made by real Anki (current and legacy formats) and by our
own export become decks that validate; export then import gives back the same cards."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import genanki
import pytest
import yaml
import zstandard
from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions
from conftest import REPO, write
from test_anki_export import DEMO_DECK

from studyctl.anki import apkg
from studyctl.anki.apkg import PackageError, read_package
from studyctl.anki.export import export_decks
from studyctl.anki.importing import deck_from_package
from studyctl.anki.markdown import to_html
from studyctl.anki.stamps import Stamps
from studyctl.content.decks import load_deck
from studyctl.content.issues import ContentError


def user_decks(home: Path) -> Path:
    return home / "content" / "decks"


def written(home: Path) -> list[str]:
    folder = user_decks(home)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# -------------------------------------------------------------- packages made by real Anki


def anki_made_package(tmp_path: Path, legacy: bool) -> Path:
    """A package exported by Anki itself: basic, cloze and type-in notes with HTML and tags."""
    col = Collection(str(tmp_path / f"source-{legacy}.anki2"))
    try:
        deck_id = col.decks.id("Languages::French")

        def add(notetype: str, tags: list[str], **fields: str) -> None:
            note = col.new_note(col.models.by_name(notetype))
            for name, value in fields.items():
                note[name.replace("_", " ")] = value
            note.tags = tags
            col.add_note(note, deck_id)

        add("Basic", ["french", "greeting"], Front="<b>bonjour</b>&nbsp;(greeting)", Back="hello<br>hi &amp; welcome")
        add(
            "Cloze",
            ["french", "geo"],
            Text="{{c1::Paris}} is the capital of {{c2::France::country}}",
            Back_Extra="<i>since 987</i>",
        )
        add("Basic (type in the answer)", ["french"], Front="2 + 2 =", Back="4")
        add(
            "Basic",
            ["french"],
            Front='<div>What prints?</div><pre><code class="language-python">print(1 &lt; 2)\n</code></pre>',
            Back="<div>True</div><div>\\(1 &lt; 2\\)</div>",
        )
        out = tmp_path / f"anki-{'legacy' if legacy else 'latest'}.apkg"
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=legacy
            ),
            limit=DeckIdLimit(deck_id),
        )
    finally:
        col.close()
    return out


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "anki21"])
def test_a_package_exported_by_anki_becomes_a_valid_deck(run, tmp_path, studyctl_home, legacy):
    package = anki_made_package(tmp_path, legacy)
    with zipfile.ZipFile(package) as archive:
        assert ("collection.anki21" if legacy else "collection.anki21b") in archive.namelist()

    result = run("import", "anki", str(package))

    assert result.exit_code == 0, result.stderr
    target = user_decks(studyctl_home) / "french.yaml"
    assert f"into deck 'french': {target}" in result.stdout
    deck, warnings = load_deck(target)
    assert not warnings
    assert deck.title == "French" and deck.tags == ("french",)
    cards = {card.type + ":" + card.front.split("\n")[0]: card for card in deck.cards}
    assert len(deck.cards) == 4
    bonjour = cards["basic:**bonjour** (greeting)"]
    assert bonjour.back == "hello\\\nhi & welcome" and bonjour.tags == ("greeting",)  # a hard break
    cloze = next(card for card in deck.cards if card.type == "cloze")
    assert cloze.front == "{{c1::Paris}} is the capital of {{c2::France::country}}"
    assert cloze.back == "*since 987*" and cloze.tags == ("geo",)
    typed = next(card for card in deck.cards if card.type == "typed")
    assert (typed.front, typed.answer) == ("2 + 2 =", "4")
    code = cards["basic:What prints?"]
    assert code.front == "What prints?\n\n```python\nprint(1 < 2)\n```"
    assert code.back == "True\\\n$1 < 2$"
    assert all(card.guid for card in deck.cards)  # Anki's GUIDs kept: a re-export updates these notes
    assert len({card.id for card in deck.cards}) == 4

    check = run("validate", "--strict", str(target))
    assert check.exit_code == 0, check.stdout + check.stderr


def test_the_newest_collection_in_a_package_wins_over_the_placeholder(tmp_path):
    package = anki_made_package(tmp_path, legacy=False)
    with zipfile.ZipFile(package) as archive:
        assert "collection.anki2" in archive.namelist()  # "please update Anki" for old versions
    collection = read_package(package)
    assert collection.member == "collection.anki21b" and len(collection.notes) == 4


# ---------------------------------------------------------------------------- round trip


def comparable(deck) -> list[dict]:
    """What an export and an import must keep: everything but the card ids. Tags as Anki
    stores them (spaces become '_'), deck tags and card tags together."""
    rows = []
    for card in deck.cards:
        tags = []
        for tag in (*deck.tags, *card.tags):
            tag = "_".join(tag.split())
            if tag not in tags:
                tags.append(tag)
        rows.append(
            {
                "type": card.type,
                "front": to_html(card.front),  # what Anki shows; the Markdown may be spelled otherwise
                "back": to_html(card.back),
                "zh": card.zh,
                "refs": list(card.refs),
                "tags": sorted(tags),
                "choices": [to_html(choice) for choice in card.choices],
                "answer": card.answer if card.type == "typed" else to_html(card.answer),
                "accept": list(card.accept),
                "tolerance": card.tolerance,
            }
        )
    return rows


def round_trip(deck, tmp_path: Path):
    out = tmp_path / f"{deck.id}.apkg"
    export_decks([deck], out, Stamps(None))
    imported = deck_from_package(read_package(out), out)
    path = tmp_path / "back" / f"{deck.id}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(imported.data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    back, _ = load_deck(path)
    return imported, back


def test_export_then_import_gives_back_the_same_cards(run, tmp_path, studyctl_home):
    source = write(tmp_path / "demo" / "decks" / "anki-demo.yaml", DEMO_DECK)
    demo = str(tmp_path / "demo")
    result = run("--content", demo, "export", "anki", "--deck", "anki-demo", "-o", str(tmp_path / "demo.apkg"))
    assert result.exit_code == 0, result.stderr

    result = run("import", "anki", str(tmp_path / "demo.apkg"), "--as", "demo-copy")

    assert result.exit_code == 0, result.stderr
    assert "Imported 5 cards (1 basic, 1 choice, 1 cloze, 2 typed)" in result.stdout
    original, _ = load_deck(source)
    copy, warnings = load_deck(user_decks(studyctl_home) / "demo-copy.yaml")
    assert not warnings
    assert comparable(copy) == comparable(original)
    assert (copy.title, copy.title_zh) == ("Anki demo deck", "演示卡组")
    assert copy.description == "Every card type, with code, math and markup."
    check = run("validate", "--strict", str(user_decks(studyctl_home) / "demo-copy.yaml"))
    assert check.exit_code == 0, check.stdout + check.stderr


def test_every_builtin_deck_survives_the_round_trip(tmp_path):
    checked = 0
    for path in sorted((REPO / "decks").glob("*.yaml")):
        try:
            deck, _ = load_deck(path)
        except ContentError:
            continue  # a deck someone is editing right now
        imported, back = round_trip(deck, tmp_path)
        assert not imported.skipped, imported.skipped
        assert comparable(back) == comparable(deck), path.name
        checked += 1
    assert checked >= 1


def test_card_ids_are_unique_slugs(tmp_path):
    deck_text = "id: dupes\ntitle: Dupes\ncards:\n" + "".join(
        f"  - {{id: c{i}, type: basic, front: Same question?, back: Answer {i}.}}\n" for i in range(3)
    )
    deck, _ = load_deck(write(tmp_path / "dupes.yaml", deck_text))
    imported, _ = round_trip(deck, tmp_path)
    assert [card["id"] for card in imported.cards] == ["same-question", "same-question-2", "same-question-3"]


# ----------------------------------------------------------------------- existing decks


def test_a_second_import_of_known_notes_writes_no_deck_and_keeps_edits(run, tmp_path, studyctl_home):
    package = anki_made_package(tmp_path, legacy=True)
    assert run("import", "anki", str(package)).exit_code == 0
    target = user_decks(studyctl_home) / "french.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")

    again = run("import", "anki", str(package))

    assert again.exit_code == 0, again.stderr
    assert "Imported" not in again.stdout and "Review history" in again.stdout  # known notes: history only
    assert target.read_text(encoding="utf-8").endswith("# my edits\n")
    assert written(studyctl_home) == ["french.yaml"]
    forced = run("import", "anki", str(package), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not target.read_text(encoding="utf-8").endswith("# my edits\n")


def test_new_notes_never_overwrite_an_existing_deck_file(run, tmp_path, studyctl_home):
    package = anki_made_package(tmp_path, legacy=True)
    target = write(
        user_decks(studyctl_home) / "french.yaml",
        "id: french\ntitle: Mine\ncards:\n  - {id: a, type: basic, front: Q, back: A}\n",
    )
    again = run("import", "anki", str(package))
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--as" in again.stderr and "--history-only" in again.stderr
    assert "title: Mine" in target.read_text(encoding="utf-8")


def test_a_builtin_deck_id_is_not_shadowed_by_accident(run, tmp_path, studyctl_home):
    package = anki_made_package(tmp_path, legacy=True)
    result = run("import", "anki", str(package), "--as", "dl-fundamentals")
    assert result.exit_code == 2
    assert "a deck 'dl-fundamentals' already exists" in result.stderr and "--as" in result.stderr
    assert written(studyctl_home) == []


def test_as_must_be_a_slug(run, tmp_path, studyctl_home):
    package = anki_made_package(tmp_path, legacy=True)
    result = run("import", "anki", str(package), "--as", "Not A Slug")
    assert result.exit_code == 2 and "slug" in result.stderr
    assert written(studyctl_home) == []


# ---------------------------------------------------------------------------- bad input


def genanki_package(path: Path, notes: int = 1) -> Path:
    model = genanki.Model(
        1234567890,
        "Simple",
        fields=[{"name": "Q"}, {"name": "A"}],
        templates=[{"name": "Card 1", "qfmt": "{{Q}}", "afmt": "{{A}}"}],
    )
    deck = genanki.Deck(1234567891, "Bad input")
    for i in range(notes):
        deck.add_note(genanki.Note(model=model, fields=[f"Question {i} " + "x" * 200, f"Answer {i}"]))
    genanki.Package(deck).write_to_file(str(path))
    return path


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def collection_bytes(tmp_path: Path) -> bytes:
    with zipfile.ZipFile(genanki_package(tmp_path / "good.apkg")) as archive:
        return archive.read("collection.anki2")


def refused(run, home: Path, package: Path, *message: str) -> None:
    result = run("import", "anki", str(package))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ")
    for part in message:
        assert part in result.stderr
    assert written(home) == []


def test_a_file_that_is_not_a_zip_is_refused(run, tmp_path, studyctl_home):
    package = write(tmp_path / "notes.apkg", "Front;Back\nhello;bonjour\n")
    refused(run, studyctl_home, package, "not an Anki package", "zip")


def test_a_missing_file_is_refused(run, tmp_path, studyctl_home):
    refused(run, studyctl_home, tmp_path / "nowhere.apkg", "no such file")


def test_a_zip_without_a_collection_is_refused(run, tmp_path, studyctl_home):
    package = zip_with(tmp_path / "other.apkg", {"readme.txt": b"hi", "media": b"{}"})
    refused(run, studyctl_home, package, "no Anki collection inside")


@pytest.mark.parametrize("name", ["../evil.txt", "media/../../evil.txt", "/etc/evil", "C:/evil.txt", "..\\evil.txt"])
def test_a_zip_with_paths_escaping_the_target_is_refused(run, tmp_path, studyctl_home, name):
    package = zip_with(tmp_path / "evil.apkg", {"collection.anki2": collection_bytes(tmp_path), name: b"boo"})
    refused(run, studyctl_home, package, "unsafe path", repr(name))
    assert not (tmp_path / "evil.txt").exists()


def test_an_oversized_collection_is_refused_before_reading(run, tmp_path, studyctl_home, monkeypatch):
    package = genanki_package(tmp_path / "big.apkg", notes=50)
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 4096)
    refused(run, studyctl_home, package, "collection.anki2 is", "over the", "limit")


def test_a_compressed_collection_that_inflates_past_the_limit_is_refused(run, tmp_path, studyctl_home, monkeypatch):
    bomb = zstandard.ZstdCompressor().compress(b"\0" * 1_000_000)  # small in the zip, big once read
    package = zip_with(tmp_path / "bomb.apkg", {"collection.anki21b": bomb})
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 100_000)
    refused(run, studyctl_home, package, "collection.anki21b is over the", "limit")


def test_the_byte_count_stops_a_member_whose_header_lies(monkeypatch, tmp_path):
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(PackageError, match="over the"):
        apkg._bounded_copy(tmp_path, io.BytesIO(b"x" * 5000), io.BytesIO(), "collection.anki2")


def test_a_package_without_notes_is_refused(run, tmp_path, studyctl_home):
    package = genanki_package(tmp_path / "empty.apkg", notes=0)
    refused(run, studyctl_home, package, "no notes")


def test_a_damaged_collection_is_refused(run, tmp_path, studyctl_home):
    package = zip_with(tmp_path / "damaged.apkg", {"collection.anki2": b"SQLite? no." * 100})
    refused(run, studyctl_home, package, "not a readable Anki collection")


def test_a_package_from_a_newer_anki_is_refused(run, tmp_path, studyctl_home):
    package = zip_with(tmp_path / "future.apkg", {"meta": b"\x08\x07", "collection.anki2": collection_bytes(tmp_path)})
    refused(run, studyctl_home, package, "newer Anki", "Support older Anki versions")


def test_the_compressed_format_needs_zstandard(run, tmp_path, studyctl_home, monkeypatch):
    package = anki_made_package(tmp_path, legacy=False)
    monkeypatch.setitem(sys.modules, "zstandard", None)  # as if it were not installed
    refused(run, studyctl_home, package, "collection.anki21b", "zstandard", "Support older Anki versions")


def test_notes_that_make_no_card_are_skipped_and_reported(run, tmp_path, studyctl_home):
    model = genanki.Model(
        1234567892,
        "One side",
        fields=[{"name": "Q"}, {"name": "A"}],
        templates=[{"name": "Card 1", "qfmt": "{{Q}}", "afmt": "{{A}}"}],
    )
    deck = genanki.Deck(1234567893, "Half done")
    deck.add_note(genanki.Note(model=model, fields=["Complete?", "Yes"]))
    deck.add_note(genanki.Note(model=model, fields=["No answer yet", ""]))
    package = tmp_path / "half.apkg"
    genanki.Package(deck).write_to_file(str(package))

    result = run("import", "anki", str(package))

    assert result.exit_code == 0, result.stderr
    assert "skipped note" in result.stderr and "'No answer yet'" in result.stderr and "empty back" in result.stderr
    deck, _ = load_deck(user_decks(studyctl_home) / "half-done.yaml")
    assert [card.front for card in deck.cards] == ["Complete?"]
