"""`studyctl sync [DIR]`: share reviews, progress and lab runs with your other machines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import _

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--status", "show_status", is_flag=True, help=_("List devices, their event counts and last events."))
@json_option
@click.pass_obj
def sync(home: Home, folder: Path | None, show_status: bool, json_: bool) -> None:
    """Sync with your other machines through FOLDER (remembered for next time).

    Each machine writes its new reviews, undos, marks, task log entries and lab runs into
    FOLDER/<device>/ and reads the others'; every machine then holds the same history and
    card states. FOLDER is a git clone (sync commits, pulls with rebase and pushes, with your
    git and your remote) or a folder Syncthing, Dropbox, iCloud or a share keeps in step.
    Settings and content stay on each machine.
    """
    from studyctl.presentation import sync as text
    from studyctl.service import sync as service

    if show_status:
        current = service.status(home)
        if json_:
            print_json(current.to_dict())
            return
        click.echo("\n".join(text.status_lines(current)))
        return
    result = service.sync(home, folder)
    for line in result.skipped:
        click.echo(_("warning: {warning}").format(warning=line), err=True)
    for note in result.notes:
        click.echo(note, err=True)
    if json_:
        print_json(result.to_dict())
        return
    click.echo("\n".join(text.result_lines(result)))
