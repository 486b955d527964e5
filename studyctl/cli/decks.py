"""`studyctl decks`: the decks you study, with card counts."""

from __future__ import annotations

import click

from studyctl.cli.options import json_option, print_json


@click.command()
@json_option
@click.pass_obj
def decks(ctx, json_: bool) -> None:
    """List decks: cards, new (never seen) and due today."""
    from studyctl.clock import day_end_utc, iso_utc, now_utc, study_day
    from studyctl.store.queries import deck_summaries

    for issue in ctx.sync():
        click.echo(f"skipped: {issue}" if issue.is_error else str(issue), err=True)
    day = study_day(now_utc(), ctx.settings.rollover_hour)
    summaries = deck_summaries(ctx.conn, iso_utc(day_end_utc(day, ctx.settings.rollover_hour)))
    if json_:
        print_json(summaries)
        return
    if not summaries:
        click.echo("No decks yet. Add YAML decks under a content folder's decks/.", err=True)
        return
    width = max(len(s["id"]) for s in summaries)
    click.echo(f"{'deck':<{width}}  {'cards':>5}  {'new':>5}  {'due':>5}  title")
    for s in summaries:
        click.echo(f"{s['id']:<{width}}  {s['cards']:>5}  {s['new']:>5}  {s['due']:>5}  {s['title']}")
