"""A check is an ordered list of named steps. This module holds the registry lab authors fill
(`Check.step`), the context each step receives, and the loop that runs the steps in order and
reports each outcome as an event."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from studyctl.i18n import _
from studyctl.labkit import protocol, seeding
from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP
from studyctl.labkit.tracebacks import describe_exception, learner_frames

PROGRESS_INTERVAL = 0.1  # seconds between progress events; the last epoch is always sent


class CheckFailed(Exception):
    """A step's verdict: the learner's code ran but its answer is wrong. The message teaches."""

    def __init__(self, message: str, **metrics: Any) -> None:
        super().__init__(message)
        self.metrics = metrics


class StepSkipped(Exception):
    """A step chose not to judge (e.g. it needs CUDA); a skip does not fail the lab."""


def fail(message: str, **metrics: Any) -> NoReturn:
    """End the step as failed with a teaching message (expected vs got, the likely cause)."""
    raise CheckFailed(message, **metrics)


def skip(message: str) -> NoReturn:
    """End the step as skipped: it chose not to judge (a skip does not fail the lab)."""
    raise StepSkipped(message)


@dataclass(frozen=True)
class Step:
    name: str
    func: Callable
    needs: tuple[str, ...] = ()


class Check:
    """The steps of one lab's check, in the order they were declared: `@check.step("shapes")`
    registers a function of one argument (the StepContext); `needs=["shapes"]` skips a later
    step unless "shapes" passed. See labs/README.md."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def step(self, name: str, *, needs: list[str] | tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
        known = {s.name for s in self.steps}
        if name in known:
            raise ValueError(_("step {name} is declared twice").format(name=repr(name)))
        for need in needs:
            if need not in known:
                raise ValueError(
                    _("step {name} needs {need}, which must be declared before it").format(
                        name=repr(name), need=repr(need)
                    )
                )

        def register(func: Callable) -> Callable:
            self.steps.append(Step(name, func, tuple(needs)))
            return func

        return register

    def names(self) -> list[str]:
        return [s.name for s in self.steps]


class StepContext:
    """What every step function receives: the chosen device, the learner's files, the lab's
    reference solution, and a way to report progress and metrics."""

    def __init__(
        self,
        *,
        device: Any,
        workspace: Path,
        lab_dir: Path,
        emit: Callable[..., None] = lambda *a, **k: None,
    ) -> None:
        self.device = device  # a torch.device
        self.workspace = Path(workspace)
        self.lab_dir = Path(lab_dir)
        self.step_name = ""
        self.metrics: dict = {}  # this step's metrics: shown and stored with the result
        self._emit = emit
        self._modules: dict[str, Any] = {}
        self._broken: dict[str, str] = {}  # learner file -> the step whose error showed why it does not import
        self._last_progress = 0.0

    def learner(self, filename: str) -> Any:
        """The learner's `filename` from the workspace, imported once per run. A file that does not
        import errs in the first step that asks for it; later steps are skipped, pointing there,
        instead of repeating the same traceback."""
        from studyctl.labkit.loading import load_file

        if filename in self._broken:
            skip(
                _("not run: {file} does not import (the error is under step '{step}')").format(
                    file=filename, step=self._broken[filename]
                )
            )
        if filename not in self._modules:
            path = self.workspace / filename
            if not path.is_file():
                fail(
                    _("{file} is missing from your workspace {folder}; `studyctl lab reset` restores it").format(
                        file=filename, folder=self.workspace
                    )
                )
            try:
                self._modules[filename] = load_file(path, Path(filename).stem)
            except BaseException:
                self._broken[filename] = self.step_name
                raise
        return self._modules[filename]

    def solution(self, filename: str) -> Any:
        """The lab's reference solution for `filename`: compute expected values with it in the
        same run instead of hard-coding numbers."""
        from studyctl.labkit.loading import load_file

        key = f"solution/{filename}"
        if key not in self._modules:
            self._modules[key] = load_file(self.lab_dir / "solution" / filename, f"lab_solution_{Path(filename).stem}")
        return self._modules[key]

    def progress(self, epoch: int, total: int, **metrics: Any) -> None:
        """Report training progress (a progress line for long steps): epoch of total, and
        metrics such as loss=0.12, acc=0.97. Cheap to call every step: it is throttled."""
        now = time.monotonic()
        if epoch < total and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self._emit(
            protocol.PROGRESS,
            step=self.step_name,
            epoch=int(epoch),
            total=int(total),
            metrics=protocol.clean_metrics(metrics),
        )

    def _begin(self, name: str) -> None:
        self.step_name = name
        self.metrics = {}
        self._last_progress = 0.0
        seeding.forget_case()


def _outcome(step: Step, ctx: StepContext) -> tuple[str, str]:
    try:
        returned = step.func(ctx)
    except CheckFailed as exc:
        ctx.metrics.update(exc.metrics)
        return FAIL, str(exc)
    except StepSkipped as exc:
        return SKIP, str(exc)
    except AssertionError as exc:
        if learner_frames(exc, ctx.workspace):  # an assert in the learner's own code
            return ERROR, _in_case(describe_exception(exc, ctx.workspace))
        return FAIL, str(exc) or _("an assertion in the check failed")
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the learner's must not end the check
        return ERROR, _in_case(describe_exception(exc, ctx.workspace))
    return PASS, returned if isinstance(returned, str) else ""


def _in_case(message: str) -> str:
    """Add which hidden case (and its shapes) was running when the learner's code raised."""
    case = seeding.current_case()
    return message + "\n" + _("(while checking {case})").format(case=case.describe()) if case is not None else message


def run_steps(check: Check, ctx: StepContext, emit: Callable[..., None]) -> dict[str, str]:
    """Run every step in order; a step whose `needs` did not all pass is skipped. Emits a
    `step` event when each starts, a `case` event as each hidden case starts, and a `result`
    event when it ends; returns name -> status."""
    seeding.on_case = lambda case: emit(protocol.CASE, step=ctx.step_name, name=case.name)
    statuses: dict[str, str] = {}
    for step in check.steps:
        unmet = [need for need in step.needs if statuses.get(need) != PASS]
        if unmet:
            statuses[step.name] = SKIP
            names = ", ".join(f"'{n}'" for n in unmet)
            message = _("not run: needs {steps} to pass first").format(steps=names)
            emit(protocol.RESULT, name=step.name, status=SKIP, message=message, needs=unmet)
            continue
        emit(protocol.STEP, name=step.name)
        ctx._begin(step.name)
        started = time.perf_counter()
        status, message = _outcome(step, ctx)
        statuses[step.name] = status
        emit(
            protocol.RESULT,
            name=step.name,
            status=status,
            message=message,
            metrics=protocol.clean_metrics(ctx.metrics),
            seconds=round(time.perf_counter() - started, 3),
        )
    return statuses
