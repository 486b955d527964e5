"""`studyctl db`: maintenance of the database (rebuild card states from the review log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@click.option("--check", is_flag=True, help="Only report differences; change nothing (exit 1 if any).")
@click.pass_obj
def rebuild(home: Home, check: bool) -> None:
    """Replay the review log and rebuild every card's state from it.

    The log is the source of truth: each review records the scheduler settings and the due
    time that were used, so the replay reproduces the stored states exactly. Any difference
    means the state table was damaged; without --check it is repaired.
    """
    from studyctl.service.maintenance import rebuild as replay_all

    report = replay_all(home, check=check)
    click.echo(f"Replayed {report.reviews} reviews of {report.cards} cards: {len(report.differences)} differ.")
    for card_id, stored, replayed in report.differences[:20]:
        click.echo(f"  card {card_id}: stored {stored} != replayed {replayed}", err=True)
    if report.differences and check:
        raise click.exceptions.Exit(1)
    if report.differences:
        click.echo("Repaired.")
