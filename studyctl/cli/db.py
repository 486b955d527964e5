"""`studyctl db`: maintenance of the database (rebuild card states from the review log)."""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@click.option("--check", is_flag=True, help="Only report differences; change nothing (exit 1 if any).")
@click.pass_obj
def rebuild(ctx, check: bool) -> None:
    """Replay the review log and rebuild every card's state from it.

    The log is the source of truth: each review records the scheduler settings and the due
    time that were used, so the replay reproduces the stored states exactly. Any difference
    means the state table was damaged; without --check it is repaired.
    """
    from studyctl.srs.replay import rebuild as replay_all

    report = replay_all(ctx.conn, write=not check)
    click.echo(f"Replayed {report.reviews} reviews of {report.cards} cards: {len(report.differences)} differ.")
    for card_id, stored, replayed in report.differences[:20]:
        click.echo(f"  card {card_id}: stored {stored} != replayed {replayed}", err=True)
    if report.differences and check:
        raise click.exceptions.Exit(1)
    if report.differences:
        click.echo("Repaired.")
