"""Bring deck files into the cards table, incrementally and without losing history.

A file whose size and mtime are unchanged is not read; one whose bytes hash the same is not
parsed. Cards are keyed by (deck, YAML id, cloze ordinal), so editing text updates the row in
place and its reviews stay attached; a card gone from the YAML is retired, never deleted. A
broken file is reported and its cards are left exactly as they were.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyctl.clock import iso_utc, now_utc
from studyctl.content.issues import ContentError, Issue
from studyctl.store.db import write_transaction

if TYPE_CHECKING:
    from studyctl.content.model.deck import Card, Deck

INSERT_CARD = """
INSERT INTO cards (deck, note, ord, type, front, back, zh, refs, tags, extra, content_hash, retired,
                   created_at, updated_at)
VALUES (:deck, :note, :ord, :type, :front, :back, :zh, :refs, :tags, :extra, :content_hash, 0, :now, :now)
"""
UPDATE_CARD = """
UPDATE cards SET type = :type, front = :front, back = :back, zh = :zh, refs = :refs, tags = :tags, extra = :extra,
       content_hash = :content_hash, retired = 0, updated_at = :now
WHERE id = :id
"""


@dataclass
class SyncReport:
    parsed: list[str] = field(default_factory=list)  # deck ids re-read this time
    unchanged: int = 0
    added: int = 0
    updated: int = 0
    retired: int = 0
    issues: list[Issue] = field(default_factory=list)


def sync_decks(conn: sqlite3.Connection, files: list[Path]) -> SyncReport:
    """Sync the given deck files (already resolved for overrides) into the database."""
    report = SyncReport()
    known = {row["path"]: row for row in conn.execute("SELECT * FROM source_files WHERE kind = 'deck'")}
    present: dict[str, Path] = {}  # deck id -> file, for every file that is still there
    for path in files:
        key = str(path)
        row = known.get(key)
        try:
            stat = path.stat()
        except OSError as exc:
            report.issues.append(Issue(path, None, f"cannot read: {exc.strerror}"))
            continue
        if row and row["mtime_ns"] == stat.st_mtime_ns and row["size"] == stat.st_size:
            report.unchanged += 1
            present[row["item_id"]] = path
            continue
        data = path.read_bytes()
        digest = _sha256(data)
        if row and row["sha256"] == digest:
            with write_transaction(conn):
                _remember_file(conn, path, row["item_id"], stat, digest)
            report.unchanged += 1
            present[row["item_id"]] = path
            continue
        try:
            deck, warnings = _parse_deck(data, path)
        except ContentError as exc:
            report.issues.extend(exc.issues)
            if row:  # keep protecting the cards this file had
                present[row["item_id"]] = path
            continue
        if deck.id in present:
            report.issues.append(
                Issue(path, None, f"deck id '{deck.id}' is already used by {present[deck.id]}; this file is skipped")
            )
            continue
        report.issues.extend(warnings)
        present[deck.id] = path
        with write_transaction(conn):
            _write_deck(conn, deck, report)
            _remember_file(conn, path, deck.id, stat, digest)
        report.parsed.append(deck.id)
    _forget_missing_files(conn, known, files, present, report)
    return report


def _sha256(data: bytes) -> str:
    import hashlib  # only when a file changed: the everyday path never hashes

    return hashlib.sha256(data).hexdigest()


def _parse_deck(data: bytes, path: Path) -> tuple[Deck, list[Issue]]:
    from studyctl.content.decks import deck_from_data
    from studyctl.content.yamlfile import parse_yaml

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Issue(path, None, f"not UTF-8 text ({exc.reason})")]) from None
    return deck_from_data(parse_yaml(text, path), path)


def _remember_file(conn: sqlite3.Connection, path: Path, item_id: str, stat: os.stat_result, digest: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO source_files (path, kind, item_id, mtime_ns, size, sha256, synced_at) "
        "VALUES (?, 'deck', ?, ?, ?, ?, ?)",
        (str(path), item_id, stat.st_mtime_ns, stat.st_size, digest, iso_utc(now_utc())),
    )


def card_rows(card: Card, deck: Deck) -> list[dict[str, Any]]:
    """The review cards one YAML card makes (cloze: one per deletion number)."""
    extra: dict[str, Any] = {}
    if card.choices:
        extra["choices"] = list(card.choices)
    if card.answer:
        extra["answer"] = card.answer
    if card.accept:
        extra["accept"] = list(card.accept)
    if card.tolerance is not None:
        extra["tolerance"] = card.tolerance
    if card.front_zh:
        extra["front_zh"] = card.front_zh
    if card.back_zh:
        extra["back_zh"] = card.back_zh
    tags = sorted(set(deck.tags) | set(card.tags))
    base = {
        "deck": deck.id,
        "note": card.id,
        "type": card.type,
        "front": card.front,
        "back": card.back,
        "zh": card.zh,
        "refs": json.dumps(list(card.refs), ensure_ascii=False),
        "tags": json.dumps(tags, ensure_ascii=False),
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True),
    }
    rows = []
    for ordinal in card.ordinals:
        row = dict(base, ord=ordinal)
        row["content_hash"] = _sha256(json.dumps(row, sort_keys=True).encode())[:16]
        rows.append(row)
    return rows


def _write_deck(conn: sqlite3.Connection, deck: Deck, report: SyncReport) -> None:
    now = iso_utc(now_utc())
    existing = {
        (row["note"], row["ord"]): row
        for row in conn.execute("SELECT id, note, ord, content_hash, retired FROM cards WHERE deck = ?", (deck.id,))
    }
    seen = set()
    for card in deck.cards:
        for row in card_rows(card, deck):
            key = (row["note"], row["ord"])
            seen.add(key)
            old = existing.get(key)
            if old is None:
                cursor = conn.execute(INSERT_CARD, dict(row, now=now))
                conn.execute(
                    "INSERT INTO card_state (card_id, state, reps, lapses) VALUES (?, 'new', 0, 0)", (cursor.lastrowid,)
                )
                report.added += 1
            elif old["content_hash"] != row["content_hash"] or old["retired"]:
                conn.execute(
                    UPDATE_CARD,
                    dict(row, now=now, id=old["id"]),
                )
                report.updated += 1
    gone = [old["id"] for key, old in existing.items() if key not in seen and not old["retired"]]
    conn.executemany("UPDATE cards SET retired = 1, updated_at = ? WHERE id = ?", [(now, card_id) for card_id in gone])
    report.retired += len(gone)
    conn.execute(
        "INSERT OR REPLACE INTO decks (id, title, title_zh, path, tags, card_count, synced_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (deck.id, deck.title, deck.title_zh, str(deck.path), json.dumps(list(deck.tags)), len(seen), now),
    )


def _forget_missing_files(
    conn: sqlite3.Connection, known: dict[str, Any], files: list[Path], present: dict[str, Any], report: SyncReport
) -> None:
    """Retire the cards of a deck no file holds any more (file deleted, or its id changed)."""
    current = {str(path) for path in files}
    now = iso_utc(now_utc())
    with write_transaction(conn):
        for key, row in known.items():
            if key not in current:
                conn.execute("DELETE FROM source_files WHERE path = ?", (key,))
            if row["item_id"] in present:
                continue
            cursor = conn.execute(
                "UPDATE cards SET retired = 1, updated_at = ? WHERE deck = ? AND retired = 0", (now, row["item_id"])
            )
            report.retired += cursor.rowcount
            conn.execute("DELETE FROM decks WHERE id = ?", (row["item_id"],))
