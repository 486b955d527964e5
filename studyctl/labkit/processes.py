"""Find and kill every process a check run started, however it tried to get away.

Each run's child gets a token in its environment (RUN_TOKEN_ENV); every process it starts
inherits it, even one that calls `os.setsid()` or `start_new_session=True` and so leaves the
process group that a plain `killpg` reaches (the trick Jenkins uses for a build's strays).
A process counts as part of the run when it carries the token, or descends (by parent pid)
from one that does or from a trusted root such as the child itself; the second rule catches
a descendant started with an emptied environment while its parent is still alive.

Linux reads /proc. Elsewhere psutil is used when it is installed; without it only the trusted
roots and their process groups are killed (a documented best effort on macOS and Windows).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

RUN_TOKEN_ENV = "STUDYCTL_LAB_RUN"  # i18n: not shown
KILL_ROUNDS = 5  # a process may fork between one scan and the kill: scan again until nothing is left
PROC = Path("/proc")


def new_token() -> str:
    return uuid.uuid4().hex


def _has_proc() -> bool:
    return sys.platform.startswith("linux") and PROC.is_dir()


def _proc_table(token: str) -> tuple[dict[int, int], set[int]]:
    """pid -> parent pid for every process, and the pids whose environment carries `token`."""
    marker = f"{RUN_TOKEN_ENV}={token}".encode()
    parents: dict[int, int] = {}
    marked: set[int] = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            stat = (entry / "stat").read_bytes()
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'
            parents[pid] = int(stat[stat.rindex(b")") + 2 :].split()[1])
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                marked.add(pid)
        except (OSError, ValueError, IndexError):  # gone meanwhile, or another user's process
            continue
    return parents, marked


def _psutil_table(token: str) -> tuple[dict[int, int], set[int]]:
    try:
        import psutil
    except ImportError:
        return {}, set()
    parents: dict[int, int] = {}
    marked: set[int] = set()
    for process in psutil.process_iter(["pid", "ppid"]):
        try:
            parents[process.pid] = process.ppid()
            if process.environ().get(RUN_TOKEN_ENV) == token:
                marked.add(process.pid)
        except (psutil.Error, OSError):
            continue
    return parents, marked


def run_processes(token: str, roots: Iterable[int] = ()) -> set[int]:
    """The pids of the run: those carrying `token`, the trusted `roots`, and their descendants."""
    parents, marked = _proc_table(token) if _has_proc() else _psutil_table(token)
    members = marked | {pid for pid in roots if pid in parents or not parents}
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    todo = list(members)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in members:
                members.add(child)
                todo.append(child)
    members.discard(os.getpid())
    return members


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):  # already gone, or not ours
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # SIGTERM is TerminateProcess on Windows


def _kill_group(pid: int) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(pid, signal.SIGKILL)


def kill_run(token: str, roots: Iterable[int] = ()) -> set[int]:
    """Kill every process of the run (see run_processes), and the process groups the roots lead.

    Call it before the roots are reaped, so that their pids cannot have been reused. Returns the
    pids it signalled."""
    roots = list(roots)
    for root in roots:  # first the whole group at once, so nothing in it forks while we scan
        _kill_group(root)
    killed: set[int] = set()
    for _ in range(KILL_ROUNDS):
        alive = {pid for pid in run_processes(token, roots) if not _is_zombie(pid)} - killed
        if not alive:
            break
        for pid in alive:
            _kill(pid)
        killed |= alive
        time.sleep(0.01)
    return killed


def _is_zombie(pid: int) -> bool:
    """True for a process that has exited but not been reaped yet (it holds no resources)."""
    if not _has_proc():
        return False
    try:
        stat = (PROC / str(pid) / "stat").read_bytes()
    except OSError:
        return True
    return stat[stat.rindex(b")") + 2 :].split()[0] in (b"Z", b"X")


def is_gone(pid: int) -> bool:
    """True once `pid` has exited (a zombie counts as gone: it runs nothing). POSIX only: on
    Windows os.kill(pid, 0) would terminate the process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)
