"""Run a lab's check on the learner's workspace in a child process, with the lab's time limit.

The child (studyctl.labkit.child) imports torch, picks the device and says `ready`; from then
on the lab's `time_limit` counts. A hang is stopped by killing the child's whole process
group and reported as a timeout; a child that dies is reported as a crash. Either way the
caller gets a RunResult, never an exception from the learner's code.
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

from studyctl.labkit import protocol
from studyctl.labkit.result import CRASH, ERROR, SKIP, TIMEOUT, RunResult, StepResult

STARTUP_LIMIT = 120.0  # seconds to import torch and pick the device, before the lab's own limit
OUTPUT_LINES = 200  # lines of the learner's output kept in the result

Listener = Callable[[dict], None]


def child_command(lab_dir: Path, workspace: Path, device: str) -> list[str]:
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
    ]


def _child_env() -> dict[str, str]:
    import studyctl

    package_parent = str(Path(studyctl.__file__).resolve().parent.parent)  # works from a checkout too
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)
    return dict(
        os.environ, PYTHONPATH=path, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8"
    )


def _spawn(command: list[str], cwd: Path) -> subprocess.Popen:
    group = (
        {"start_new_session": True}
        if os.name == "posix"
        else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    )
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=_child_env(),
        stdin=subprocess.DEVNULL,  # input() in the learner's code ends instead of waiting forever
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        **group,
    )


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the child and anything it started. Called before the child is reaped, so its
    process group id cannot have been reused."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _pump(stream, kind: str, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put((kind, line))
    lines.put((kind, None))


class _Collector:
    """Builds the RunResult from events, and forwards every event to the listener."""

    def __init__(self, lab_id: str, listener: Listener | None):
        self.result = RunResult(lab=lab_id)
        self.listener = listener or (lambda event: None)
        self.plan: list[str] = []
        self.current = ""
        self.ready = self.finished = False
        self.output: collections.deque[str] = collections.deque(maxlen=OUTPUT_LINES)

    def event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == protocol.READY:
            self.ready = True
            self.result.device, self.result.torch = event.get("device", ""), event.get("torch", "")
        elif kind == protocol.PLAN:
            self.plan = list(event.get("steps", []))
        elif kind == protocol.STEP:
            self.current = event.get("name", "")
        elif kind == protocol.RESULT:
            fields = {k: event[k] for k in ("name", "status", "message", "metrics", "seconds") if k in event}
            self.result.steps.append(StepResult(**fields))
            self.current = ""
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
                    {"event": protocol.RESULT, "name": name, "status": SKIP, "message": "not run: the check stopped"}
                )


def _exit_description(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def _crash_details(collector: _Collector, workspace: Path) -> str:
    """What the dying process said: faulthandler's frames in the learner's files, else its last lines."""
    lines = list(collector.output)
    fatal = [line for line in lines if line.startswith("Fatal Python error")]
    folder = str(Path(workspace).resolve())
    mine = [line.strip() for line in lines if line.strip().startswith("File") and folder in line]
    if mine:
        head = f" ({fatal[-1]})" if fatal else ""
        return f"{head}, in your code (most recent call first):\n" + "\n".join(mine)
    tail = "\n".join(lines[-10:])
    return f"; its last output:\n{tail}" if tail else ""


def run_check(
    lab,
    workspace: Path,
    *,
    device: str = "auto",
    listener: Listener | None = None,
    startup_limit: float = STARTUP_LIMIT,
) -> RunResult:
    """Judge `workspace` with `lab`'s check (a content.model.lab.Lab) on `device`.

    `listener` receives every event as it arrives (ready, plan, step, progress, result,
    output lines), for live rendering. Ctrl-C kills the child before it propagates."""
    started = time.monotonic()
    collector = _Collector(lab.id, listener)
    lines: queue.Queue = queue.Queue()
    proc = _spawn(child_command(Path(lab.path).resolve(), Path(workspace).resolve(), device), Path(workspace))
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
                    deadline = time.monotonic() + lab.time_limit
            else:
                collector.line(text)
    finally:
        _kill_group(proc)  # also on Ctrl-C; harmless when the child has already finished
        code = proc.wait()
    for reader in readers:
        reader.join(timeout=2)
    while not lines.empty():  # output written before the child ended is still in the pipe
        kind, text = lines.get_nowait()
        if text is not None and (kind != "events" or protocol.decode(text) is None):
            collector.line(text)
    if timed_out and not collector.ready:
        collector.stop(TIMEOUT, f"the check process did not start within {startup_limit:.0f} s (importing torch?)")
    elif timed_out:
        where = f" while step '{collector.current}' was running" if collector.current else ""
        collector.stop(
            TIMEOUT,
            f"stopped after {lab.time_limit} s (this lab's time limit){where}. Look for a loop that never ends "
            "(a `while` whose condition never changes) or training far longer than the lab asks for.",
        )
    elif not collector.finished:
        where = f" during step '{collector.current}'" if collector.current else ""
        collector.stop(
            CRASH, f"the check process {_exit_description(code)}{where}{_crash_details(collector, workspace)}"
        )
    result = collector.result
    result.seconds = round(time.monotonic() - started, 2)
    result.output = "\n".join(collector.output)
    return result


def probe_torch(timeout: float = STARTUP_LIMIT) -> dict:
    """torch's version and the devices it can use, asked of a child process (importing torch
    costs a second or two, and a broken install must not take the caller down)."""
    from studyctl.labkit.devices import INSTALL_HINT, installed_torch

    if installed_torch() is None:
        return {"installed": False, "hint": f"{INSTALL_HINT} to run labs"}
    command = [sys.executable, "-m", "studyctl.labkit.child", "--probe"]
    try:
        done = subprocess.run(command, env=_child_env(), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"installed": True, "error": f"the probe failed: {exc}"}
    for line in done.stdout.splitlines():
        event = protocol.decode(line)
        if event and event["event"] == protocol.PROBE:
            return {"installed": True, **{k: event[k] for k in ("version", "devices", "cuda_devices")}}
        if event and event["event"] == protocol.FATAL:
            return {"installed": True, "error": event.get("message", "")}
    return {"installed": True, "error": f"the probe said nothing ({done.stderr.strip()[-200:]})"}
