"""`studyctl export anki` and `studyctl import anki`: decks to an Anki package and back.

Both groups are registered lazily; genanki is imported only when an export runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


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
def export_anki(home: Home, deck_ids: tuple[str, ...], output: Path | None, json_: bool) -> None:
    """Write decks to an Anki package (.apkg) for Anki, AnkiDroid or AnkiMobile.

    Each deck becomes `studyctl::<deck-id>`. Export again after editing cards and import the
    new file: Anki updates the notes you changed (keeping their review history) and leaves
    the others alone.
    """
    from studyctl.service.anki import export_anki as export_decks

    exported = export_decks(home, deck_ids, output)
    for line in [*exported.skipped, *exported.notes]:
        click.echo(line, err=True)
    result = exported.result
    if json_:
        print_json(exported.to_dict())
        return
    for deck in result.decks:
        click.echo(f"{deck['anki_deck']:<40} {deck['notes']:>5} notes {deck['cards']:>5} cards")
    click.echo(
        f"Wrote {exported.output}: {len(result.decks)} decks, {result.notes} notes, {result.cards} cards"
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
def import_anki(home: Home, package: Path, deck_id: str | None, force: bool, json_: bool) -> None:
    """Read the notes of an Anki package (.apkg) into a new deck you can edit.

    The deck is written to your content folder's decks/ as YAML. Cloze notes stay cloze,
    notes with a type-in answer become typed cards, the rest basic (front and back); HTML
    becomes text and Markdown; tags are kept. Media files are not imported.
    """
    from studyctl.service.anki import import_anki as import_package

    imported = import_package(home, package, deck_id=deck_id, force=force)
    for line in imported.messages:
        click.echo(line, err=True)
    if json_:
        print_json(imported.to_dict())
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in imported.types.items())
    click.echo(f"Imported {imported.cards} cards ({kinds}) into deck '{imported.deck}': {imported.path}")
