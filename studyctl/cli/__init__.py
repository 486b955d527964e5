"""The `studyctl` command group: thin commands that parse, call the core and print.

Subcommands are imported only when invoked (click's LazyGroup recipe), so `studyctl today
--plain` never pays for the modules of `lab` or `export`, nor for torch, textual or genanki.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import click

from studyctl import __version__

COMMANDS = {
    "today": ("studyctl.cli.today", "today", "Show today's plan: reviews, new cards, tasks, a lab."),
    "plan": ("studyctl.cli.plan", "plan", "Plan the next 7 days (or --days N) from your roadmap."),
    "done": ("studyctl.cli.progress", "done", "Mark a roadmap task done, or log --partial minutes on it."),
    "skip": ("studyctl.cli.progress", "skip", "Skip a roadmap task."),
    "undo": ("studyctl.cli.tasklog", "undo", "Take back the last done, skip or partial minutes on a task."),
    "reopen": ("studyctl.cli.tasklog", "reopen", "Open a done or skipped roadmap task again."),
    "decks": ("studyctl.cli.decks", "decks", "List decks with their card counts."),
    "roadmap": ("studyctl.cli.roadmap", "roadmap", "List roadmaps and choose the active one."),
    "validate": ("studyctl.cli.validate", "validate", "Check content files and report file:line problems."),
    "review": ("studyctl.cli.review", "review", "Review due cards and learn new ones, in the terminal."),
    "stats": ("studyctl.cli.stats", "stats", "Answers per day, true retention, due forecast, streak."),
    "sync": ("studyctl.cli.sync", "sync", "Share reviews and progress with your other machines (git, synced folder)."),
    "flags": ("studyctl.cli.flags", "flags", "Cards flagged as wrong or unclear, leeches and suspended cards."),
    "cards": ("studyctl.cli.cards", "cards", "Find cards: full-text search with deck, tag and state filters."),
    "card": ("studyctl.cli.cards", "card", "One card: `card info DECK/CARD` with its schedule and reviews."),
    "edit": ("studyctl.cli.cards", "edit", "Open a card in $EDITOR at its line (built-in decks are copied first)."),
    "add": ("studyctl.cli.cards", "add", "Add a card to your own deck file, checked before it is saved."),
    "unsuspend": ("studyctl.cli.cards", "unsuspend", "Bring a suspended card back into review."),
    "db": ("studyctl.cli.db", "db", "Database maintenance: rebuild card states from the review log, restore a backup."),
    "optimize": ("studyctl.cli.optimize", "optimize", "Fit FSRS parameters to your own review log."),
    "doctor": ("studyctl.cli.doctor", "doctor", "Check the installation: Python, torch, database, content."),
    "lab": ("studyctl.cli.lab", "lab", "Coding labs: start, check (on CPU, CUDA or MPS), watch, hints."),
    "export": ("studyctl.cli.anki", "export", "Export decks: `export anki` writes an .apkg for Anki."),
    "import": ("studyctl.cli.anki", "import_", "Import decks: `import anki FILE.apkg` makes an editable deck."),
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
        module_name, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands from the table above, without importing a single command module."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][2]) for name in sorted(COMMANDS)])

    def invoke(self, ctx: click.Context):
        from studyctl.cli.errors import reported_errors

        with reported_errors():
            return super().invoke(ctx)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="studyctl")
@click.option(
    "--content",
    "content_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extra content folder (with decks/, schedule/, labs/), read after the built-in ones.",
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
    cli(prog_name="studyctl")
