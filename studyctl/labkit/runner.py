"""Run a lab's check on the learner's workspace in a child process, with the lab's limits.

The child (studyctl.labkit.child) imports torch, picks the device and says `ready`; from then
on the lab's `time_limit` counts. The child stops itself at that limit (with a stack dump that
names the looping line); studyctl kills it a little later if it did not. A run ends with every
process it started killed, even those that left the process group (processes.py); a guard
process (reaper.py) does the same if studyctl itself is killed. A hang is reported as a
timeout and a child that dies as a crash. Either way the caller gets a RunResult, never an
exception from the learner's code.
"""

from __future__ import annotations

import collections
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from studyctl import i18n
from studyctl.i18n import _
from studyctl.labkit import processes, protocol
from studyctl.labkit.limits import TIMEOUT_BANNER
from studyctl.labkit.result import CRASH, ERROR, SKIP, TIMEOUT, RunResult, StepResult
from studyctl.labkit.tracebacks import dumped_frames

STARTUP_LIMIT = 120.0  # seconds to import torch and pick the device, before the lab's own limit
TIMER_GRACE = 2.0  # the child stops itself at the time limit; studyctl kills it this much later
OUTPUT_LINES = 200  # lines of the learner's output kept in the result
DUMP_LINES = 400  # lines of faulthandler dumps kept, to find the learner's frames in

Listener = Callable[[dict], None]


def child_command(
    lab_dir: Path, workspace: Path, device: str, *, time_limit: float = 0.0, memory_limit_mb: int = 0
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "studyctl.labkit.child",
        "--lab-dir",
        str(lab_dir),
        "--workspace",
        str(workspace),
        "--device",
        device,
        "--time-limit",
        str(time_limit),
        "--memory-limit-mb",
        str(memory_limit_mb),
        "--parent-pid",
        str(os.getpid()),
    ]


def _child_env(**extra: str) -> dict[str, str]:
    import studyctl

    package_parent = str(Path(studyctl.__file__).resolve().parent.parent)  # works from a checkout too
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)
    return dict(
        os.environ,
        PYTHONPATH=path,
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        **{i18n.LANG_ENV: i18n.current()},  # the check's messages in the language of the parent
        **extra,
    )


def _own_group() -> dict[str, Any]:
    """Popen arguments that start a process in a process group (POSIX: a session) of its own."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]


def _spawn(command: list[str], cwd: Path, token: str) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=_child_env(**{processes.RUN_TOKEN_ENV: token}),  # inherited by all it starts: see processes.py
        stdin=subprocess.DEVNULL,  # input() in the learner's code ends instead of waiting forever
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        **_own_group(),
    )


def _start_guard(token: str, pid: int) -> subprocess.Popen | None:
    """The guard process (reaper.py) that kills the run if studyctl dies before it could."""
    command = [sys.executable, "-m", "studyctl.labkit.reaper", "--token", token, "--pid", str(pid)]
    try:
        return subprocess.Popen(
            command,
            env=_child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_own_group(),  # a terminal's Ctrl-C or hang-up must not reach it before it did its job
        )
    except OSError:  # without a guard the run is still cleaned up whenever studyctl lives to do it
        return None


def _dismiss_guard(guard: subprocess.Popen | None) -> None:
    """studyctl cleaned up after the run itself: tell the guard so, and let it go."""
    if guard is None:
        return
    from studyctl.labkit.reaper import ALL_CLEAR

    try:
        assert guard.stdin is not None
        guard.stdin.write(ALL_CLEAR)
        guard.stdin.close()
        guard.wait(timeout=5)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        guard.kill()


def _pump(stream: IO[str], kind: str, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put((kind, line))
    lines.put((kind, None))


class _Collector:
    """Builds the RunResult from events, and forwards every event to the listener."""

    def __init__(self, lab_id: str, listener: Listener | None) -> None:
        self.result = RunResult(lab=lab_id)
        self.listener = listener or (lambda event: None)
        self.plan: list[str] = []
        self.current = ""
        self.case = ""  # the hidden case running in the current step, if any
        self.memory_limit_mb = 0
        self.ready = self.finished = False
        self.output: collections.deque[str] = collections.deque(maxlen=OUTPUT_LINES)
        self.dumps: collections.deque[str] = collections.deque(maxlen=DUMP_LINES)  # faulthandler's

    @property
    def stopped_itself(self) -> bool:
        """The child's own timer fired (its dump is on the event stream)."""
        return any(line.startswith(TIMEOUT_BANNER) for line in self.dumps)

    def dump(self, text: str) -> None:
        """A line of a faulthandler dump: kept to find the learner's frames in, and shown as output."""
        self.dumps.append(text.rstrip("\n"))
        self.line(text)

    def event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == protocol.READY:
            self.ready = True
            self.result.device, self.result.torch = event.get("device", ""), event.get("torch", "")
            self.memory_limit_mb = int(event.get("memory_limit_mb") or 0)
        elif kind == protocol.PLAN:
            self.plan = list(event.get("steps", []))
        elif kind == protocol.STEP:
            self.current, self.case = event.get("name", ""), ""
        elif kind == protocol.CASE:
            self.case = event.get("name", "")
        elif kind == protocol.RESULT:
            self.result.steps.append(StepResult.from_event(event))
            self.current, self.case = "", ""
        elif kind == protocol.FATAL:
            self.result.problem, self.result.problem_message = event.get("kind", CRASH), event.get("message", "")
            self.finished = True
        elif kind == protocol.DONE:
            self.finished = True
        self.listener(event)

    def line(self, text: str) -> None:
        text = text.rstrip("\n")
        self.output.append(text)
        self.listener({"event": "output", "line": text})

    def stop(self, problem: str, message: str) -> None:
        """End the run early: the running step errs with `message`, the ones after it are skipped."""
        self.result.problem, self.result.problem_message = problem, message
        if self.current:
            self.event({"event": protocol.RESULT, "name": self.current, "status": ERROR, "message": message})
        done = {s.name for s in self.result.steps}
        for name in self.plan:
            if name not in done:
                self.event(
                    {"event": protocol.RESULT, "name": name, "status": SKIP, "message": _("not run: the check stopped")}
                )


