"""`lab watch`'s loop: a save runs the check, Enter runs it by hand, saves that arrive while a
check runs are dropped, and only the learner's files count."""

from __future__ import annotations

import io
import threading
import time

from conftest import write

from studyctl.labkit.watch import Watcher


def run_loop(watcher: Watcher, run_once, **kw) -> list:
    """Run watcher.loop in a thread with a safety timeout, so a broken watcher fails instead of hanging."""
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(watcher.loop(run_once, **kw)), daemon=True)
    thread.start()
    thread.join(timeout=30)
    watcher.stop.set()
    assert not thread.is_alive(), "the watch loop did not finish"
    return outcome


def keep_saving(path, until: threading.Event) -> None:
    """Save the file every 0.2 s until told to stop (the watcher may need a moment to start)."""
    count = 0
    while not until.is_set():
        count += 1
        path.write_text(f"x = {count}\n")
        time.sleep(0.2)


def test_a_save_runs_the_check_again(tmp_path):
    prog = write(tmp_path / "prog.py", "x = 0\n")
    reasons, second = [], threading.Event()

    def run_once(reason):
        reasons.append(reason)
        if reason == "start":
            threading.Thread(target=keep_saving, args=(prog, second), daemon=True).start()
        else:
            second.set()

    assert run_loop(Watcher(tmp_path, ["prog.py"], debounce_ms=50), run_once, max_runs=2) == [2]
    assert reasons == ["start", "saved prog.py"]


def test_saves_during_a_check_are_ignored(tmp_path):
    prog = write(tmp_path / "prog.py", "x = 0\n")
    reasons, dropped, second = [], [], threading.Event()

    def run_once(reason):
        reasons.append(reason)
        if reason == "start":
            threading.Thread(target=keep_saving, args=(prog, second), daemon=True).start()
            return
        second.set()
        for i in range(3):  # an editor saving while the check runs
            prog.write_text(f"y = {i}\n")
            time.sleep(0.1)
        time.sleep(1.0)  # long enough for those events to arrive during this run

    run_loop(Watcher(tmp_path, ["prog.py"], debounce_ms=50), run_once, max_runs=2, on_dropped=dropped.append)
    assert len(reasons) == 2 and dropped and dropped[0] >= 1


def test_enter_runs_the_check_by_hand(tmp_path):
    write(tmp_path / "prog.py", "x = 0\n")
    reasons = []
    watcher = Watcher(tmp_path, ["prog.py"], stdin=io.StringIO("\n"))
    assert run_loop(watcher, reasons.append, max_runs=2) == [2]
    assert reasons == ["start", "Enter"]


def test_only_the_learners_files_count(tmp_path):
    watcher = Watcher(tmp_path, ["model.py", "data/notes.txt"])
    assert watcher.wanted(None, str(tmp_path / "model.py"))
    assert watcher.wanted(None, str(tmp_path / "helpers.py"))
    assert watcher.wanted(None, str(tmp_path / "data" / "notes.txt"))
    for ignored in (
        ".studyctl-lab.json",
        "__pycache__/model.cpython-311.pyc",
        ".studyctl-backup/1/model.py",
        "out.csv",
    ):
        assert not watcher.wanted(None, str(tmp_path / ignored)), ignored
    assert not watcher.wanted(None, "/somewhere/else/model.py")
