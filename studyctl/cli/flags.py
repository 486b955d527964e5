"""`studyctl flags`: cards flagged as wrong or unclear, leeches and suspended cards, so decks get
fixed and nothing stays suspended by mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@json_option
@click.option(
    "--clear", "clear", metavar="DECK/CARD", help="Remove the flag (and leech mark) of a card and unsuspend it."
)
@click.pass_obj
def flags(home: Home, json_: bool, clear: str | None) -> None:
    """List flagged cards, leeches and suspended cards, with the file and line to fix.

    `studyctl edit DECK/CARD` opens a card at its line; `studyctl unsuspend DECK/CARD` brings a
    suspended card back."""
    from studyctl.service.decks import clear_flag, flagged

    if clear:
        clear_flag(home, clear)
        click.echo(f"Cleared {clear}.")
        return
    rows = flagged(home)
    if json_:
        print_json([row.to_dict() for row in rows])
        return
    if not rows:
        click.echo("No flagged, leech or suspended cards.", err=True)
        return
    for row in rows:
        note = f": {row.flag_note}" if row.flag_note else ""
        click.echo(f"{row.key}  {row.status}{note}")
        click.echo(f"    {row.front[:100]}")
        where = f"{row.file}:{row.line}" if row.file and row.line else row.file
        click.echo(f"    fix in {where} (studyctl edit {row.key})")
