"""Decks to Anki and back: `studyctl export anki` and `studyctl import anki`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyctl import paths
from studyctl.errors import NotFound, StudyctlError
from studyctl.fsutil import require_parent_dir
from studyctl.i18n import N_, _, ngettext
from studyctl.service.home import Home

if TYPE_CHECKING:
    from studyctl.anki.export import ExportResult
    from studyctl.content.model.deck import Deck

STAMPS_KEY = "anki/stamps"


@dataclass(frozen=True)
class Exported:
    result: ExportResult
    output: Path
    skipped: tuple[str, ...] = ()  # broken decks left out of an export of every deck
    notes: tuple[str, ...] = ()  # things worth saying (a file name Anki won't take)

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_dict()


def export_anki(
    home: Home, deck_ids: tuple[str, ...] = (), output: Path | None = None, *, with_schedule: bool = False
) -> Exported:
    """Write decks (default: every deck that loads) to an .apkg. Notes keep their modification
    stamps between exports (machine state), so Anki updates exactly the notes that changed.
    `with_schedule`: each card's FSRS state, marks and review log go along, for Anki's import
    "with scheduling"."""
    from studyctl.anki.export import export_decks
    from studyctl.anki.stamps import Stamps
    from studyctl.content.decks import load_deck
    from studyctl.content.issues import ContentError

    decks: dict[str, Deck] = {}
    broken: dict[str, ContentError] = {}

    def load(files: list[Path]) -> None:
        for path in files:
            try:
                deck, _warnings = load_deck(path)
            except ContentError as exc:
                broken[path.stem] = exc
                continue
            decks[deck.id] = deck

    files = list(home.files("deck").values())
    named = [path for path in files if path.stem in deck_ids]
    load(named if deck_ids else files)  # deck ids equal file names; only the asked-for files are read
    if deck_ids and not set(deck_ids) <= set(decks):
        load([path for path in files if path not in named])  # a deck whose id differs from its file name
    skipped: tuple[str, ...] = ()
    if deck_ids:
        for deck_id in deck_ids:
            if deck_id in decks:
                continue
            if deck_id in broken:
                fix = _("deck '{deck}' has errors (above); fix them first").format(deck=deck_id)
                raise StudyctlError("\n".join([*broken[deck_id].lines(), fix]))
            raise NotFound("deck", deck_id, [*decks, *broken], listing="studyctl decks")  # i18n: not shown
        chosen = [decks[deck_id] for deck_id in dict.fromkeys(deck_ids)]
    else:
        skipped = tuple(
            _("skipped deck '{deck}': {problem}").format(deck=stem, problem=exc.issues[0])
            for stem, exc in sorted(broken.items())
        )
        chosen = [decks[deck_id] for deck_id in sorted(decks)]
    if not chosen:
        raise StudyctlError(_("no decks to export; add YAML decks under a content folder's decks/"))
    if output is None:
        output = Path(f"{chosen[0].id}.apkg" if len(chosen) == 1 else "studyctl.apkg")
    notes: tuple[str, ...] = ()
    if output.suffix.lower() != ".apkg":
        notes = (_("note: Anki imports packages named *.apkg; {file} will need renaming").format(file=output),)
    require_parent_dir(output)
    stamps = Stamps(home.state(STAMPS_KEY), now=home.clock().timestamp())
    schedule = _schedule_out(home, [deck.id for deck in chosen]) if with_schedule else None
    media = _media_files(home, chosen)
    result = export_decks(chosen, output, stamps, schedule, media)
    home.remember(STAMPS_KEY, stamps.entries)
    notes += tuple(_("left out {what}").format(what=line) for line in result.left_out)
    return Exported(result, output, skipped, notes)


def _schedule_out(home: Home, deck_ids: list[str]) -> Any:
    """Each card's schedule from the store, with the day numbering Anki reads due dates in."""
    import datetime as dt

    from studyctl.anki.export import ScheduleOut
    from studyctl.anki.schedule import Settings
    from studyctl.clock import day_end_utc, iso_utc, study_day
    from studyctl.srs.scheduling import make_scheduler
    from studyctl.store.anki_history import schedules

    home.sync_decks()
    now = home.clock()
    rollover = home.settings.rollover_hour
    today = study_day(now, rollover)
    created = day_end_utc(today - dt.timedelta(days=1), rollover)
    review = home.settings.review
    parameters = make_scheduler(review).parameters
    settings = Settings(review.desired_retention, float(parameters[20]), len(review.learning_steps))

    def day_of(moment: dt.datetime) -> int:
        return (study_day(moment, rollover) - today).days

    cards = schedules(home.conn, deck_ids, iso_utc(now))
    return ScheduleOut(cards, int(created.timestamp()), day_of, now, settings)


