"""`studyctl decks`: the decks you study, with card counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import _, ljust, localized, ngettext, rjust, width

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.option("--coverage", is_flag=True, help=_("Each topic of the seed study plans and how many cards drill it."))
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
        click.echo(_("No decks yet. Add YAML decks under a content folder's decks/."), err=True)
        return
    ids = max(len(deck.id) for deck in found.decks)
    deck_header, title_header = _("deck"), _("title")
    headers = (_("cards"), _("new"), _("due"))
    cards, new, due = (max(5, width(header)) for header in headers)
    click.echo(
        f"{ljust(deck_header, ids)}  {rjust(headers[0], cards)}  {rjust(headers[1], new)}  {rjust(headers[2], due)}"
        f"  {title_header}"
    )
    for d in found.decks:
        click.echo(f"{d.id:<{ids}}  {d.cards:>{cards}}  {d.new:>{new}}  {d.due:>{due}}  {localized(d)}")


def show_coverage(home: Home, json_: bool) -> None:
    from studyctl.service.coverage import coverage

    found = coverage(home)
    if json_:
        print_json(found.to_dict())
        return
    for row in found.topics:
        mark = " " if row.enough else "!"
        click.echo(f"{mark} {row.cards:>4}  {row.topic}")
        decks = ", ".join(row.decks) or _("(no cards)")
        click.echo(f"{'':8}{decks}  [{', '.join(row.seeds)}]")
    short = sum(not row.enough for row in found.topics)
    topics, plans = len(found.topics), len(found.seeds)
    click.echo(
        "\n"
        + _("{topics} from {plans}; {short} with fewer than 8 cards.").format(
            topics=ngettext("{n} topic", "{n} topics", topics).format(n=topics),
            plans=ngettext("{n} study plan", "{n} study plans", plans).format(n=plans),
            short=short,
        )
    )
