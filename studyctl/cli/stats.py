"""`studyctl stats`: answers and time per day, cards by maturity, true retention (overall and
per deck) over the last 30 days, the reviews forecast, the streak."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


def plural(count: float, word: str, words: str | None = None) -> str:
    """'1 answer', '3 answers', '1 day', '0 days'."""
    return f"{count:g} {word if count == 1 else (words or word + 's')}"


@click.command()
@json_option
@click.pass_obj
def stats(home: Home, json_: bool) -> None:
    """Show answers and minutes per day, cards by maturity, true retention over the last 30
    days (overall and per deck), the reviews forecast and your streak."""
    from studyctl.service.stats import stats as compute

    view = compute(home)
    if json_:
        print_json(view.to_dict())
        return
    result = view.stats
    window = f"last {result.window_days} days"
    minutes = round(result.minutes_today)
    click.echo(
        f"Today ({result.day}): {plural(result.reviews_today, 'answer')} in {plural(minutes, 'minute')}; "
        f"streak {plural(result.streak, 'day')}"
    )
    cards = result.cards
    click.echo(
        f"Cards: {cards['new']} new · {cards['learning']} learning · {cards['young']} young · "
        f"{cards['mature']} mature · {cards['suspended']} suspended"
    )
    if result.retention_30d is None:
        click.echo(f"True retention, {window}: no reviews of learned cards yet")
    else:
        click.echo(
            f"True retention, {window}: {result.retention_30d:.1%} of {plural(result.retention_reviews, 'review')} "
            f"(target {view.desired_retention:.0%})"
        )
        width = max(len(deck.deck) for deck in result.retention_by_deck)
        for deck in result.retention_by_deck:
            click.echo(f"  {deck.deck:<{width}}  {deck.share:6.1%} of {plural(deck.reviews, 'review')}")
    peak = max(result.reviews_per_day.values()) or 1
    click.echo("Answers and minutes per day, last 14 days:")
    for day, count in list(result.reviews_per_day.items())[-14:]:
        spent = result.minutes_per_day[day]
        click.echo(f"  {day}  {count:>5}  {spent:>5.0f} min  {'#' * round(20 * count / peak)}")
    click.echo("Reviews due in the next 7 days (today includes overdue):")
    for day, count in result.due_next_7.items():
        click.echo(f"  {day}  {count:>5}")
    click.echo(f"Due in the next 30 days: {result.due_next_30_total}")
    from studyctl.presentation.sync import last_sync_line
    from studyctl.service.sync import last_sync

    if (last := last_sync(home)) is not None:
        click.echo(last_sync_line(last))
