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


def language_argument(argv: list[str]) -> str | None:
    """The value of `--lang X` / `--lang=X` before the command name, read ahead of click: click
    builds the commands' help texts as their modules load, so the language must be on first."""
    args = iter(argv)
    for arg in args:
        if arg == "--lang":
            return next(args, None)
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--content":
            next(args, None)  # the group's one option with a value
        elif not arg.startswith("-"):
            return None  # the command name: options after it are the command's own
    return None


def main() -> None:
    import sys

    from studyctl import i18n, paths

    i18n.activate(i18n.choose(language_argument(sys.argv[1:]), paths.settings_path()))
    from studyctl import cli

    cli.open_app = open_app
    cli.main()