def _media_files(home: Home, decks: list[Deck]) -> dict[str, Path]:
    """The images the cards show, found in a content root's media/ folder (a later root wins)."""
    from studyctl.anki.export import media_names

    found: dict[str, Path] = {}
    for name in media_names(decks):
        for root in reversed(home.roots):
            if (root / "media" / name).is_file():
                found[name] = root / "media" / name
                break
    return found


@dataclass(frozen=True)
class Imported:
    deck: str | None  # the new deck written (None: every note was known already)
    path: Path | None
    notes: int
    cards: int
    types: dict[str, int]
    skipped: tuple[str, ...]
    anki_decks: tuple[str, ...]
    media: tuple[str, ...] = ()  # media files copied into the content folder
    history: dict[str, Any] = field(default_factory=dict)  # what the review log merge did
    messages: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "path": str(self.path) if self.path else None,
            "notes": self.notes,
            "cards": self.cards,
            "types": self.types,
            "skipped": list(self.skipped),
            "anki_decks": list(self.anki_decks),
            "media": list(self.media),
            "history": self.history,
        }


Progress = Callable[[str, int, int], None]


def import_anki(
    home: Home,
    package: Path,
    *,
    deck_id: str | None = None,
    force: bool = False,
    history_only: bool = False,
    progress: Progress | None = None,
) -> Imported:
    """Bring an Anki package (.apkg or .colpkg) in: notes studyctl does not know become a new
    deck in the user's content folder (media copied beside it); then Anki's review log, flags
    and suspensions of every note studyctl knows (its own exports by GUID, decks imported
    before, the deck just written) merge into the journal, and those cards' states are rebuilt
    by replay. Idempotent: a second import of the same file adds nothing. Nothing is written
    when the package is refused."""
    from dataclasses import replace

    from studyctl.anki.apkg import PackageError, copy_media, read_package
    from studyctl.anki.importing import deck_from_package, to_yaml, write_deck
    from studyctl.content.fields import SLUG

    if deck_id is not None and not SLUG.match(deck_id):
        raise StudyctlError(
            _("--as {deck}: a deck id is a slug (lowercase letters, digits and '-')").format(deck=repr(deck_id))
        )
    if package.is_file() and package.stat().st_size > MAX_PACKAGE_BYTES:
        raise StudyctlError(
            _("{file}: {size:.0f} MiB, over the {limit:.0f} MiB limit for a package; nothing was written").format(
                file=package, size=package.stat().st_size / 2**20, limit=MAX_PACKAGE_BYTES / 2**20
            )
        )
    try:
        collection = read_package(package, progress)
    except PackageError as exc:
        raise StudyctlError(str(exc)) from None
    if not collection.notes:
        raise StudyctlError(_("{file}: the package has no notes; nothing to import").format(file=package))
    links, broken = _links(home)
    known = {guid for guid, _ in links}
    unknown = [note for note in collection.notes if force or note.guid not in known]
    messages: list[str] = [
        _("note: deck file {file} has errors; its notes count as unknown").format(file=name) for name in broken
    ]
    written: Any = None
    target: Path | None = None
    copied: list[str] = []
    if unknown and not history_only:
        try:
            written = deck_from_package(replace(collection, notes=unknown), package, deck_id)
        except PackageError as exc:
            raise StudyctlError(str(exc)) from None
        target = paths.user_content_dir() / "decks" / f"{written.id}.yaml"
        existing = home.files("deck").get(written.id)
        if not force:
            if target.exists():
                raise StudyctlError(
                    ngettext(
                        "{file} already exists; {count} note of the package is new to studyctl."
                        " Use --as to put it in another deck, --history-only to merge only the review log,"
                        " or --force to replace the deck",
                        "{file} already exists; {count} notes of the package are new to studyctl."
                        " Use --as to put them in another deck, --history-only to merge only the review log,"
                        " or --force to replace the deck",
                        len(unknown),
                    ).format(file=target, count=len(unknown))
                )
            if existing is not None:
                raise StudyctlError(
                    _(
                        "a deck '{deck}' already exists ({file}); the imported deck would replace it."
                        " Choose another id with --as, or use --force"
                    ).format(deck=written.id, file=existing)
                )
        copied = copy_media(package, collection, written.media, paths.user_content_dir() / "media")
        write_deck(to_yaml(written, package), target)
        links, _broken = _links(home)
    elif unknown:
        messages.append(
            ngettext(
                "note: {count} note is new to studyctl and was not imported (--history-only)",
                "note: {count} notes are new to studyctl and were not imported (--history-only)",
                len(unknown),
            ).format(count=len(unknown))
        )
    history = _merge_history(home, collection, links, progress)
    return _summary(written, target, collection, copied, history, messages)


MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024


def _links(home: Home) -> tuple[dict[tuple[str, int], tuple[str, str, int]], list[str]]:
    """(GUID, Anki ord) -> card key of every deck that loads; and the deck files that don't."""
    from studyctl.anki.identity import links
    from studyctl.content.decks import load_deck
    from studyctl.content.issues import ContentError

    found: dict[tuple[str, int], tuple[str, str, int]] = {}
    broken = []
    for path in home.files("deck").values():
        try:
            deck, _warnings = load_deck(path, home.parse_cache)
        except ContentError:
            broken.append(path.name)
            continue
        for link in links(deck):
            found.setdefault((link.guid, link.anki_ord), (link.deck, link.note, link.ord))
    return found, broken


def _merge_history(
    home: Home, collection: Any, links: dict[tuple[str, int], tuple[str, str, int]], progress: Progress | None
) -> dict[str, Any]:
    from studyctl.anki.schedule import history
    from studyctl.clock import iso_utc
    from studyctl.srs.replay import replay_card, to_row
    from studyctl.srs.scheduling import make_scheduler, scheduler_config
    from studyctl.store import anki_history, reviewing

    home.sync_decks()
    found = history(collection, links)
    conn = home.conn
    now = iso_utc(home.clock())
    scheduler = reviewing.scheduler_id(conn, scheduler_config(make_scheduler(home.settings.review)), now)
    configs = reviewing.scheduler_configs(conn)
    if progress is not None:
        progress(N_("reviews"), 0, len(found.reviews))

    def replay(rows: list[Any], card_id: int) -> reviewing.StateRow:
        return to_row(replay_card(rows, configs, card_id))

    report = anki_history.merge(conn, found.reviews, found.marks, scheduler, replay, now=now)
    skipped = dict(found.skipped)
    for reason, count in (  # English keys (--json carries them); the faces show _(reason)
        (N_("imported before"), report.already),
        (N_("already in studyctl's log (exported from here)"), report.same_time),
        (N_("its card is not in studyctl's store"), report.missing),
    ):
        if count:
            skipped[reason] = count
    return {
        "anki_reviews": len(collection.reviews),
        "added": report.added,
        "cards": len(report.cards),
        "marks": report.marks,
        "skipped": skipped,
    }


def _summary(
    written: Any, target: Path | None, collection: Any, copied: list[str], history: dict[str, Any], notes: list[str]
) -> Imported:
    messages = list(notes)
    if written is not None:
        messages += [_("skipped {what}").format(what=reason) for reason in written.skipped]
        messages += [_("dropped {what}").format(what=reason) for reason in written.dropped]
        if len(written.anki_decks) > 1:
            messages.append(
                _(
                    "note: {count} Anki decks were merged into one studyctl deck; each card is tagged with its sub-deck"
                ).format(count=len(written.anki_decks))
            )
        missing = [name for name in written.media if name not in copied]
        if missing:
            messages.append(
                ngettext(
                    "note: {count} media file the cards use is not in the package: {names}",
                    "note: {count} media files the cards use are not in the package: {names}",
                    len(missing),
                ).format(count=len(missing), names=missing[:5])
            )
    types = Counter(card["type"] for card in written.cards) if written is not None else Counter()
    return Imported(
        deck=written.id if written is not None else None,
        path=target,
        notes=len(collection.notes),
        cards=len(written.cards) if written is not None else 0,
        types=dict(sorted(types.items())),
        skipped=tuple(written.skipped) if written is not None else (),
        anki_decks=tuple(written.anki_decks) if written is not None else (),
        media=tuple(copied),
        history=history,
        messages=tuple(messages),
    )
