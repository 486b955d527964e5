"""A lab check in words: one line per step (with its teaching message indented below), a text
progress bar, the metrics, and the summary. Plain text: it reads the same in a terminal, a log,
a test or the TUI's check log."""

from __future__ import annotations

from studyctl import i18n
from studyctl.i18n import N_, _, ngettext
from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP, RunResult, StepResult
from studyctl.presentation.words import join

LABELS = {PASS: N_("PASS"), FAIL: N_("FAIL"), ERROR: N_("ERROR"), SKIP: N_("SKIP")}
LABEL_WIDTH = 5  # the step's message is indented under its name, past the label
BAR_WIDTH = 20
SHOW_SECONDS = 0.1  # a step's time is shown from here on


def _metric(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def format_metrics(metrics: dict) -> str:
    return " ".join(f"{key}={_metric(value)}" for key, value in metrics.items())


def step_title(name: str, titles: tuple[tuple[str, str], ...] = ()) -> str:
    """A step as the reader sees it: its Chinese title (the lab's `steps_zh`) in a Chinese
    interface where the lab gives one, else its name as check.py declares it."""
    if i18n.current() == "zh":
        return dict(titles).get(name, name)
    return name


def step_message(step: StepResult, titles: tuple[tuple[str, str], ...] = ()) -> str:
    """A step's message. A step skipped for want of others names them as the reader knows them
    (their Chinese titles in a Chinese interface), which the check's child process can't."""
    if step.status == SKIP and step.needs:
        names = join([_("'{title}'").format(title=step_title(name, titles)) for name in step.needs])
        return _("not run: needs {steps} to pass first").format(steps=names)
    return step.message


def format_step(step: StepResult, titles: tuple[tuple[str, str], ...] = ()) -> str:
    label = _(LABELS[step.status]) if step.status in LABELS else step.status
    head = f"  {i18n.ljust(label, LABEL_WIDTH)}  {step_title(step.name, titles)}"
    details = [_("{seconds:.1f} s").format(seconds=step.seconds)] if step.seconds >= SHOW_SECONDS else []
    if step.metrics:
        details.append(format_metrics(step.metrics))
    if details:
        head += "  (" + ", ".join(details) + ")"
    message = step_message(step, titles)
    if message and step.status == SKIP:
        return f"{head}  {message}"
    body = "".join(f"\n         {line}" for line in message.splitlines()) if message else ""
    return head + body


def progress_line(step: str, epoch: int, total: int, metrics: dict, titles: tuple[tuple[str, str], ...] = ()) -> str:
    filled = int(BAR_WIDTH * epoch / total) if total else 0
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    return f"  ....   {step_title(step, titles)} [{bar}] {epoch}/{total} {format_metrics(metrics)}"


def format_summary(result: RunResult) -> str:
    counts = result.counts()
    total = len(result.steps)
    passed, seconds, device = counts[PASS], result.seconds, result.device
    if result.passed:
        if device:
            text = ngettext(
                "Passed: {passed} of {total} step in {seconds:.1f} s on {device}.",
                "Passed: {passed} of {total} steps in {seconds:.1f} s on {device}.",
                total,
            )
        else:
            text = ngettext(
                "Passed: {passed} of {total} step in {seconds:.1f} s.",
                "Passed: {passed} of {total} steps in {seconds:.1f} s.",
                total,
            )
        return text.format(passed=passed, total=total, seconds=seconds, device=device)
    parts = []
    if counts[FAIL]:
        parts.append(_("{count} failed").format(count=counts[FAIL]))
    if counts[ERROR]:
        parts.append(ngettext("{count} error", "{count} errors", counts[ERROR]).format(count=counts[ERROR]))
    if counts[SKIP]:
        parts.append(_("{count} skipped").format(count=counts[SKIP]))
    details = _(", ").join(parts)
    if parts and device:
        text = ngettext(
            "Not yet: {passed} of {total} step passed ({details}), {seconds:.1f} s on {device}.",
            "Not yet: {passed} of {total} steps passed ({details}), {seconds:.1f} s on {device}.",
            total,
        )
    elif parts:
        text = ngettext(
            "Not yet: {passed} of {total} step passed ({details}), {seconds:.1f} s.",
            "Not yet: {passed} of {total} steps passed ({details}), {seconds:.1f} s.",
            total,
        )
    elif device:
        text = ngettext(
            "Not yet: {passed} of {total} step passed, {seconds:.1f} s on {device}.",
            "Not yet: {passed} of {total} steps passed, {seconds:.1f} s on {device}.",
            total,
        )
    else:
        text = ngettext(
            "Not yet: {passed} of {total} step passed, {seconds:.1f} s.",
            "Not yet: {passed} of {total} steps passed, {seconds:.1f} s.",
            total,
        )
    return text.format(passed=passed, total=total, details=details, seconds=seconds, device=device)
