"""Limits the check process puts on itself, so that it never outlives studyctl or its lab's limits
even when studyctl cannot act (killed, suspended):

- `die_with_parent`: on Linux the kernel sends SIGKILL when studyctl dies (prctl's
  PR_SET_PDEATHSIG); elsewhere a thread watches os.getppid() and hard-exits when it changes.
- `start_timer`: faulthandler's watchdog thread (native code: it runs even while the learner's
  loop holds the GIL) dumps every thread's stack, so studyctl can show the looping line, and
  hard-exits at the lab's time limit.
- `limit_memory`: RLIMIT_AS, so that a memory hog gets a MemoryError (reported as the lab's
  memory limit) instead of swapping the machine to a halt.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import threading
import time
from typing import TextIO

from studyctl.i18n import _

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL = 0.5  # seconds between looks at the parent pid where no parent-death signal exists
TIMEOUT_BANNER = "Timeout ("  # i18n: not shown: how faulthandler's dump_traceback_later begins its dump

memory_limit_mb: int | None = None  # the limit in force in this process, for the messages


def die_with_parent(parent_pid: int) -> None:
    """End this process when `parent_pid` (studyctl) dies, however it dies."""
    if parent_pid <= 0:
        return
    if sys.platform.startswith("linux") and _set_parent_death_signal():
        if os.getppid() != parent_pid:  # it died before the signal was armed
            os._exit(1)
        return
    if os.name == "posix":
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="studyctl-parent-watch", daemon=True).start()
    # Windows: the guard process (reaper.py) ends this process when studyctl is gone.


def _set_parent_death_signal() -> bool:
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL)
    os._exit(1)


def start_timer(seconds: float, dump_to: TextIO) -> None:
    """Dump every thread's stack to `dump_to` and exit with code 1 after `seconds`, unless
    stop_timer() comes first. The dump starts with a line beginning TIMEOUT_BANNER."""
    if seconds > 0:
        faulthandler.dump_traceback_later(seconds, exit=True, file=dump_to)


def stop_timer() -> None:
    faulthandler.cancel_dump_traceback_later()


def _address_space_bytes() -> int | None:
    """How much address space this process maps now (VmSize), on Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def limit_memory(megabytes: int) -> bool:
    """Let this process map at most `megabytes` more than it maps now (torch and its libraries
    are loaded by then, so the limit is what the learner's code and the check may allocate).
    Linux only: macOS does not enforce RLIMIT_AS and Windows has no rlimits. Returns whether
    the limit is in force."""
    global memory_limit_mb
    if megabytes <= 0 or not sys.platform.startswith("linux"):
        return False
    import resource

    mapped = _address_space_bytes()
    if mapped is None:
        return False
    wanted = mapped + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        return False
    memory_limit_mb = megabytes
    return True


_ALLOCATION_FAILURES = ("can't allocate memory", "not enough memory", "cannot allocate memory")  # i18n: not shown


def is_out_of_memory(exc: BaseException) -> bool:
    """A failed allocation: Python's and numpy's MemoryError, torch's CPU allocator, CUDA."""
    if isinstance(exc, MemoryError):
        return True
    if type(exc).__name__ == "OutOfMemoryError":  # torch.cuda.OutOfMemoryError, without importing torch
        return True
    return isinstance(exc, RuntimeError) and any(text in str(exc).lower() for text in _ALLOCATION_FAILURES)


def out_of_memory_message(exc: BaseException) -> str:
    """The first line of the message for an allocation that failed in the learner's code."""
    if type(exc).__name__ == "OutOfMemoryError":
        return _("your code ran out of GPU memory; use smaller batches or tensors than that")
    if memory_limit_mb is not None:
        return _(
            "your code ran out of the lab's {megabytes} MB memory limit; "
            "look for a tensor or list far larger than the lab needs, or one that grows on every step"
        ).format(megabytes=memory_limit_mb)
    return _("your code ran out of memory; look for a tensor or list far larger than the lab needs")
