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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studyctl.i18n import N_, _

MAX_MEMBER_BYTES = 200 * 1024 * 1024  # uncompressed size of the collection we agree to read
MAX_NOTE_BYTES = 1024 * 1024  # one note's fields together: a card, not a book
MAX_CONFIG_BYTES = 32 * 1024 * 1024  # note types and decks (legacy JSON in one row)
MAX_SQL_STEPS = 2_000_000_000  # SQLite VM steps for the whole read: ample for 200 MiB, finite
MAX_MEDIA_BYTES = 100 * 1024 * 1024  # one media file
MAX_MEDIA_TOTAL = 500 * 1024 * 1024  # every media file copied from one package
_STEPS_PER_CALL = 10_000
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
LATEST_PACKAGE_VERSION = 3  # PackageMetadata.Version.LATEST in Anki's import_export.proto
_CHUNK = 1 << 20


Progress = Callable[[str, int, int], None]  # (what, done, total)


class PackageError(Exception):
    """The file can't be read as an Anki package; the message says why, for the user."""


@dataclass(frozen=True)
class Notetype:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (question format, answer format)
    template_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    deck_id: int | None


@dataclass(frozen=True)
class Card:
    """One Anki card (columns of the `cards` table; `data` holds FSRS's memory state)."""

    id: int
    note_id: int
    deck_id: int
    ord: int
    mod: int  # seconds
    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -3/-2 buried, -1 suspended, 0 new, 1/3 learning, 2 review, 4 preview
    due: int  # new: position; learning (queue 1): epoch seconds; else: days since `created`
    interval: int
    factor: int
    reps: int
    lapses: int
    flags: int  # the low 3 bits: flag colour
    data: dict
    original_deck_id: int = 0
    original_due: int = 0


@dataclass(frozen=True)
class Review:
    """One entry of Anki's review log."""

    id: int  # epoch milliseconds: when the answer was given (and the entry's key)
    card_id: int
    ease: int  # 1-4; 0 for a manual reschedule
    interval: int  # days, or negative seconds while learning
    last_interval: int
    factor: int
    time_ms: int
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


@dataclass
class Collection:
    notetypes: dict[int, Notetype] = field(default_factory=dict)
    decks: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (name "a::b", description HTML)
    notes: list[Note] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    created: int = 0  # the collection's creation time (col.crt), epoch seconds
    media: dict[str, str] = field(default_factory=dict)  # file name -> zip member
    media_compressed: bool = False  # current packages keep each media file zstd-compressed
    member: str = ""


def read_package(path: Path, progress: Progress | None = None) -> Collection:
    """Everything we import from the package at `path`. Raises PackageError."""
    path = Path(path)
    if not path.is_file():
        raise PackageError(_("{file}: no such file").format(file=path))
    if not zipfile.is_zipfile(path):
        raise PackageError(
            _("{file}: not an Anki package (.apkg files are zip archives; this is not one)").format(file=path)
        )
    try:
        with zipfile.ZipFile(path) as package:
            members = {info.filename: info for info in package.infolist()}
            for name in members:
                if not is_safe_member(name):
                    raise PackageError(
                        _(
                            "{file}: unsafe path in the package: {name} (absolute, or escaping with '..');"
                            " refusing to read it"
                        ).format(file=path, name=repr(name))
                    )
            version = _check_version(path, package, members)
            member = next((name for name in COLLECTIONS if name in members), None)
            if member is None:
                raise PackageError(
                    _(
                        "{file}: no Anki collection inside (expected one of {names}); is it an Anki deck package?"
                    ).format(file=path, names=", ".join(COLLECTIONS))
                )
            info = members[member]
            if info.file_size > MAX_MEMBER_BYTES:
                raise PackageError(
                    _(
                        "{file}: {member} is {size:.0f} MiB uncompressed,"
                        " over the {limit:.0f} MiB limit; refusing to read it"
                    ).format(file=path, member=member, size=info.file_size / 2**20, limit=MAX_MEMBER_BYTES / 2**20)
                )
            with tempfile.TemporaryDirectory(prefix="studyctl-apkg-") as scratch:
                db_path = Path(scratch) / "collection.db"
                _copy_member(path, package, info, db_path)
                if progress is not None:
                    progress(N_("collection"), 1, 1)
                collection = read_collection(db_path, f"{path}: {member}", progress)
            collection.media_compressed = version >= 3
            collection.media = _media_map(path, package, members, compressed=collection.media_compressed)
    except zipfile.BadZipFile as exc:
        raise PackageError(_("{file}: damaged zip archive ({detail})").format(file=path, detail=exc)) from None
    collection.member = member
    return collection


