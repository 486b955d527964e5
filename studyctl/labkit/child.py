"""The check process: `python -m studyctl.labkit.child --lab-dir DIR --workspace DIR --device auto
--time-limit S --memory-limit-mb MB --parent-pid PID`.

It runs apart from studyctl, in its own process group, so a hang or a crash in the learner's
code cannot take studyctl down: the parent kills the whole run at the time limit. It also keeps
its own limits (limits.py): it dies with studyctl, stops itself at the lab's time limit (with a
stack dump that shows the looping line) and caps its memory.
Events (see protocol.py) go to a private copy of the original stdout; file descriptor 1 is
then pointed at stderr, so the learner's print() output, even from C code, never mixes
into the event stream. faulthandler's dumps go to the event stream too: they are the only
lines on it that are not events.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from studyctl.i18n import _
from studyctl.labkit import limits, protocol
from studyctl.labkit.result import BROKEN_CHECK, DEVICE

Emit = Callable[..., None]


def _event_writer() -> tuple[Emit, TextIO]:
    """The event emitter and the stream it writes to (a private copy of the original stdout)."""
    sys.stdout.flush()
    events = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    def emit(event: str, **fields: Any) -> None:
        events.write(protocol.encode(event, **fields))
        events.flush()

    return emit, events


def _load_check(lab_dir: Path) -> Any:
    from studyctl.labkit.loading import load_file
    from studyctl.labkit.steps import Check

    module = load_file(lab_dir / "check.py", "lab_check")
    check = getattr(module, "check", None)
    if not isinstance(check, Check):
        raise TypeError(_("{file} should define `check = Check()` with its steps").format(file=lab_dir / "check.py"))
    if not check.steps:
        raise TypeError(_("{file} declares no steps").format(file=lab_dir / "check.py"))
    return check


def run(
    lab_dir: Path,
    workspace: Path,
    device: str,
    emit: Emit,
    *,
    time_limit: float = 0.0,
    memory_limit_mb: int = 0,
    dump_to: TextIO | None = None,
) -> None:
    """Import torch, pick the device, then (the lab's limits in force) run the check's steps."""
    from studyctl.labkit.devices import INSTALL_HINT, DeviceUnavailable, pick_device

    try:
        import torch
    except Exception as exc:  # a missing or broken torch is the environment's problem, not the learner's
        message = _("torch failed to import ({error}); {command}").format(error=exc, command=INSTALL_HINT)
        emit(protocol.FATAL, kind=DEVICE, message=message)
        return
    try:
        name, reason = pick_device(device, torch)
    except DeviceUnavailable as exc:
        emit(protocol.FATAL, kind=DEVICE, message=str(exc))
        return
    # The memory cap is for CPU runs: CUDA's driver reserves address space by the tens of GB.
    capped = name == "cpu" and limits.limit_memory(memory_limit_mb)
    emit(
        protocol.READY,
        device=name,
        torch=torch.__version__,
        reason=reason,
        memory_limit_mb=memory_limit_mb if capped else 0,
    )
    limits.start_timer(time_limit, dump_to or sys.stderr)  # the lab's time limit counts from "ready"
    try:
        check = _load_check(lab_dir)
    except Exception:
        message = _("the lab's check could not load:") + "\n" + traceback.format_exc()
        emit(protocol.FATAL, kind=BROKEN_CHECK, message=message)
        return
    emit(protocol.PLAN, steps=check.names())
    from studyctl.labkit.steps import StepContext, run_steps

    ctx = StepContext(device=torch.device(name), workspace=workspace, lab_dir=lab_dir, emit=emit)
    run_steps(check, ctx, emit)
    limits.stop_timer()
    emit(protocol.DONE)


def probe(emit: Emit) -> None:
    """`--probe`: what torch this Python has and which devices it sees (for `studyctl doctor`,
    which never imports torch itself)."""
    try:
        import torch
    except Exception as exc:  # a broken install must not break doctor
        emit(protocol.FATAL, kind=DEVICE, message=_("import failed: {error}").format(error=exc))
        return
    devices, cuda = ["cpu"], []
    if torch.cuda.is_available():
        cuda = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        devices.insert(0, "cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.insert(0, "mps")
    emit(protocol.PROBE, version=torch.__version__, devices=devices, cuda_devices=cuda)


def main(argv: list[str] | None = None) -> None:
    from studyctl import i18n

    i18n.activate(os.environ.get(i18n.LANG_ENV, "en"))  # the parent passes its language (runner.py)
    # This command line is studyctl's own (runner.py builds it): its help is never shown to users.
    parser = argparse.ArgumentParser(prog="python -m studyctl.labkit.child")  # i18n: not shown
    parser.add_argument("--lab-dir", type=Path)
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--probe",
        action="store_true",
        help="report torch and its devices, then exit",  # i18n: not shown
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=0.0,
        help="seconds from 'ready' before it stops itself",  # i18n: not shown
    )
    parser.add_argument(
        "--memory-limit-mb",
        type=int,
        default=0,
        help="MB the check may allocate (0: no cap)",  # i18n: not shown
    )
    parser.add_argument(
        "--parent-pid",
        type=int,
        default=0,
        help="studyctl's pid: die when it dies",  # i18n: not shown
    )
    args = parser.parse_args(argv)
    if not args.probe and (args.lab_dir is None or args.workspace is None):
        parser.error("--lab-dir and --workspace are required to run a check")  # i18n: not shown
    limits.die_with_parent(args.parent_pid)
    emit, events = _event_writer()
    if args.probe:
        probe(emit)
        sys.stdout.flush()
        os._exit(0)
    faulthandler.enable(file=events)  # a segfault in native code still shows where the learner's code was
    sys.dont_write_bytecode = True  # no __pycache__ in the learner's folder (it would wake `lab watch`)
    workspace = args.workspace.resolve()
    sys.path.insert(0, str(workspace))  # the learner's files may import each other
    code = 0
    try:
        run(
            args.lab_dir.resolve(),
            workspace,
            args.device,
            emit,
            time_limit=args.time_limit,
            memory_limit_mb=args.memory_limit_mb,
            dump_to=events,
        )
    except BaseException:  # the runner's own failure: say what it was (studyctl shows the last lines)
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # threads the learner's code left running must not keep the process alive


if __name__ == "__main__":
    main()
