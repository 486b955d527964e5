"""`studyctl flags`: cards flagged as wrong or unclear, and leeches, so decks get fixed."""

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
    """List flagged cards and leeches with their notes and the file to fix."""
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
        click.echo("No flagged cards and no leeches.", err=True)
        return
    for row in rows:
        what = "leech (suspended)" if row.leech else "flagged"
        click.echo(f"{row.key}  {what}: {row.flag_note or ''}")
        click.echo(f"    {row.front[:100]}")
        click.echo(f"    fix in {row.file}")
