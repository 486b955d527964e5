"""Show a check to a person: the device line, one line per step as it ends (with its teaching
message indented below), a progress bar for long steps on a terminal, and a summary.

Results go to stdout; the device line, progress and the learner's own output to stderr, so
`--json` keeps stdout clean. Plain text: it reads the same in a terminal, a log or a test.
"""

from __future__ import annotations

import sys
import time

import click

from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP, RunResult, StepResult

LABELS = {PASS: "PASS ", FAIL: "FAIL ", ERROR: "ERROR", SKIP: "SKIP "}
BAR_WIDTH = 20
PROGRESS_DELAY = 0.5  # seconds a step runs before it earns a progress bar
OUTPUT_LIMIT = 500
SHOW_SECONDS = 0.1  # a step's time is shown from here on  # learner output lines echoed live per run


def _metric(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def format_metrics(metrics: dict) -> str:
    return " ".join(f"{key}={_metric(value)}" for key, value in metrics.items())


def format_step(step: StepResult) -> str:
    head = f"  {LABELS.get(step.status, step.status)}  {step.name}"
    details = [f"{step.seconds:.1f} s"] if step.seconds >= SHOW_SECONDS else []
    if step.metrics:
        details.append(format_metrics(step.metrics))
    if details:
        head += "  (" + ", ".join(details) + ")"
    if step.message and step.status == SKIP:
        return f"{head}  {step.message}"
    body = "".join(f"\n         {line}" for line in step.message.splitlines()) if step.message else ""
    return head + body


def progress_line(step: str, epoch: int, total: int, metrics: dict) -> str:
    filled = int(BAR_WIDTH * epoch / total) if total else 0
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    return f"  ....   {step} [{bar}] {epoch}/{total} {format_metrics(metrics)}"


def format_summary(result: RunResult) -> str:
    counts = result.counts()
    total = len(result.steps)
    where = f" on {result.device}" if result.device else ""
    if result.passed:
        return f"Passed: {counts[PASS]} of {total} steps in {result.seconds:.1f} s{where}."
    errors = "error" if counts[ERROR] == 1 else "errors"
    parts = [f"{counts[s]} {word}" for s, word in ((FAIL, "failed"), (ERROR, errors), (SKIP, "skipped")) if counts[s]]
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"Not yet: {counts[PASS]} of {total} steps passed{detail}, {result.seconds:.1f} s{where}."


class LiveView:
    """An event listener for runner.run_check that prints as the check runs."""

    def __init__(self, *, steps: bool = True, show_output: bool = True):
        self.steps = steps  # False under --json: only the final JSON goes to stdout
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
            click.echo(f"device: {event['device']} ({event.get('reason', '')}), torch {event['torch']}", err=True)
        elif kind == "step":
            self.step_started = time.monotonic()
        elif kind == "progress" and self.tty and time.monotonic() - self.step_started >= PROGRESS_DELAY:
            line = progress_line(event["step"], event["epoch"], event["total"], event.get("metrics", {}))
            click.echo("\r" + line.ljust(self.bar_width), nl=False, err=True)
            self.bar_width = max(self.bar_width, len(line))
        elif kind == "result":
            self._clear_bar()
            if self.steps:
                fields = {k: event[k] for k in ("name", "status", "message", "metrics", "seconds") if k in event}
                click.echo(format_step(StepResult(**fields)))
        elif kind == "output" and self.show_output:
            self.output_lines += 1
            if self.output_lines <= OUTPUT_LIMIT:
                self._clear_bar()
                click.echo(f"  | {event['line']}", err=True)
            elif self.output_lines == OUTPUT_LIMIT + 1:
                click.echo("  | ... (more output not shown)", err=True)
