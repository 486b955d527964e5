"""`studyctl db`: maintenance of the database (rebuild card states from the review log, put
back an automatic backup)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.i18n import _, ngettext

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@click.option("--check", is_flag=True, help=_("Only report differences; change nothing (exit 1 if any)."))
@click.option(
    "--from-journal",
    is_flag=True,
    help=_("Also rebuild the reviews, marks, task log and lab runs from the journal of events."),
)
@click.pass_obj
def rebuild(home: Home, check: bool, from_journal: bool) -> None:
    """Replay the review log and rebuild every card's state from it.

    The log is the source of truth: each review records the scheduler settings and the due
    time that were used, so the replay reproduces the stored states exactly. Any difference
    means the state table was damaged; without --check it is repaired. It all happens in one
    transaction, so it is safe while you review in another window (answers wait for it).

    With --from-journal the live tables themselves are first compared with the journal (every
    answer, undo, mark, task entry and lab run as an event, what `studyctl sync` exchanges):
    rows missing are written back, rows no event explains are removed.
    """
    from studyctl.service.maintenance import rebuild as replay_all

    report = replay_all(home, check=check, from_journal=from_journal)
    differ = len(report.differences)
    if report.journal is not None:
        events = report.journal.events
        click.echo(
            ngettext(
                "Compared the live tables with {n} journal event:",
                "Compared the live tables with {n} journal events:",
                events,
            ).format(n=events)
        )
        for table in report.journal.tables:
            click.echo(
                _("  {table}: {missing} missing, {extra} extra, {changed} changed").format(
                    table=table.table, missing=len(table.missing), extra=len(table.extra), changed=len(table.changed)
                )
            )
        click.echo(_("  card marks: {count} differ").format(count=len(report.journal.marks)))
        differ += report.journal.differences
    click.echo(
        _("Replayed {reviews} of {cards}: {count} differ.").format(
            reviews=ngettext("{n} review", "{n} reviews", report.reviews).format(n=report.reviews),
            cards=ngettext("{n} card", "{n} cards", report.cards).format(n=report.cards),
            count=len(report.differences),
        )
    )
    for card_id, stored, replayed in report.differences[:20]:
        click.echo(
            _("  card {card}: stored {stored} != replayed {replayed}").format(
                card=card_id, stored=stored, replayed=replayed
            ),
            err=True,
        )
    if differ and check:
        raise click.exceptions.Exit(1)
    if differ:
        click.echo(_("Repaired."))


@db.command()
@click.argument("backup", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def restore(home: Home, backup: Path | None) -> None:
    """Put back an automatic backup as the database (default: the newest).

    studyctl copies the database into backups/ in its home once a day and before each upgrade
    of the database, keeping the last 7. The backup is checked first (a damaged one is
    refused); the database there now is renamed aside, not deleted. Close other studyctl
    windows before you restore.
    """
    restored = home.restore_backup(backup)
    click.echo(_("Restored {backup}.").format(backup=restored.source))
    for path in restored.kept_aside:
        click.echo(_("Kept the previous file as {path}.").format(path=path))
