"""`lab watch`: run the check again whenever the learner saves, one run at a time.

Saves arrive from watchfiles (debounced, in a thread); a line on stdin (Enter) asks for a run
by hand, for filesystems where change events never arrive (network mounts, some containers).
Runs happen in the caller's thread; saves and Enter presses that come in while a check runs
are dropped afterwards, so an editor's burst of writes never queues up a line of checks.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from studyctl.i18n import _

DEBOUNCE_MS = 300
_IGNORED_PARTS = {"__pycache__", ".studyctl-backup", ".git", ".ipynb_checkpoints"}


class Watcher:
    def __init__(
        self,
        folder: Path,
        files: Iterable[str],
        *,
        debounce_ms: int = DEBOUNCE_MS,
        poll: bool = False,
        stdin: Any = None,
    ) -> None:
        self.folder = Path(folder).resolve()
        self.files = set(files)
        self.debounce_ms = debounce_ms
        self.poll = poll
        self.stdin = stdin
        self.stop = threading.Event()
        self.triggers: queue.Queue[tuple[str, list[str]]] = queue.Queue()

    def wanted(self, change: Any, path: str) -> bool:
        """Only the learner's files count: their listed files and any other .py outside caches."""
        try:
            relative = Path(path).resolve().relative_to(self.folder)
        except ValueError:
            return False
        if _IGNORED_PARTS.intersection(relative.parts) or any(p.startswith(".") for p in relative.parts):
            return False
        return relative.as_posix() in self.files or relative.suffix == ".py"

    def _file_events(self) -> None:
        from watchfiles import watch

        for changes in watch(
            self.folder,
            watch_filter=self.wanted,
            debounce=self.debounce_ms,
            step=50,
            stop_event=self.stop,
            rust_timeout=500,
            raise_interrupt=False,
            force_polling=self.poll or None,
        ):
            names = sorted({Path(path).name for _, path in changes})
            self.triggers.put(("save", names))

    def _enter_presses(self) -> None:
        """One trigger per line read. A real terminal is read with os.read on its descriptor, so
        this daemon thread never holds the lock of sys.stdin's buffer at interpreter exit."""
        stream = self.stdin
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):
            fd = None
        if fd is None:
            for _line in iter(stream.readline, ""):
                self.triggers.put(("enter", []))
            return
        while not self.stop.is_set():
            try:
                data = os.read(fd, 1024)
            except OSError:
                return
            if not data:
                return
            for _line in range(data.count(b"\n")):
                self.triggers.put(("enter", []))

    def _drain(self) -> int:
        dropped = 0
        while True:
            try:
                self.triggers.get_nowait()
            except queue.Empty:
                return dropped
            dropped += 1

    def loop(
        self,
        run_once: Callable[[str], None],
        *,
        max_runs: int | None = None,
        on_dropped: Callable[[int], None] = lambda count: None,
    ) -> int:
        """Run once now, then once per save or Enter until Ctrl-C (KeyboardInterrupt reaches
        the caller) or `max_runs`. Returns the number of runs."""
        threads = [threading.Thread(target=self._file_events, daemon=True)]
        if self.stdin is not None:
            threads.append(threading.Thread(target=self._enter_presses, daemon=True))
        try:
            run_once(_("start"))
            runs = 1
            for thread in threads:  # started after the first run: its own writes don't count
                thread.start()
            while max_runs is None or runs < max_runs:
                try:
                    kind, names = self.triggers.get(timeout=0.2)
                except queue.Empty:
                    continue
                run_once(_("saved {files}").format(files=", ".join(names)) if kind == "save" else _("Enter"))
                runs += 1
                dropped = self._drain()
                if dropped:
                    on_dropped(dropped)
            return runs
        finally:
            self.stop.set()
