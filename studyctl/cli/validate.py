"""`studyctl validate`: lint decks, roadmaps, labs and settings; exit 2 on any error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.errors import EXIT_BAD_INPUT

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
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
        click.echo(
            f"{result.decks} decks ({result.cards} cards), {result.roadmaps} roadmaps, {result.labs} labs: "
            f"{errors} errors, {len(result.issues) - errors} warnings",
            err=True,
        )
    if result.errors(strict):
        raise click.exceptions.Exit(EXIT_BAD_INPUT)
