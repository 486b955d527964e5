"""`studyctl decks`: the decks you study, with card counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@json_option
@click.pass_obj
def decks(home: Home, json_: bool) -> None:
    """List decks: cards, new (never seen) and due today."""
    from studyctl.service.decks import deck_list

    found = deck_list(home)
    for issue in found.issues:
        click.echo(issue, err=True)
    if json_:
        print_json(found.to_dict())
        return
    if not found.decks:
        click.echo("No decks yet. Add YAML decks under a content folder's decks/.", err=True)
        return
    width = max(len(deck.id) for deck in found.decks)
    click.echo(f"{'deck':<{width}}  {'cards':>5}  {'new':>5}  {'due':>5}  title")
    for d in found.decks:
        click.echo(f"{d.id:<{width}}  {d.cards:>5}  {d.new:>5}  {d.due:>5}  {d.title}")
