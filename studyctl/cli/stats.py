"""`studyctl stats`: answers and time per day, cards by maturity, true retention (overall and
per deck) over the last 30 days, the reviews forecast, the streak."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import _, figure_day, ngettext

if TYPE_CHECKING:
    from studyctl.service.home import Home


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
    window = ngettext("last {n} day", "last {n} days", result.window_days).format(n=result.window_days)
    minutes = round(result.minutes_today)
    click.echo(
        _("Today ({day}): {answers} in {minutes}; streak {days}").format(
            day=figure_day(result.day).rstrip(),
            answers=ngettext("{n} answer", "{n} answers", result.reviews_today).format(n=result.reviews_today),
            minutes=ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes),
            days=ngettext("{n} day", "{n} days", result.streak).format(n=result.streak),
        )
    )
    cards = result.cards
    click.echo(
        _("Cards: {new} new · {learning} learning · {young} young · {mature} mature · {suspended} suspended").format(
            **{key: cards[key] for key in ("new", "learning", "young", "mature", "suspended")}
        )
    )
    if result.retention_30d is None:
        click.echo(_("True retention, {window}: no reviews of learned cards yet").format(window=window))
    else:
        reviews = result.retention_reviews
        click.echo(
            _("True retention, {window}: {share:.1%} of {reviews} (target {target:.0%})").format(
                window=window,
                share=result.retention_30d,
                reviews=ngettext("{n} review", "{n} reviews", reviews).format(n=reviews),
                target=view.desired_retention,
            )
        )
        width = max(len(deck.deck) for deck in result.retention_by_deck)
        for deck in result.retention_by_deck:
            share = _("{share:6.1%} of {reviews}").format(
                share=deck.share, reviews=ngettext("{n} review", "{n} reviews", deck.reviews).format(n=deck.reviews)
            )
            click.echo(f"  {deck.deck:<{width}}  {share}")
    peak = max(result.reviews_per_day.values()) or 1
    click.echo(_("Answers and minutes per day, last 14 days:"))
    for day, count in list(result.reviews_per_day.items())[-14:]:
        spent = _("{minutes:>5.0f} min").format(minutes=result.minutes_per_day[day])
        click.echo(f"  {figure_day(day)}  {count:>5}  {spent}  {'#' * round(20 * count / peak)}")
    click.echo(_("Reviews due in the next 7 days (today includes overdue):"))
    for day, count in result.due_next_7.items():
        click.echo(f"  {figure_day(day)}  {count:>5}")
    click.echo(_("Due in the next 30 days: {count}").format(count=result.due_next_30_total))
    from studyctl.presentation.sync import last_sync_line
    from studyctl.service.sync import last_sync

    if (last := last_sync(home)) is not None:
        click.echo(last_sync_line(last))
