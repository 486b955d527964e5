"""Decks to Anki and back: `studyctl export anki` and `studyctl import anki`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyctl import paths
from studyctl.errors import NotFound, StudyctlError
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


def export_anki(home: Home, deck_ids: tuple[str, ...] = (), output: Path | None = None) -> Exported:
    """Write decks (default: every deck that loads) to an .apkg. Notes keep their modification
    stamps between exports (machine state), so Anki updates exactly the notes that changed."""
    from studyctl.anki.export import export_decks
    from studyctl.anki.stamps import Stamps
    from studyctl.content.decks import load_deck
    from studyctl.content.issues import ContentError

    decks: dict[str, Deck] = {}
    broken: dict[str, ContentError] = {}

    def load(files: list[Path]) -> None:
        for path in files:
            try:
                deck, _ = load_deck(path)
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
                raise StudyctlError(
                    "\n".join([*broken[deck_id].lines(), f"deck '{deck_id}' has errors (above); fix them first"])
                )
            raise NotFound("deck", deck_id, [*decks, *broken], listing="studyctl decks")
        chosen = [decks[deck_id] for deck_id in dict.fromkeys(deck_ids)]
    else:
        skipped = tuple(f"skipped deck '{stem}': {exc.issues[0]}" for stem, exc in sorted(broken.items()))
        chosen = [decks[deck_id] for deck_id in sorted(decks)]
    if not chosen:
        raise StudyctlError("no decks to export; add YAML decks under a content folder's decks/")
    if output is None:
        output = Path(f"{chosen[0].id}.apkg" if len(chosen) == 1 else "studyctl.apkg")
    notes: tuple[str, ...] = ()
    if output.suffix.lower() != ".apkg":
        notes = (f"note: Anki imports packages named *.apkg; {output} will need renaming",)
    stamps = Stamps(home.state(STAMPS_KEY), now=home.clock().timestamp())
    result = export_decks(chosen, output, stamps)
    home.remember(STAMPS_KEY, stamps.entries)
    return Exported(result, output, skipped, notes)


@dataclass(frozen=True)
class Imported:
    deck: str
    path: Path
    notes: int
    cards: int
    types: dict[str, int]
    skipped: tuple[str, ...]
    anki_decks: tuple[str, ...]
    media_references: int
    messages: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "path": str(self.path),
            "notes": self.notes,
            "cards": self.cards,
            "types": self.types,
            "skipped": list(self.skipped),
            "anki_decks": list(self.anki_decks),
            "media_references": self.media_references,
        }


def import_anki(home: Home, package: Path, *, deck_id: str | None = None, force: bool = False) -> Imported:
    """Read the notes of an Anki package into a new deck file in the user's content folder."""
    from studyctl.anki.apkg import PackageError, read_package
    from studyctl.anki.importing import deck_from_package, to_yaml, write_deck
    from studyctl.content.fields import SLUG

    if deck_id is not None and not SLUG.match(deck_id):
        raise StudyctlError(f"--as {deck_id!r}: a deck id is a slug (lowercase letters, digits and '-')")
    try:
        imported = deck_from_package(read_package(package), package, deck_id)
    except PackageError as exc:
        raise StudyctlError(str(exc)) from None
    target = paths.user_content_dir() / "decks" / f"{imported.id}.yaml"
    existing = home.files("deck").get(imported.id)
    if not force:
        if target.exists():
            raise StudyctlError(
                f"{target} already exists; use --force to replace it, or --as to choose another deck id"
            )
        if existing is not None:
            raise StudyctlError(
                f"a deck '{imported.id}' already exists ({existing}); the imported deck would replace it."
                " Choose another id with --as, or use --force"
            )
    write_deck(to_yaml(imported, package), target)
    types = Counter(card["type"] for card in imported.cards)
    messages = [f"skipped {reason}" for reason in imported.skipped]
    if len(imported.anki_decks) > 1:
        messages.append(f"note: {len(imported.anki_decks)} Anki decks were merged into one studyctl deck")
    if imported.media:
        messages.append(f"note: {imported.media} media references kept as text; media files are not imported")
    return Imported(
        deck=imported.id,
        path=target,
        notes=imported.notes,
        cards=len(imported.cards),
        types=dict(sorted(types.items())),
        skipped=tuple(imported.skipped),
        anki_decks=tuple(imported.anki_decks),
        media_references=imported.media,
        messages=tuple(messages),
    )
