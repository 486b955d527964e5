"""Write studyctl decks to an .apkg that Anki imports, and that updates (not duplicates) on re-export.

- One Anki deck per studyctl deck, `studyctl::<deck-id>`, its title in the deck description.
- Note types with fixed ids (`models`), note GUIDs from "studyctl/<deck-id>/<card-id>": editing a
  card's text keeps its GUID, so Anki updates the note; equal text in two decks never collides.
- Modification times from `stamps`: newer only for notes whose content changed.
- Deterministic: the same decks and the same stamp state give the same bytes (note and card ids
  count up from the newest stamp; zip entries carry a fixed date).

genanki writes the SQLite collection; we call its per-deck and per-note writers ourselves
(instead of `Package.write_to_file`) to give every note its own modification time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyctl.anki import identity
from studyctl.anki.markdown import escape, to_html
from studyctl.anki.models import MODELS, genanki_models, model_spec
from studyctl.anki.stamps import Stamps, content_hash

PARENT_DECK = "studyctl"
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


@dataclass
class ExportResult:
    path: Path
    decks: list[dict] = field(default_factory=list)  # {"id", "anki_deck", "notes", "cards"}
    notes: int = 0
    cards: int = 0
    changed: int = 0  # notes new or changed since the last export
    left_out: list[str] = field(default_factory=list)  # cards Anki makes from another note

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "decks": self.decks,
            "notes": self.notes,
            "cards": self.cards,
            "changed": self.changed,
            "left_out": self.left_out,
        }


def note_guid(deck_id: str, card) -> str:
    """The note's Anki GUID: the one it came from Anki with, else from the ids (never the text)."""
    return identity.note_guid(deck_id, card)


