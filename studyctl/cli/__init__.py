"""The `studyctl` command group: thin commands that parse, call the core and print.

Subcommands are imported only when invoked (click's LazyGroup recipe), so `studyctl today
--plain` never pays for the modules of `lab` or `export`, nor for torch, textual or genanki.

The interface language is chosen before this module is imported (studyctl.entry), so option
help marked with `_()` is translated as the modules load; command help comes from docstrings,
which are translated here when a command is loaded (and extracted by studyctl.i18n_extract).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path

import click

from studyctl import __version__, i18n
from studyctl.cli.helpformat import WideHelpFormatter, first_sentence
from studyctl.i18n import N_, _


def _route_click_messages() -> None:
    """click words its own messages ("Usage:", "Options", "Show this message and exit.", usage
    errors) through gettext's global domain; send them through ours, whose catalog holds them."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        names = vars(module)  # each did `from gettext import gettext as _` (and ngettext)
        names["_"] = i18n._
        if "ngettext" in names:
            names["ngettext"] = i18n.ngettext
    click.Context.formatter_class = WideHelpFormatter  # Chinese wraps by its width on screen


_route_click_messages()  # before the decorators below build their help

COMMANDS = {
    "today": ("studyctl.cli.today", "today", N_("Show today's plan: reviews, new cards, tasks, a lab.")),
    "plan": ("studyctl.cli.plan", "plan", N_("Plan the next 7 days (or --days N) from your roadmap.")),
    "done": ("studyctl.cli.progress", "done", N_("Mark a roadmap task done, or log --partial minutes on it.")),
    "skip": ("studyctl.cli.progress", "skip", N_("Skip a roadmap task.")),
    "undo": ("studyctl.cli.tasklog", "undo", N_("Take back the last done, skip or partial minutes on a task.")),
    "reopen": ("studyctl.cli.tasklog", "reopen", N_("Open a done or skipped roadmap task again.")),
    "decks": ("studyctl.cli.decks", "decks", N_("List decks with their card counts.")),
    "roadmap": ("studyctl.cli.roadmap", "roadmap", N_("List roadmaps and choose the active one.")),
    "validate": ("studyctl.cli.validate", "validate", N_("Check content files and report file:line problems.")),
    "review": ("studyctl.cli.review", "review", N_("Review due cards and learn new ones, in the terminal.")),
    "stats": ("studyctl.cli.stats", "stats", N_("Answers per day, true retention, due forecast, streak.")),
    "sync": (
        "studyctl.cli.sync",
        "sync",
        N_("Share reviews and progress with your other machines (git, synced folder)."),
    ),
    "flags": ("studyctl.cli.flags", "flags", N_("Cards flagged as wrong or unclear, leeches and suspended cards.")),
    "cards": ("studyctl.cli.cards", "cards", N_("Find cards: full-text search with deck, tag and state filters.")),
    "card": ("studyctl.cli.cards", "card", N_("One card: `card info DECK/CARD` with its schedule and reviews.")),
    "edit": ("studyctl.cli.cards", "edit", N_("Open a card in $EDITOR at its line (built-in decks are copied first).")),
    "add": ("studyctl.cli.cards", "add", N_("Add a card to your own deck file, checked before it is saved.")),
    "unsuspend": ("studyctl.cli.cards", "unsuspend", N_("Bring a suspended card back into review.")),
    "db": (
        "studyctl.cli.db",
        "db",
        N_("Database maintenance: rebuild card states from the review log, restore a backup."),
    ),
    "optimize": ("studyctl.cli.optimize", "optimize", N_("Fit FSRS parameters to your own review log.")),
    "doctor": ("studyctl.cli.doctor", "doctor", N_("Check the installation: Python, torch, database, content.")),
    "lab": ("studyctl.cli.lab", "lab", N_("Coding labs: start, check (on CPU, CUDA or MPS), watch, hints.")),
    "export": ("studyctl.cli.anki", "export", N_("Export decks: `export anki` writes an .apkg for Anki.")),
    "import": ("studyctl.cli.anki", "import_", N_("Import decks: `import anki FILE.apkg` makes an editable deck.")),
}


# How `studyctl today` opens the app on a terminal: set by the console script (studyctl.entry), so
# that the CLI never imports the TUI. None (the CLI used as a library): the plain plan is printed.
open_app: Callable[..., None] | None = None


class LazyGroup(click.Group):
    """A group whose subcommands live in modules imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, attribute, _summary = COMMANDS[name]
        return translated(getattr(importlib.import_module(module_name), attribute))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands from the table above, without importing a single command module."""
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, _(COMMANDS[name][2])) for name in sorted(COMMANDS)])

    def invoke(self, ctx: click.Context):
        from studyctl.cli.errors import reported_errors

        with reported_errors():
            return super().invoke(ctx)


def translated(command: click.Command) -> click.Command:
    """The command (and its subcommands) with its docstring help in the interface language.
    The msgid is the docstring as click shows it (cleaned), kept aside so that switching the
    language again (a test, the library) translates from the English, not from a translation."""
    source = command.__dict__.setdefault("_studyctl_help", (command.help, command.short_help, None))
    english_help, english_short, language = source
    if language != i18n.current():
        command.help = _(inspect.cleandoc(english_help)) if english_help else english_help
        command.short_help = _(english_short) if english_short else first_sentence(command.help or "")
        command.__dict__["_studyctl_help"] = (english_help, english_short, i18n.current())
        for sub in getattr(command, "commands", {}).values():
            translated(sub)
    return command


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--lang was already applied by studyctl.entry before the commands loaded; used as a
    library (tests), apply it here for the words printed from now on."""
    if value:
        i18n.activate(value)
        translated(ctx.command)
    return value


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="studyctl", message=_("%(prog)s, version %(version)s"))
@click.option(
    "--content",
    "content_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Extra content folder (with decks/, schedule/, labs/), read after the built-in ones."),
)
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    expose_value=False,
    is_eager=True,
    callback=_choose_language,
    help=_("Interface language (default: language in settings.yaml, else your locale)."),
)
@click.pass_context
def cli(ctx: click.Context, content_dirs: tuple[Path, ...]) -> None:
    """studyctl: study deep learning every evening, with spaced repetition, a roadmap and labs.

    Your data lives in $STUDYCTL_HOME (default: the platform's user data folder).
    """
    from studyctl.service.home import Home

    home = Home(extra_roots=content_dirs)
    ctx.obj = home
    ctx.call_on_close(home.close)


def main() -> None:
    translated(cli)
    cli(prog_name="studyctl")
