"""The `studyctl` console script: the command line, which on a terminal opens the app.

The two faces never import each other: this module, above both, hands the CLI the one thing it
needs from the TUI (a way to open it), so `studyctl today` on a terminal opens the app while the
plain commands never load textual."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyctl.service.home import Home


def open_app(home: Home, *, on: dt.date | None, minutes: int | None) -> None:
    from studyctl.tui import run_app  # textual is imported on this path only

    run_app(home, on=on, minutes=minutes)


def main() -> None:
    from studyctl import cli

    cli.open_app = open_app
    cli.main()
