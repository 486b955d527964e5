"""Show a check to a person as it runs: the device line, one line per step as it ends, a progress
bar for long steps on a terminal.

Results go to stdout; the device line, progress and the learner's own output to stderr, so
`--json` keeps stdout clean.
"""

from __future__ import annotations

import sys
import time

import click

from studyctl.i18n import _, ljust, width
from studyctl.labkit.result import StepResult
from studyctl.presentation.labs import format_step, progress_line

PROGRESS_DELAY = 0.5  # seconds a step runs before it earns a progress bar
OUTPUT_LIMIT = 500  # learner output lines echoed live per run


class LiveView:
    """An event listener for runner.run_check that prints as the check runs."""

    def __init__(self, *, steps: bool = True, show_output: bool = True, titles: tuple[tuple[str, str], ...] = ()):
        self.steps = steps  # False under --json: only the final JSON goes to stdout
        self.titles = titles  # the lab's steps_zh
        self.show_output = show_output
        self.tty = sys.stderr.isatty()
        self.step_started = 0.0
        self.bar_width = 0  # length of the progress line on screen, 0 when there is none
        self.output_lines = 0

    def _clear_bar(self) -> None:
        """Blank the progress line with spaces (no ANSI codes: click strips them off-terminal)."""
        if self.bar_width:
            click.echo("\r" + " " * self.bar_width + "\r", nl=False, err=True)
            self.bar_width = 0

    def __call__(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "ready":
            click.echo(
                _("device: {device} ({reason}), torch {version}").format(
                    device=event["device"], reason=event.get("reason", ""), version=event["torch"]
                ),
                err=True,
            )
        elif kind == "step":
            self.step_started = time.monotonic()
        elif kind == "progress" and self.tty and time.monotonic() - self.step_started >= PROGRESS_DELAY:
            line = progress_line(event["step"], event["epoch"], event["total"], event.get("metrics", {}), self.titles)
            click.echo("\r" + ljust(line, self.bar_width), nl=False, err=True)
            self.bar_width = max(self.bar_width, width(line))
        elif kind == "result":
            self._clear_bar()
            if self.steps:
                click.echo(format_step(StepResult.from_event(event), self.titles))
        elif kind == "output" and self.show_output:
            self.output_lines += 1
            if self.output_lines <= OUTPUT_LIMIT:
                self._clear_bar()
                click.echo(f"  | {event['line']}", err=True)
            elif self.output_lines == OUTPUT_LIMIT + 1:
                click.echo("  | " + _("... (more output not shown)"), err=True)
