"""`studyctl export anki` and `studyctl import anki`: decks to an Anki package and back.

Both groups are registered lazily; genanki is imported only when an export runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, listing, print_json, type_label
from studyctl.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.group()
def export() -> None:
    """Export decks to other tools (Anki)."""


@export.command(name="anki")
@click.option(
    "--deck",
    "deck_ids",
    multiple=True,
    metavar="ID",
    help=_("Export this deck (repeat for more); default: every deck."),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("The package to write (default: studyctl.apkg, or <deck-id>.apkg for one deck)."),
)
@click.option(
    "--with-schedule",
    is_flag=True,
    help=_(
        "Include each card's FSRS state, due date, suspension, flag and review log"
        " (import in Anki 23.10+ with FSRS on and 'Import any learning progress' ticked)."
    ),
)
@json_option
@click.pass_obj
def export_anki(home: Home, deck_ids: tuple[str, ...], output: Path | None, with_schedule: bool, json_: bool) -> None:
    """Write decks to an Anki package (.apkg) for Anki, AnkiDroid or AnkiMobile.

    Each deck becomes `studyctl::<deck-id>`. Export again after editing cards and import the
    new file: Anki updates the notes you changed (keeping their review history) and leaves
    the others alone. With --with-schedule, cards arrive in a fresh Anki profile due when
    studyctl has them due, with the same FSRS memory state.
    """
    from studyctl.service.anki import export_anki as export_decks

    exported = export_decks(home, deck_ids, output, with_schedule=with_schedule)
    for line in [*exported.skipped, *exported.notes]:
        click.echo(line, err=True)
    result = exported.result
    if json_:
        print_json(exported.to_dict())
        return
    for deck in result.decks:
        notes = ngettext("{n:>5} note", "{n:>5} notes", deck["notes"]).format(n=deck["notes"])
        cards = ngettext("{n:>5} card", "{n:>5} cards", deck["cards"]).format(n=deck["cards"])
        click.echo(f"{deck['anki_deck']:<40} {notes} {cards}")
    click.echo(
        _("Wrote {output}: {decks}, {notes}, {cards} ({changed} new or changed since the last export).").format(
            output=exported.output,
            decks=ngettext("{n} deck", "{n} decks", len(result.decks)).format(n=len(result.decks)),
            notes=ngettext("{n} note", "{n} notes", result.notes).format(n=result.notes),
            cards=ngettext("{n} card", "{n} cards", result.cards).format(n=result.cards),
            changed=result.changed,
        )
    )


@click.group(name="import")
def import_() -> None:
    """Import decks from other tools (Anki)."""


@import_.command(name="anki")
@click.argument("package", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "deck_id", metavar="DECK_ID", help=_("The new deck's id (default: from the Anki deck's name)."))
@click.option("--force", is_flag=True, help=_("Import every note as a new deck, replacing one with the same id."))
@click.option("--history-only", is_flag=True, help=_("Merge only the review log of notes studyctl knows."))
@json_option
@click.pass_obj
def import_anki(home: Home, package: Path, deck_id: str | None, force: bool, history_only: bool, json_: bool) -> None:
    """Bring an Anki package (.apkg or .colpkg) in, with its review history.

    Notes studyctl does not know become a new deck in your content folder's decks/ (YAML you
    can edit; media files go to media/ beside it). Cloze notes stay cloze, type-in notes become
    typed cards, Basic-and-reversed a card with `reverse: true`, other note types one card per
    template; HTML becomes Markdown; tags and sub-decks become tags; Anki's GUIDs are kept so a
    re-export updates the same notes. Then the review log, flags and suspensions of every note
    studyctl knows (its own exports, decks imported before) are merged into your history and
    the cards rescheduled from it. Importing the same file again adds nothing.
    """
    from studyctl.service.anki import import_anki as import_package

    imported = import_package(
        home, package, deck_id=deck_id, force=force, history_only=history_only, progress=_progress(json_)
    )
    for line in imported.messages:
        click.echo(line, err=True)
    if json_:
        print_json(imported.to_dict())
        return
    if imported.deck is not None:
        kinds = listing(
            _("{count} {kind}").format(count=count, kind=type_label(kind)) for kind, count in imported.types.items()
        )
        click.echo(
            ngettext(
                "Imported {n} card ({kinds}) into deck '{deck}': {path}",
                "Imported {n} cards ({kinds}) into deck '{deck}': {path}",
                imported.cards,
            ).format(n=imported.cards, kinds=kinds, deck=imported.deck, path=imported.path)
        )
        if imported.media and imported.path is not None:
            media = len(imported.media)
            click.echo(
                ngettext("Copied {n} media file to {folder}", "Copied {n} media files to {folder}", media).format(
                    n=media, folder=imported.path.parent.parent / "media"
                )
            )
    history = imported.history
    click.echo(
        _(
            "Review history: {added} of {reviews} merged ({cards} rescheduled), {marks} flags or suspensions"
            " taken over."
        ).format(
            added=history["added"],
            reviews=ngettext("{n} Anki review", "{n} Anki reviews", history["anki_reviews"]).format(
                n=history["anki_reviews"]
            ),
            cards=ngettext("{n} card", "{n} cards", history["cards"]).format(n=history["cards"]),
            marks=history["marks"],
        )
    )
    for reason, count in sorted(history["skipped"].items()):
        click.echo(_("  skipped {count}: {reason}").format(count=count, reason=_(reason)))


# What an import reads, as its progress line names it (the importer passes the key).
READING = {"collection": N_("collection"), "notes": N_("notes"), "reviews": N_("reviews")}


def _progress(quiet: bool):
    """Progress on stderr for large packages (only on a terminal, and never with --json)."""
    import sys

    if quiet or not sys.stderr.isatty():
        return None

    def show(what: str, done: int, total: int) -> None:
        part = _(READING[what]) if what in READING else what
        click.echo(
            "\r" + _("reading {what}: {done}/{total}").format(what=part, done=done, total=total), err=True, nl=False
        )
        if done >= total:
            click.echo("", err=True)

    return show
