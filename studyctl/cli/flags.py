"""`studyctl flags`: cards flagged as wrong or unclear, and leeches, so decks get fixed."""

from __future__ import annotations

import click

from studyctl.cli.options import json_option, print_json


@click.command()
@json_option
@click.option(
    "--clear", "clear", metavar="DECK/CARD", help="Remove the flag (and leech mark) of a card and unsuspend it."
)
@click.pass_obj
def flags(ctx, json_: bool, clear: str | None) -> None:
    """List flagged cards and leeches with their notes and the file to fix."""
    from studyctl.store import reviewing
    from studyctl.store.db import write_transaction

    rows = reviewing.flagged(ctx.conn)
    if clear:
        deck, _, note = clear.partition("/")
        matching = [row for row in rows if row["deck"] == deck and row["note"] == note]
        if not matching:
            raise click.ClickException(f"no flagged card '{clear}' (use DECK/CARD as listed by `studyctl flags`)")
        with write_transaction(ctx.conn):
            for row in matching:
                reviewing.write_marks(
                    ctx.conn, row["id"], {"flag_note": None, "flagged_at": None, "leech": 0, "suspended": 0}
                )
        click.echo(f"Cleared {clear}.")
        return
    decks = {row["id"]: row["path"] for row in ctx.conn.execute("SELECT id, path FROM decks")}
    for row in rows:
        row["file"] = decks.get(row["deck"])
    if json_:
        print_json(rows)
        return
    if not rows:
        click.echo("No flagged cards and no leeches.", err=True)
        return
    for row in rows:
        what = "leech (suspended)" if row["leech"] else "flagged"
        click.echo(f"{row['deck']}/{row['note']}  {what}: {row['flag_note'] or ''}")
        click.echo(f"    {row['front'][:100]}")
        click.echo(f"    fix in {row['file']}")
