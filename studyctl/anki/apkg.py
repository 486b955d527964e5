"""Read an .apkg (or .colpkg) safely: its note types, decks and notes, nothing else.

A package is a zip holding a SQLite collection: `collection.anki2` (Anki 2.0 and genanki),
`collection.anki21` (Anki 2.1 "support older versions" exports) or `collection.anki21b`
(current Anki: zstd-compressed, schema 18, note types in their own tables with protobuf
configs). Current exports also carry a placeholder `collection.anki2` that only says "please
update Anki", so the newest collection in the zip is the one to read.

The zip is untrusted: every member name is checked (no absolute paths, no `..`), the
collection's declared size is checked before reading and the bytes actually read are counted
(a lying header or a zip bomb stops at the limit), and only that one member is copied, to a
private temporary file; media are never extracted.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_MEMBER_BYTES = 200 * 1024 * 1024  # uncompressed size of the collection we agree to read
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
LATEST_PACKAGE_VERSION = 3  # PackageMetadata.Version.LATEST in Anki's import_export.proto
_CHUNK = 1 << 20


class PackageError(Exception):
    """The file can't be read as an Anki package; the message says why, for the user."""


@dataclass(frozen=True)
class Notetype:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (question format, answer format)


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    deck_id: int | None


@dataclass
class Collection:
    notetypes: dict[int, Notetype] = field(default_factory=dict)
    decks: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (name "a::b", description HTML)
    notes: list[Note] = field(default_factory=list)
    member: str = ""


def read_package(path: Path) -> Collection:
    """Everything we import from the package at `path`. Raises PackageError."""
    path = Path(path)
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path}: not an Anki package (.apkg files are zip archives; this is not one)")
    try:
        with zipfile.ZipFile(path) as package:
            members = {info.filename: info for info in package.infolist()}
            for name in members:
                if not is_safe_member(name):
                    raise PackageError(
                        f"{path}: unsafe path in the package: {name!r} (absolute, or escaping with '..');"
                        " refusing to read it"
                    )
            _check_version(path, package, members)
            member = next((name for name in COLLECTIONS if name in members), None)
            if member is None:
                raise PackageError(
                    f"{path}: no Anki collection inside (expected one of {', '.join(COLLECTIONS)});"
                    " is it an Anki deck package?"
                )
            info = members[member]
            if info.file_size > MAX_MEMBER_BYTES:
                raise PackageError(
                    f"{path}: {member} is {info.file_size / 2**20:.0f} MiB uncompressed,"
                    f" over the {MAX_MEMBER_BYTES / 2**20:.0f} MiB limit; refusing to read it"
                )
            with tempfile.TemporaryDirectory(prefix="studyctl-apkg-") as scratch:
                db_path = Path(scratch) / "collection.db"
                _copy_member(path, package, info, db_path)
                collection = read_collection(db_path, f"{path}: {member}")
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{path}: damaged zip archive ({exc})") from None
    collection.member = member
    return collection


def is_safe_member(name: str) -> bool:
    """False for names that would land outside a target folder if extracted."""
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return False
    return ".." not in PurePosixPath(normalized).parts


def _check_version(path: Path, package: zipfile.ZipFile, members: dict) -> None:
    """Current packages have a small protobuf `meta` with the format version; refuse newer ones."""
    info = members.get("meta")
    if info is None or info.file_size > 1024:
        return
    version = dict(_protobuf_fields(package.read(info))).get(1, 0)
    if isinstance(version, int) and version > LATEST_PACKAGE_VERSION:
        raise PackageError(
            f"{path}: made by a newer Anki (package format {version}) than studyctl can read;"
            " export it again with 'Support older Anki versions' ticked"
        )