def is_safe_member(name: str) -> bool:
    """False for names that would land outside a target folder if extracted."""
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return False
    return ".." not in PurePosixPath(normalized).parts


def _check_version(path: Path, package: zipfile.ZipFile, members: dict) -> int:
    """Current packages have a small protobuf `meta` with the format version; refuse newer ones."""
    info = members.get("meta")
    if info is None or info.file_size > 1024:
        return 1
    version = dict(_protobuf_fields(package.read(info))).get(1, 0)
    if isinstance(version, int) and version > LATEST_PACKAGE_VERSION:
        raise PackageError(
            _(
                "{file}: made by a newer Anki (package format {version}) than studyctl can read;"
                " export it again with 'Support older Anki versions' ticked"
            ).format(file=path, version=version)
        )
    return version if isinstance(version, int) else 1


MAX_MEDIA_MAP_BYTES = 16 * 1024 * 1024


def _media_map(path: Path, package: zipfile.ZipFile, members: dict, *, compressed: bool) -> dict[str, str]:
    """File name -> zip member. Legacy packages: a JSON map {"0": "cat.png"}; current ones: a
    zstd-compressed protobuf list whose n-th entry is member "n". Unsafe names are dropped."""
    info = members.get("media")
    if info is None or info.file_size > MAX_MEDIA_MAP_BYTES:
        return {}
    raw = package.read(info)
    names: dict[str, str] = {}
    if compressed:
        try:
            import zstandard

            data = zstandard.ZstdDecompressor().decompressobj().decompress(raw)[:MAX_MEDIA_MAP_BYTES]
        except Exception:  # a damaged map: the notes still import, without media
            return {}
        for index, (number, entry) in enumerate(_protobuf_fields(data)):
            if number == 1 and isinstance(entry, bytes):
                name = _text(dict(_protobuf_fields(entry)).get(1))
                names[name] = str(index)
    else:
        try:
            mapping = bounded_json(raw.decode("utf-8", "replace"), f"{path}: media")
        except PackageError:
            return {}
        if isinstance(mapping, dict):
            names = {str(name): str(member) for member, name in mapping.items()}
    return {name: member for name, member in names.items() if safe_media_name(name) and member in members}


def safe_media_name(name: str) -> bool:
    """A plain file name (no folders, no dot files, no control characters)."""
    return (
        bool(name)
        and len(name) <= 255
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and ":" not in name
        and all(ord(char) >= 32 for char in name)
    )


def copy_media(package_path: Path, collection: Collection, names: list[str], target: Path) -> list[str]:
    """Copy the named media files out of the package into `target` (created), each bounded in
    size, the total too; returns the names copied. A file already there with other bytes is
    kept (the learner's), and the package's copy is skipped."""
    copied: list[str] = []
    total = 0
    wanted = [name for name in dict.fromkeys(names) if name in collection.media]
    if not wanted:
        return copied
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(package_path) as package:
        for name in wanted:
            info = package.getinfo(collection.media[name])
            destination = target / name
            temporary = target / f".{name}.part"
            try:
                with package.open(info) as source, open(temporary, "wb") as sink:
                    if collection.media_compressed:
                        import zstandard

                        with zstandard.ZstdDecompressor().stream_reader(source) as reader:
                            size = _copy_limited(reader, sink, MAX_MEDIA_BYTES)
                    else:
                        size = _copy_limited(source, sink, MAX_MEDIA_BYTES)
                total += size
                if size < 0 or total > MAX_MEDIA_TOTAL:
                    continue
                if destination.exists() and destination.read_bytes() != temporary.read_bytes():
                    continue
                temporary.replace(destination)
                copied.append(name)
            except Exception:  # a damaged media file: the card keeps its reference
                continue
            finally:
                temporary.unlink(missing_ok=True)
    return copied