def anki_deck_id(deck_id: str) -> int:
    """A stable Anki deck id (Anki matches decks by name; a stable id keeps the file stable)."""
    digest = hashlib.sha256(f"studyctl-deck/{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def anki_deck_name(deck_id: str) -> str:
    return f"{PARENT_DECK}::{deck_id}"


def plain_html(text: str) -> str:
    """Text shown as is (no Markdown): escaped, line breaks kept."""
    return "<br>".join(escape(line) for line in text.strip().split("\n"))


def lines_html(items) -> str:
    return "<br>".join(escape(str(item)) for item in items)


def note_tags(deck, card) -> list[str]:
    """Deck tags then card tags; Anki tags have no spaces and compare without case."""
    tags, seen = [], set()
    for tag in (*deck.tags, *card.tags):
        tag = "_".join(str(tag).split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


def note_fields(card) -> list[str]:
    """The card as the fields of its note type (see `models`), in field order."""
    common = [plain_html(card.zh), lines_html(card.refs)]
    if card.type == "basic":
        return [to_html(card.front), to_html(card.back), *common]
    if card.type == "cloze":
        return [to_html(card.front), to_html(card.back), *common]
    if card.type == "choice":
        options = "".join(f"<li>{to_html(choice)}</li>" for choice in card.choices)
        return [to_html(card.front), f'<ol type="A">{options}</ol>', to_html(card.answer), to_html(card.back), *common]
    if card.type == "typed":
        tolerance = "" if card.tolerance is None else f"{card.tolerance:g}"
        return [
            to_html(card.front),
            escape(card.answer.strip()),
            lines_html(card.accept),
            tolerance,
            to_html(card.back),
            *common,
        ]
    raise ValueError(f"card '{card.id}': unknown type {card.type!r}")


def deck_description(deck) -> str:
    lines = [deck.title, deck.title_zh, deck.description]
    return "<br>".join(escape(line.strip()) for line in lines if line and line.strip())


@dataclass
class ScheduleOut:
    """What an export with schedule needs: each card's schedule by key, and how to count days."""

    cards: dict  # card key -> store.anki_history.CardSchedule
    created: int  # the collection's creation time: the start of today's study day (epoch seconds)
    day_of: Callable[[dt.datetime], int]  # study day number of a moment, today = 0
    now: dt.datetime
    settings: Any  # anki.schedule.Settings


_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def media_names(decks) -> list[str]:
    """File names of the images the cards show (`![alt](name)`), plain names only."""
    from studyctl.anki.apkg import safe_media_name

    names: dict[str, None] = {}
    for deck in decks:
        for card in deck.cards:
            for text in (card.front, card.back, *card.choices):
                for name in _IMAGE.findall(text):
                    if safe_media_name(name):
                        names[name] = None
    return list(names)


def export_decks(
    decks, out: Path, stamps: Stamps, schedule: ScheduleOut | None = None, media: dict[str, Path] | None = None
) -> ExportResult:
    """Write `decks` (studyctl Deck objects) to the .apkg `out`; returns what was written.
    With `schedule`, cards carry their FSRS state and review log; `media` (name -> file) go
    into the package.

    The stamp state is updated in memory; the caller saves it once the file is in place."""
    import genanki
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    models = genanki_models()
    models_stamp = stamps.stamp("models", content_hash([model_spec(m) for m in MODELS.values()]))
    changed_before = stamps.changed
    result = ExportResult(path=out)
    plan = []  # (genanki deck, [(note, mtime)])
    for deck in decks:
        anki_deck = genanki.Deck(anki_deck_id(deck.id), anki_deck_name(deck.id), deck_description(deck))
        notes = []
        for card in deck.cards:
            if identity.is_split_template(card):
                result.left_out.append(
                    f"{deck.id}/{card.id}: a later template of Anki note {identity.note_guid(deck.id, card)};"
                    " Anki makes it from that note"
                )
                continue
            model = models["basic-reversed" if card.type == "basic" and card.reverse else card.type]
            fields = note_fields(card)
            tags = note_tags(deck, card)
            guid = note_guid(deck.id, card)
            mtime = stamps.stamp(f"note:{guid}", content_hash(model.model_id, fields, tags))
            notes.append((genanki.Note(model=model, fields=fields, tags=tags, guid=guid), mtime))
            anki_deck.add_model(model)
        plan.append((anki_deck, notes))
        cards = sum(len(card.ordinals) for card in deck.cards if not identity.is_split_template(card))
        result.decks.append({"id": deck.id, "anki_deck": anki_deck.name, "notes": len(notes), "cards": cards})
        result.notes += len(notes)
        result.cards += cards
    result.changed = stamps.changed - changed_before

    newest = max([models_stamp, *(mtime for _, notes in plan for _, mtime in notes)])
    ids = itertools.count(newest * 1000)  # note and card ids: Anki reads them as creation times
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="studyctl-anki-") as scratch:
        db_path = Path(scratch) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            cursor = conn.cursor()
            cursor.executescript(APKG_SCHEMA)
            cursor.executescript(APKG_COL)
            for anki_deck, notes in plan:
                anki_deck.write_to_db(cursor, models_stamp, ids)  # the deck and its note types
                for note, mtime in notes:
                    note.write_to_db(cursor, mtime, anki_deck.deck_id, ids)
            if schedule is not None:
                _write_schedule(cursor, decks, schedule)
            conn.commit()
        finally:
            conn.close()
        _write_zip(out, db_path, media or {})
    return result


def _write_schedule(cursor: sqlite3.Cursor, decks, schedule: ScheduleOut) -> None:
    """Cards' scheduling columns and the review log, for Anki's import "with scheduling"."""
    from studyctl.anki.schedule import anki_card, revlog_rows

    cursor.execute("UPDATE col SET crt = ?", (schedule.created,))
    taken: set[int] = set()
    position = 0
    for deck in decks:
        for link in identity.links(deck):
            row = cursor.execute(
                "SELECT c.id FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ? AND c.ord = ?",
                (link.guid, link.anki_ord),
            ).fetchone()
            card_schedule = schedule.cards.get(f"{link.deck}/{link.note}/{link.ord}")
            if row is None or card_schedule is None:
                continue
            position += 1
            columns = anki_card(
                card_schedule, position, day_of=schedule.day_of, now=schedule.now, settings=schedule.settings
            )
            cursor.execute(
                "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?,"
                " left = ?, flags = ?, data = ? WHERE id = ?",
                (*columns.__dict__.values(), row[0]),
            )
            cursor.executemany(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?,?,?,?,?,?,?,?,?)",
                revlog_rows(card_schedule, row[0], taken),
            )


def _write_zip(out: Path, db_path: Path, media: dict[str, Path]) -> None:
    """The package: the collection, the media files and their map, with fixed entry dates,
    written to a temporary file beside `out` and moved into place (a failed export leaves no
    half file)."""
    import json

    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as package:
            with open(db_path, "rb") as source, package.open(_entry("collection.anki2"), "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            names = {}
            for number, (name, path) in enumerate(sorted(media.items())):
                with open(path, "rb") as source, package.open(_entry(str(number)), "w") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
                names[str(number)] = name
            package.writestr(_entry("media"), json.dumps(names, ensure_ascii=False))
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info