def _copy_member(path: Path, package: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    """Copy one member to `target`, decompressing zstd for .anki21b, never past the limit."""
    with package.open(info) as source, open(target, "wb") as sink:
        if info.filename.endswith(".anki21b"):
            try:
                import zstandard
            except ImportError:
                raise PackageError(
                    f"{path}: this package uses Anki's newer compressed format (collection.anki21b),"
                    " which needs the 'zstandard' package; install it, or export from Anki with"
                    " 'Support older Anki versions' ticked"
                ) from None
            try:
                with zstandard.ZstdDecompressor().stream_reader(source) as reader:
                    _bounded_copy(path, reader, sink, info.filename)
            except zstandard.ZstdError as exc:
                raise PackageError(f"{path}: {info.filename} is not valid zstd data ({exc})") from None
        else:
            _bounded_copy(path, source, sink, info.filename)


def _bounded_copy(path: Path, source, sink, name: str) -> None:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > MAX_MEMBER_BYTES:
            raise PackageError(
                f"{path}: {name} is over the {MAX_MEMBER_BYTES / 2**20:.0f} MiB limit uncompressed; refusing to read it"
            )
        sink.write(chunk)


def read_collection(db_path: Path, label: str) -> Collection:
    """Note types, decks and notes of a collection file (schema 11 or 18)."""
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise PackageError(f"{label}: cannot open the collection ({exc})") from None
    conn.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"notes", "col"} <= tables:
            raise PackageError(f"{label}: not an Anki collection (no notes table)")
        collection = Collection()
        if "notetypes" in tables and conn.execute("SELECT count(*) FROM notetypes").fetchone()[0]:
            collection.notetypes = _notetypes_v18(conn)
            collection.decks = _decks_v18(conn)
        else:
            models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
            collection.notetypes = _notetypes_legacy(models, label)
            collection.decks = _decks_legacy(decks)
        deck_of = {}
        if "cards" in tables:
            for note_id, deck_id in conn.execute("SELECT nid, did FROM cards ORDER BY ord DESC, id DESC"):
                deck_of[note_id] = deck_id  # the deck of the note's first card wins
        for note_id, guid, notetype_id, tags, fields in conn.execute(
            "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
        ):
            collection.notes.append(
                Note(
                    id=note_id,
                    guid=str(guid),
                    notetype_id=notetype_id,
                    tags=tuple(str(tags or "").split()),
                    fields=tuple(str(fields or "").split("\x1f")),
                    deck_id=deck_of.get(note_id),
                )
            )
        return collection
    except sqlite3.DatabaseError as exc:
        raise PackageError(f"{label}: not a readable Anki collection ({exc})") from None
    finally:
        conn.close()


def _notetypes_legacy(models_json: str, label: str) -> dict[int, Notetype]:
    try:
        models = json.loads(models_json or "{}")
    except ValueError:
        raise PackageError(f"{label}: the note types are damaged (invalid JSON)") from None
    notetypes = {}
    for key, model in models.items():
        if not isinstance(model, dict):
            continue
        fields = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
        templates = sorted(model.get("tmpls", []), key=lambda t: t.get("ord", 0))
        model_id = int(model.get("id", key))
        notetypes[model_id] = Notetype(
            id=model_id,
            name=str(model.get("name", "")),
            is_cloze=model.get("type") == 1,
            fields=tuple(str(f.get("name", "")) for f in fields),
            templates=tuple((str(t.get("qfmt", "")), str(t.get("afmt", ""))) for t in templates),
        )
    return notetypes


def _decks_legacy(decks_json: str) -> dict[int, tuple[str, str]]:
    try:
        decks = json.loads(decks_json or "{}")
    except ValueError:
        return {}
    return {
        int(deck.get("id", key)): (str(deck.get("name", "")), str(deck.get("desc", "")))
        for key, deck in decks.items()
        if isinstance(deck, dict)
    }


def _notetypes_v18(conn: sqlite3.Connection) -> dict[int, Notetype]:
    fields: dict[int, list[str]] = {}
    for notetype_id, name in conn.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(notetype_id, []).append(name)
    templates: dict[int, list[tuple[str, str]]] = {}
    for notetype_id, config in conn.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        parsed = dict(_protobuf_fields(config or b""))  # Template.Config: 1 q_format, 2 a_format
        templates.setdefault(notetype_id, []).append((_text(parsed.get(1)), _text(parsed.get(2))))
    notetypes = {}
    for notetype_id, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        kind = dict(_protobuf_fields(config or b"")).get(1, 0)  # Notetype.Config: 1 kind (1 = cloze)
        notetypes[notetype_id] = Notetype(
            id=notetype_id,
            name=str(name),
            is_cloze=kind == 1,
            fields=tuple(fields.get(notetype_id, ())),
            templates=tuple(templates.get(notetype_id, ())),
        )
    return notetypes


def _decks_v18(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    decks = {}
    for deck_id, name, kind in conn.execute("SELECT id, name, kind FROM decks"):
        description = ""
        normal = dict(_protobuf_fields(kind or b"")).get(1)  # KindContainer: 1 normal
        if isinstance(normal, bytes):
            description = _text(dict(_protobuf_fields(normal)).get(4))  # Normal: 4 description
        decks[deck_id] = (str(name).replace("\x1f", "::"), description)
    return decks


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _protobuf_fields(data: bytes):
    """(field number, value) pairs of a protobuf message: ints for varints, bytes otherwise.

    Enough to pull a few scalar fields out of Anki's configs without a protobuf dependency;
    stops quietly at anything malformed."""
    i, n = 0, len(data)
    while i < n:
        key, i = _varint(data, i)
        if key is None:
            return
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            number_value, i = _varint(data, i)
            if number_value is None:
                return
            value = number_value
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        elif wire == 2:
            length, i = _varint(data, i)
            if length is None or i + length > n:
                return
            value, i = data[i : i + length], i + length
        elif wire == 5:
            value, i = data[i : i + 4], i + 4
        else:
            return
        yield number, value


def _varint(data: bytes, i: int) -> tuple[int | None, int]:
    result = shift = 0
    while i < len(data) and shift < 70:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7
    return None, i