def _copy_limited(source, sink, limit: int) -> int:
    """Bytes copied, or -1 once past `limit` (what was written is then thrown away)."""
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > limit:
            return -1
        sink.write(chunk)
    return written


def _copy_member(path: Path, package: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    """Copy one member to `target`, decompressing zstd for .anki21b, never past the limit."""
    with package.open(info) as source, open(target, "wb") as sink:
        if info.filename.endswith(".anki21b"):
            try:
                import zstandard
            except ImportError:
                raise PackageError(
                    _(
                        "{file}: this package uses Anki's newer compressed format (collection.anki21b),"
                        " which needs the 'zstandard' package; install it, or export from Anki with"
                        " 'Support older Anki versions' ticked"
                    ).format(file=path)
                ) from None
            try:
                with zstandard.ZstdDecompressor().stream_reader(source) as reader:
                    _bounded_copy(path, reader, sink, info.filename)
            except zstandard.ZstdError as exc:
                raise PackageError(
                    _("{file}: {member} is not valid zstd data ({detail})").format(
                        file=path, member=info.filename, detail=exc
                    )
                ) from None
        else:
            _bounded_copy(path, source, sink, info.filename)


def _bounded_copy(path: Path, source, sink, name: str) -> None:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > MAX_MEMBER_BYTES:
            raise PackageError(
                _("{file}: {member} is over the {limit:.0f} MiB limit uncompressed; refusing to read it").format(
                    file=path, member=name, limit=MAX_MEMBER_BYTES / 2**20
                )
            )
        sink.write(chunk)


def read_collection(db_path: Path, label: str, progress: Progress | None = None) -> Collection:
    """Note types, decks, notes, cards and review log of a collection file (schema 11 or 18).

    The file is hostile until read: it is opened read-only, every value is capped in size
    (SQLITE_LIMIT_LENGTH), the whole read has a budget of SQLite VM steps, and only plain
    tables with plain columns are read (a view, a virtual table or a generated column could
    compute anything on read, so any of those is refused)."""
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise PackageError(_("{file}: cannot open the collection ({detail})").format(file=label, detail=exc)) from None
    conn.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    conn.text_factory = bytes  # raw values: decoded here, with replacement, never trusted to be UTF-8
    budget = _StepBudget(MAX_SQL_STEPS)
    conn.set_progress_handler(budget, _STEPS_PER_CALL)
    try:
        _limit(conn, MAX_CONFIG_BYTES)
        tables = _plain_tables(conn, label)
        if not {"notes", "col"} <= tables:
            raise PackageError(_("{file}: not an Anki collection (no notes table)").format(file=label))
        collection = Collection()
        collection.created = _int(conn.execute("SELECT crt FROM col").fetchone()[0] if _has_rows(conn, "col") else 0)
        if "notetypes" in tables and conn.execute("SELECT count(*) FROM notetypes").fetchone()[0]:
            collection.notetypes = _notetypes_v18(conn)
            collection.decks = _decks_v18(conn)
        else:
            models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
            collection.notetypes = _notetypes_legacy(_str(models), label)
            collection.decks = _decks_legacy(_str(decks), label)
        _limit(conn, MAX_NOTE_BYTES + 1)
        if "cards" in tables:
            collection.cards = _cards(conn)
        deck_of: dict[int, int] = {}
        for card in sorted(collection.cards, key=lambda c: (-c.ord, -c.id)):
            deck_of[card.note_id] = card.original_deck_id or card.deck_id  # the note's first card wins
        total = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        for done, (note_id, guid, notetype_id, tags, fields) in enumerate(
            conn.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"), start=1
        ):
            if len(fields or b"") > MAX_NOTE_BYTES:
                raise PackageError(
                    _(
                        "{file}: note {note} is {size:.1f} MiB, over the {limit:.0f} MiB limit for one note;"
                        " refusing the package (nothing was written)"
                    ).format(file=label, note=note_id, size=len(fields) / 2**20, limit=MAX_NOTE_BYTES / 2**20)
                )
            collection.notes.append(
                Note(
                    id=_int(note_id),
                    guid=_str(guid),
                    notetype_id=_int(notetype_id),
                    tags=tuple(_str(tags).split()),
                    fields=tuple(_str(fields).split("\x1f")),
                    deck_id=deck_of.get(_int(note_id)),
                )
            )
            if progress is not None and done % 500 == 0:
                progress(N_("notes"), done, total)
        if "revlog" in tables:
            collection.reviews = _reviews(conn)
        return collection
    except sqlite3.DataError:
        raise PackageError(_too_big(label)) from None
    except sqlite3.OperationalError as exc:
        if budget.spent:
            raise PackageError(
                _(
                    "{file}: reading the collection took more than {steps:,} SQLite steps;"
                    " refusing it (a damaged or hostile package)"
                ).format(file=label, steps=MAX_SQL_STEPS)
            ) from None
        if "too big" in str(exc):
            raise PackageError(_too_big(label)) from None
        raise PackageError(
            _("{file}: not a readable Anki collection ({detail})").format(file=label, detail=exc)
        ) from None
    except sqlite3.DatabaseError as exc:
        raise PackageError(
            _("{file}: not a readable Anki collection ({detail})").format(file=label, detail=exc)
        ) from None
    finally:
        conn.close()


def _too_big(label: str) -> str:
    return _(
        "{file}: a value in the collection is over the {limit:.0f} MiB limit for one note;"
        " refusing the package (nothing was written)"
    ).format(file=label, limit=MAX_NOTE_BYTES / 2**20)


class _StepBudget:
    """SQLite's progress handler: a non-zero return aborts the running statement."""

    def __init__(self, steps: int):
        self.calls_left = max(1, steps // _STEPS_PER_CALL)
        self.spent = False

    def __call__(self) -> int:
        self.calls_left -= 1
        if self.calls_left <= 0:
            self.spent = True
            return 1
        return 0


def _limit(conn: sqlite3.Connection, length: int) -> None:
    """Cap every string or blob SQLite makes (Python 3.11+; the step budget still holds before)."""
    setlimit = getattr(conn, "setlimit", None)
    if setlimit is not None:
        setlimit(getattr(sqlite3, "SQLITE_LIMIT_LENGTH", 0), length)


READ_TABLES = ("col", "notes", "cards", "revlog", "notetypes", "fields", "templates", "decks")


def _plain_tables(conn: sqlite3.Connection, label: str) -> set[str]:
    """The ordinary tables of the file; refuses the ones we read if they are views, virtual
    tables, or have generated columns (those compute values on read, of any size)."""
    kinds = {
        _str(name): (_str(kind), _str(sql))
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    tables = set()
    for name in READ_TABLES:
        if name not in kinds:
            continue
        kind, sql = kinds[name]
        if kind != "table" or sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            raise PackageError(
                _("{file}: '{table}' is not a plain table; refusing the package").format(file=label, table=name)
            )
        hidden = [row[1] for row in conn.execute(f"PRAGMA table_xinfo({name})") if row[6] not in (0,)]
        if hidden:
            raise PackageError(
                _("{file}: '{table}' has generated or hidden columns ({column}); refusing the package").format(
                    file=label, table=name, column=_str(hidden[0])
                )
            )
        tables.add(name)
    return tables


def _has_rows(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None


def _cards(conn: sqlite3.Connection) -> list[Card]:
    rows = conn.execute(
        "SELECT id, nid, did, ord, mod, type, queue, due, ivl, factor, reps, lapses, flags, data, odid, odue"
        " FROM cards ORDER BY id"
    )
    return [
        Card(
            id=_int(row[0]),
            note_id=_int(row[1]),
            deck_id=_int(row[2]),
            ord=_int(row[3]),
            mod=_int(row[4]),
            type=_int(row[5]),
            queue=_int(row[6]),
            due=_int(row[7]),
            interval=_int(row[8]),
            factor=_int(row[9]),
            reps=_int(row[10]),
            lapses=_int(row[11]),
            flags=_int(row[12]),
            data=_json_object(_str(row[13])),
            original_deck_id=_int(row[14]),
            original_due=_int(row[15]),
        )
        for row in rows
    ]


def _reviews(conn: sqlite3.Connection) -> list[Review]:
    rows = conn.execute("SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id")
    return [Review(*(_int(value) for value in row)) for row in rows]


def _int(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 2**63:
        return int(value)
    if isinstance(value, (bytes, str)):
        try:
            return int(value)
        except ValueError:
            return 0
    return 0


def _str(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _json_object(text: str) -> dict:
    """A card's small JSON `data` (FSRS memory state); anything odd reads as {}."""
    if not text or len(text) > 4096:
        return {}
    try:
        value = bounded_json(text, _("card data"))
    except PackageError:
        return {}
    return value if isinstance(value, dict) else {}


MAX_JSON_DEPTH = 64


def bounded_json(text: str, label: str):
    """json.loads after a linear check that nesting stays under MAX_JSON_DEPTH: a deeply nested
    document would otherwise end in a RecursionError."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise PackageError(
                    _("{file}: nested more than {depth} levels deep; refusing it").format(
                        file=label, depth=MAX_JSON_DEPTH
                    )
                )
        elif char in "]}":
            depth -= 1
        deepest = max(deepest, depth)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise PackageError(_("{file}: damaged (invalid JSON)").format(file=label)) from None


def _notetypes_legacy(models_json: str, label: str) -> dict[int, Notetype]:
    models = bounded_json(models_json or "{}", _("{file}: the note types").format(file=label))
    if not isinstance(models, dict):
        raise PackageError(_("{file}: the note types are damaged (not a JSON object)").format(file=label))
    notetypes = {}
    for key, model in models.items():
        if not isinstance(model, dict):
            continue
        fields = sorted(_dicts(model.get("flds")), key=lambda f: _int(f.get("ord", 0)))
        templates = sorted(_dicts(model.get("tmpls")), key=lambda t: _int(t.get("ord", 0)))
        model_id = _int(model.get("id", key))
        notetypes[model_id] = Notetype(
            id=model_id,
            name=_str(model.get("name", "")),
            is_cloze=model.get("type") == 1,
            fields=tuple(_str(f.get("name", "")) for f in fields),
            templates=tuple((_str(t.get("qfmt", "")), _str(t.get("afmt", ""))) for t in templates),
            template_names=tuple(_str(t.get("name", "")) for t in templates),
        )
    return notetypes


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _decks_legacy(decks_json: str, label: str) -> dict[int, tuple[str, str]]:
    decks = bounded_json(decks_json or "{}", _("{file}: the decks").format(file=label))
    if not isinstance(decks, dict):
        return {}
    return {
        _int(deck.get("id", key)): (_str(deck.get("name", "")), _str(deck.get("desc", "")))
        for key, deck in decks.items()
        if isinstance(deck, dict)
    }


def _notetypes_v18(conn: sqlite3.Connection) -> dict[int, Notetype]:
    fields: dict[int, list[str]] = {}
    for notetype_id, name in conn.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(_int(notetype_id), []).append(_str(name))
    templates: dict[int, list[tuple[str, str, str]]] = {}
    for notetype_id, name, config in conn.execute("SELECT ntid, name, config FROM templates ORDER BY ntid, ord"):
        parsed = dict(_protobuf_fields(_bytes(config)))  # Template.Config: 1 q_format, 2 a_format
        templates.setdefault(_int(notetype_id), []).append((_text(parsed.get(1)), _text(parsed.get(2)), _str(name)))
    notetypes = {}
    for notetype_id, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        kind = dict(_protobuf_fields(_bytes(config))).get(1, 0)  # Notetype.Config: 1 kind (1 = cloze)
        own = templates.get(_int(notetype_id), [])
        notetypes[_int(notetype_id)] = Notetype(
            id=_int(notetype_id),
            name=_str(name),
            is_cloze=kind == 1,
            fields=tuple(fields.get(_int(notetype_id), ())),
            templates=tuple((q, a) for q, a, _ in own),
            template_names=tuple(n for _, _, n in own),
        )
    return notetypes


def _decks_v18(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    decks = {}
    for deck_id, name, kind in conn.execute("SELECT id, name, kind FROM decks"):
        description = ""
        normal = dict(_protobuf_fields(_bytes(kind))).get(1)  # KindContainer: 1 normal
        if isinstance(normal, bytes):
            description = _text(dict(_protobuf_fields(normal)).get(4))  # Normal: 4 description
        decks[_int(deck_id)] = (_str(name).replace("\x1f", "::"), description)
    return decks


def _bytes(value: object) -> bytes:
    return value if isinstance(value, bytes) else b""


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
