"""A lab check in words: one line per step (with its teaching message indented below), a text
progress bar, the metrics, and the summary. Plain text: it reads the same in a terminal, a log,
a test or the TUI's check log."""

from __future__ import annotations

from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP, RunResult, StepResult

LABELS = {PASS: "PASS ", FAIL: "FAIL ", ERROR: "ERROR", SKIP: "SKIP "}
BAR_WIDTH = 20
SHOW_SECONDS = 0.1  # a step's time is shown from here on


def _metric(value: object) -> str:
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
