"""`studyctl export anki` and `studyctl import anki`: decks to an Anki package and back.

Both groups are registered lazily; genanki is imported only when an export runs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from studyctl.cli.errors import EXIT_BAD_INPUT
from studyctl.cli.options import json_option, print_json

STATE_FILE = "anki-export.json"


def _fail(message: str):
    """Bad input: say why on stderr, exit 2, write nothing."""
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(EXIT_BAD_INPUT)


@click.group()
def export() -> None:
    """Export decks to other tools (Anki)."""


@export.command(name="anki")
@click.option(
    "--deck", "deck_ids", multiple=True, metavar="ID", help="Export this deck (repeat for more); default: every deck."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The package to write (default: studyctl.apkg, or <deck-id>.apkg for one deck).",
)
@json_option
@click.pass_obj
def export_anki(ctx, deck_ids: tuple[str, ...], output: Path | None, json_: bool) -> None:
    """Write decks to an Anki package (.apkg) for Anki, AnkiDroid or AnkiMobile.

    Each deck becomes `studyctl::<deck-id>`. Export again after editing cards and import the
    new file: Anki updates the notes you changed (keeping their review history) and leaves
    the others alone.
    """
    from studyctl import paths
    from studyctl.anki.export import export_decks
    from studyctl.anki.stamps import Stamps
    from studyctl.content.decks import load_deck
    from studyctl.content.issues import ContentError

    decks, broken = {}, {}

    def load(paths) -> None:
        for path in paths:
            try:
                deck, _ = load_deck(path)
            except ContentError as exc:
                broken[path.stem] = exc.issues
                continue
            decks[deck.id] = deck

    files = ctx.deck_files()
    named = [path for path in files if path.stem in deck_ids]
    load(named if deck_ids else files)  # deck ids equal file names; only the asked-for files are read
    if deck_ids and not set(deck_ids) <= set(decks):
        load([path for path in files if path not in named])  # a deck whose id differs from its file name
    if deck_ids:
        for deck_id in deck_ids:
            if deck_id in decks:
                continue
            if deck_id in broken:
                for issue in broken[deck_id]:
                    click.echo(str(issue), err=True)
                _fail(f"deck '{deck_id}' has errors (above); fix them, or check with `studyctl validate`")
            _fail(f"no deck '{deck_id}'; `studyctl decks` lists the decks you have")
        chosen = [decks[deck_id] for deck_id in dict.fromkeys(deck_ids)]
    else:
        for stem, issues in sorted(broken.items()):
            click.echo(f"skipped deck '{stem}': {issues[0]}", err=True)
        chosen = [decks[deck_id] for deck_id in sorted(decks)]
    if not chosen:
        _fail("no decks to export; add YAML decks under a content folder's decks/")
    if output is None:
        output = Path(f"{chosen[0].id}.apkg" if len(chosen) == 1 else "studyctl.apkg")
    if output.suffix.lower() != ".apkg":
        click.echo(f"note: Anki imports packages named *.apkg; {output} will need renaming", err=True)

    stamps = Stamps(paths.home() / STATE_FILE)
    result = export_decks(chosen, output, stamps)
    stamps.save()
    if json_:
        print_json(result.to_dict())
        return
    for deck in result.decks:
        click.echo(f"{deck['anki_deck']:<40} {deck['notes']:>5} notes {deck['cards']:>5} cards")
    click.echo(
        f"Wrote {output}: {len(result.decks)} decks, {result.notes} notes, {result.cards} cards"
        f" ({result.changed} new or changed since the last export)."
    )


@click.group(name="import")
def import_() -> None:
    """Import decks from other tools (Anki)."""


@import_.command(name="anki")
@click.argument("package", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "deck_id", metavar="DECK_ID", help="The new deck's id (default: from the Anki deck's name).")
@click.option("--force", is_flag=True, help="Replace an existing deck with the same id.")
@json_option
@click.pass_obj
def import_anki(ctx, package: Path, deck_id: str | None, force: bool, json_: bool) -> None:
    """Read the notes of an Anki package (.apkg) into a new deck you can edit.

    The deck is written to your content folder's decks/ as YAML. Cloze notes stay cloze,
    notes with a type-in answer become typed cards, the rest basic (front and back); HTML
    becomes text and Markdown; tags are kept. Media files are not imported.
    """
    from studyctl import paths
    from studyctl.anki.apkg import PackageError, read_package
    from studyctl.anki.importing import deck_from_package, to_yaml, write_deck
    from studyctl.content.fields import SLUG

    if deck_id is not None and not SLUG.match(deck_id):
        _fail(f"--as {deck_id!r}: a deck id is a slug (lowercase letters, digits and '-')")
    try:
        imported = deck_from_package(read_package(package), package, deck_id)
    except PackageError as exc:
        _fail(str(exc))
    target = paths.user_content_dir() / "decks" / f"{imported.id}.yaml"
    existing = {path.stem: path for path in ctx.deck_files()}.get(imported.id)
    if not force:
        if target.exists():
            _fail(f"{target} already exists; use --force to replace it, or --as to choose another deck id")
        if existing is not None:
            _fail(
                f"a deck '{imported.id}' already exists ({existing}); the imported deck would replace it."
                " Choose another id with --as, or use --force"
            )
    write_deck(to_yaml(imported, package), target)

    types = Counter(card["type"] for card in imported.cards)
    summary = {
        "deck": imported.id,
        "path": str(target),
        "notes": imported.notes,
        "cards": len(imported.cards),
        "types": dict(sorted(types.items())),
        "skipped": imported.skipped,
        "anki_decks": imported.anki_decks,
        "media_references": imported.media,
    }
    for reason in imported.skipped:
        click.echo(f"skipped {reason}", err=True)
    if len(imported.anki_decks) > 1:
        click.echo(f"note: {len(imported.anki_decks)} Anki decks were merged into one studyctl deck", err=True)
    if imported.media:
        click.echo(f"note: {imported.media} media references kept as text; media files are not imported", err=True)
    if json_:
        print_json(summary)
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(types.items()))
    click.echo(f"Imported {len(imported.cards)} cards ({kinds}) into deck '{imported.id}': {target}")
