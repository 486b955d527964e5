"""`studyctl decks`: the decks you study, with card counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.option("--coverage", is_flag=True, help="Each topic of the seed study plans and how many cards drill it.")
@json_option
@click.pass_obj
def decks(home: Home, coverage: bool, json_: bool) -> None:
    """List decks: cards, new (never seen) and due today."""
    if coverage:
        show_coverage(home, json_)
        return
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


def show_coverage(home: Home, json_: bool) -> None:
    from studyctl.service.coverage import coverage

    found = coverage(home)
    if json_:
        print_json(found.to_dict())
        return
    for row in found.topics:
        mark = " " if row.enough else "!"
        click.echo(f"{mark} {row.cards:>4}  {row.topic}")
        click.echo(f"{'':8}{', '.join(row.decks) or '(no cards)'}  [{', '.join(row.seeds)}]")
    short = sum(not row.enough for row in found.topics)
    click.echo(f"\n{len(found.topics)} topics from {len(found.seeds)} study plans; {short} with fewer than 8 cards.")