def _exit_description(code: int | None) -> str:
    if code is None:
        return _("the check process did not exit")
    if code < 0:
        try:
            return _("the check process was killed by {signal}").format(signal=signal.Signals(-code).name)
        except ValueError:
            return _("the check process was killed by signal {number}").format(number=-code)
    return _("the check process exited with code {code}").format(code=code)


def _with_crash_details(problem: str, collector: _Collector, workspace: Path) -> str:
    """`problem` with what the dying process said: faulthandler's frames in the learner's files,
    else its last lines."""
    dumps = list(collector.dumps)
    fatal = [line for line in dumps if line.startswith("Fatal Python error")]  # i18n: not shown
    mine = dumped_frames(dumps, workspace)
    if mine:
        head = f" ({fatal[-1]})" if fatal else ""
        where = _("{problem}, in your code (most recent call first):").format(problem=problem + head)
        return where + "\n" + "\n".join(mine)
    tail = "\n".join(list(collector.output)[-10:])
    return _("{problem}; its last output:").format(problem=problem) + "\n" + tail if tail else problem


def _timeout_message(collector: _Collector, time_limit: float, workspace: Path) -> str:
    step, case = collector.current, collector.case
    if step and case:
        head = _("stopped after {seconds:g} s (this lab's time limit) while step '{step}' was running ({case}).")
    elif step:
        head = _("stopped after {seconds:g} s (this lab's time limit) while step '{step}' was running.")
    elif case:
        head = _("stopped after {seconds:g} s (this lab's time limit) ({case}).")
    else:
        head = _("stopped after {seconds:g} s (this lab's time limit).")
    head = head.format(seconds=time_limit, step=step, case=case)
    frames = dumped_frames(list(collector.dumps), workspace)
    if not frames:
        return _(
            "{stopped} Look for a loop that never ends (a `while` whose condition never changes) or training far"
            " longer than the lab asks for."
        ).format(stopped=head)
    lines = [_("{stopped} Your code was at {frame}").format(stopped=head, frame=frames[0])]
    lines += [_("called from {frame}").format(frame=frame) for frame in frames[1:]]
    lines.append(
        _("Look at that loop: does its condition ever change? Or is the training far longer than the lab asks?")
    )
    return "\n".join(lines)


