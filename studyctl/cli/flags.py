"""`studyctl flags`: cards flagged as wrong or unclear, leeches and suspended cards, so decks get
fixed and nothing stays suspended by mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, listing, print_json
from studyctl.i18n import _
from studyctl.presentation.cards import flag_note_text

if TYPE_CHECKING:
    from studyctl.service.decks import FlaggedCard
    from studyctl.service.home import Home


@click.command()
@json_option
@click.option(
    "--clear", "clear", metavar="DECK/CARD", help=_("Remove the flag (and leech mark) of a card and unsuspend it.")
)
@click.pass_obj
def flags(home: Home, json_: bool, clear: str | None) -> None:
    """List flagged cards, leeches and suspended cards, with the file and line to fix.

    `studyctl edit DECK/CARD` opens a card at its line; `studyctl unsuspend DECK/CARD` brings a
    suspended card back."""
    from studyctl.service.decks import clear_flag, flagged

    if clear:
        clear_flag(home, clear)
        click.echo(_("Cleared {key}.").format(key=clear))
        return
    rows = flagged(home)
    if json_:
        print_json([row.to_dict() for row in rows])
        return
    if not rows:
        click.echo(_("No flagged, leech or suspended cards."), err=True)
        return
    for row in rows:
        note = f": {flag_note_text(row.flag_note)}" if row.flag_note else ""
        click.echo(f"{row.key}  {_status(row)}{note}")
        click.echo(f"    {row.front[:100]}")
        where = f"{row.file}:{row.line}" if row.file and row.line else row.file
        click.echo("    " + _("fix in {place} (studyctl edit {key})").format(place=where, key=row.key))


def _status(row: FlaggedCard) -> str:
    """'flagged', 'leech (suspended)', 'suspended', ... in words (row.status is the --json one)."""
    parts = [_("flagged")] if row.flagged_at else []
    if row.leech:
        parts.append(_("leech (suspended)") if row.suspended else _("leech"))
    elif row.suspended:
        parts.append(_("suspended"))
    return listing(parts)
