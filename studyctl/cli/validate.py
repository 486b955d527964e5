"""`studyctl validate`: lint decks, roadmaps, labs and settings; exit 2 on any error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.errors import EXIT_BAD_INPUT
from studyctl.i18n import _, ngettext

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help=_("Treat warnings as errors."))
@json_option
@click.pass_obj
def validate(home: Home, targets: tuple[Path, ...], strict: bool, json_: bool) -> None:
    """Check content files (all content folders, or the files and folders given).

    Prints one line per problem as file:line: severity: message. Exit 0 when clean
    (warnings allowed), 2 when any file has errors.
    """
    from studyctl.service.maintenance import validate as lint

    result = lint(home, targets)
    if json_:
        print_json(result.to_dict())
    else:
        for issue in result.issues:
            click.echo(str(issue))
        errors = sum(issue.is_error for issue in result.issues)
        warnings = len(result.issues) - errors
        click.echo(
            _("{decks} ({cards}), {roadmaps}, {labs}: {errors}, {warnings}").format(
                decks=ngettext("{n} deck", "{n} decks", result.decks).format(n=result.decks),
                cards=ngettext("{n} card", "{n} cards", result.cards).format(n=result.cards),
                roadmaps=ngettext("{n} roadmap", "{n} roadmaps", result.roadmaps).format(n=result.roadmaps),
                labs=ngettext("{n} lab", "{n} labs", result.labs).format(n=result.labs),
                errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
                warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
            ),
            err=True,
        )
    if result.errors(strict):
        raise click.exceptions.Exit(EXIT_BAD_INPUT)