def _crash_message(collector: _Collector, code: int | None, workspace: Path) -> str:
    problem = _exit_description(code)
    if collector.current:
        problem = _("{problem} during step '{step}'").format(problem=problem, step=collector.current)
    if collector.case:
        problem = _("{problem} ({case})").format(problem=problem, case=collector.case)
    if code == -getattr(signal, "SIGKILL", 9):
        problem = _("{problem} (was it out of memory? the system kills a process that takes too much)").format(
            problem=problem
        )
    return _with_crash_details(problem, collector, workspace)


def run_check(
    lab: Any,
    workspace: Path,
    *,
    device: str = "auto",
    listener: Listener | None = None,
    startup_limit: float = STARTUP_LIMIT,
) -> RunResult:
    """Judge `workspace` with `lab`'s check (a content.model.lab.Lab) on `device`.

    `listener` receives every event as it arrives (ready, plan, step, case, progress, result,
    output lines), for live rendering. Ctrl-C kills the run before it propagates."""
    started = time.monotonic()
    collector = _Collector(lab.id, listener)
    lines: queue.Queue = queue.Queue()
    token = processes.new_token()
    command = child_command(
        Path(lab.path).resolve(),
        Path(workspace).resolve(),
        device,
        time_limit=lab.time_limit,
        memory_limit_mb=getattr(lab, "memory_limit_mb", 0),
    )
    proc = _spawn(command, Path(workspace), token)
    guard = _start_guard(token, proc.pid)
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, "events", lines), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, "output", lines), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = started + startup_limit
    open_streams, timed_out = 2, False
    try:
        while open_streams and not collector.finished:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            try:
                kind, text = lines.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                continue
            if text is None:
                open_streams -= 1
            elif kind == "events" and (event := protocol.decode(text)) is not None:
                collector.event(event)
                if event["event"] == protocol.READY:
                    deadline = time.monotonic() + lab.time_limit + TIMER_GRACE
            elif kind == "events":
                collector.dump(text)
            else:
                collector.line(text)
    finally:
        # Also on Ctrl-C, and harmless when the child has already finished. Before the child is
        # reaped, so that its pid and process group id cannot have been reused.
        processes.kill_run(token, [proc.pid])
        code = proc.wait()
        _dismiss_guard(guard)
    for reader in readers:
        reader.join(timeout=2)
    while not lines.empty():  # output written before the child ended is still in the pipe
        kind, text = lines.get_nowait()
        if text is not None and kind == "events" and protocol.decode(text) is None:
            collector.dump(text)
        elif text is not None and kind != "events":
            collector.line(text)
    if timed_out and not collector.ready:
        collector.stop(
            TIMEOUT,
            _("the check process did not start within {seconds:.0f} s (importing torch?)").format(
                seconds=startup_limit
            ),
        )
    elif timed_out or (not collector.finished and collector.stopped_itself):
        collector.stop(TIMEOUT, _timeout_message(collector, lab.time_limit, Path(workspace)))
    elif not collector.finished:
        collector.stop(CRASH, _crash_message(collector, code, Path(workspace)))
    result = collector.result
    result.seconds = round(time.monotonic() - started, 2)
    result.output = "\n".join(collector.output)
    return result


def probe_torch(timeout: float = STARTUP_LIMIT) -> dict:
    """torch's version and the devices it can use, asked of a child process (importing torch
    costs a second or two, and a broken install must not take the caller down)."""
    from studyctl.labkit.devices import INSTALL_HINT, installed_torch

    if installed_torch() is None:
        return {"installed": False, "hint": _("{command} to run labs").format(command=INSTALL_HINT)}
    command = [sys.executable, "-m", "studyctl.labkit.child", "--probe"]
    try:
        done = subprocess.run(command, env=_child_env(), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"installed": True, "error": _("the probe failed: {error}").format(error=exc)}
    for line in done.stdout.splitlines():
        event = protocol.decode(line)
        if event and event["event"] == protocol.PROBE:
            return {"installed": True, **{k: event[k] for k in ("version", "devices", "cuda_devices")}}
        if event and event["event"] == protocol.FATAL:
            return {"installed": True, "error": event.get("message", "")}
    return {
        "installed": True,
        "error": _("the probe said nothing ({output})").format(output=done.stderr.strip()[-200:]),
    }
