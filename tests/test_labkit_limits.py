"""A check run never outlives studyctl or its lab's limits: killing `studyctl lab check` (any
signal) takes the check process and everything it started with it, even a process in a session
of its own; the check process stops itself at the time limit when studyctl is suspended; a
memory hog hits the lab's memory limit with a clear message; an interrupt is called one."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lab_helpers import tiny_lab

from studyctl.labkit.processes import is_gone
from studyctl.labkit.result import ERROR, PASS, SKIP, TIMEOUT
from studyctl.labkit.runner import run_check

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; the guarantees are Linux's")

STARTUP = 60.0  # seconds for a CLI and its check process to import torch on a busy machine
GONE_WITHIN = 5.0


def escaping_program(pids_file: Path, *, then: str = "loop") -> str:
    """Learner code that starts a grandchild in a session of its own (out of the check's process
    group), writes 'child grandchild' pids to `pids_file`, then loops forever or returns 42."""
    tail = "    while True:\n        pass\n" if then == "loop" else "    return 42\n"
    return (
        "import os\nimport subprocess\nimport sys\n\n\ndef main():\n"
        "    sleeper = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'],"
        " start_new_session=True)\n"
        f"    with open({str(pids_file)!r}, 'w') as out:\n"
        "        out.write(f'{os.getpid()} {sleeper.pid}')\n" + tail
    )


def wait_for_pids(pids_file: Path, proc: subprocess.Popen) -> list[int]:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        text = pids_file.read_text() if pids_file.exists() else ""
        if len(text.split()) == 2:
            return [int(pid) for pid in text.split()]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the learner's code never started")


def all_gone(pids: list[int], within: float = GONE_WITHIN) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(is_gone(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def kill_leftovers(pids: list[int]) -> None:
    """So that a failing test leaves no processes behind."""
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def start_cli(tmp_path: Path, program: str, *, time_limit: int) -> subprocess.Popen:
    _, workspace = tiny_lab(tmp_path / "content", program, time_limit=time_limit)
    command = [sys.executable, "-m", "studyctl", "--content", str(tmp_path / "content")]
    command += ["lab", "check", "tiny", "--dir", str(workspace), "--device", "cpu"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_killing_lab_check_ends_the_check_and_all_it_started(tmp_path, signum):
    pids_file = tmp_path / "pids"
    cli = start_cli(tmp_path, escaping_program(pids_file), time_limit=60)
    pids: list[int] = []
    try:
        pids = wait_for_pids(pids_file, cli)
        cli.send_signal(signum)
        assert all_gone(pids), f"still running after {signum.name}: {[p for p in pids if not is_gone(p)]}"
        cli.wait(timeout=10)
        if signum == signal.SIGINT:
            assert cli.returncode == 130 and "Check stopped (Ctrl-C)" in cli.stderr.read()
    finally:
        kill_leftovers(pids)
        cli.kill()
        cli.communicate()


def test_the_check_stops_itself_at_the_time_limit_while_studyctl_is_suspended(tmp_path):
    pids_file = tmp_path / "pids"
    cli = start_cli(tmp_path, escaping_program(pids_file), time_limit=2)
    pids: list[int] = []
    try:
        pids = wait_for_pids(pids_file, cli)
        cli.send_signal(signal.SIGSTOP)
        try:
            assert all_gone(pids[:1], within=2 + GONE_WITHIN), "the check process ran on past its time limit"
        finally:
            cli.send_signal(signal.SIGCONT)
        out, _ = cli.communicate(timeout=30)
        assert cli.returncode == 1 and "stopped after 2 s (this lab's time limit) while step 'runs'" in out
        assert "Your code was at prog.py line" in out and "in main()" in out
        assert all_gone(pids[1:]), "studyctl, resumed, cleans up the rest"
    finally:
        kill_leftovers(pids)
        cli.kill()


def test_a_finished_run_leaves_no_process_behind(tmp_path):
    pids_file = tmp_path / "pids"
    lab, workspace = tiny_lab(tmp_path, escaping_program(pids_file, then="return"))
    pids = [int(pid) for pid in pids_file.read_text().split()] if pids_file.exists() else []
    try:
        result = run_check(lab, workspace, device="cpu")
        pids = [int(pid) for pid in pids_file.read_text().split()]
        assert result.passed, result.steps
        assert all_gone(pids, within=0.5), "a process in its own session outlived the run"
    finally:
        kill_leftovers(pids)


def test_the_timeout_names_the_looping_line(tmp_path):
    program = "def main():\n    n = 0\n    while n >= 0:\n        n += 1\n"
    lab, workspace = tiny_lab(tmp_path, program, time_limit=1)
    result = run_check(lab, workspace, device="cpu")
    message = result.step("runs").message
    assert result.problem == TIMEOUT and "stopped after 1 s (this lab's time limit) while step 'runs'" in message
    assert "Your code was at prog.py line 3, in main(): while n >= 0:" in message or (
        "Your code was at prog.py line 4, in main(): n += 1" in message
    ), message


def test_a_memory_hog_hits_the_labs_memory_limit(tmp_path):
    program = "def main():\n    hog = []\n    while True:\n        hog.append(bytearray(64 * 2**20))\n"
    lab, workspace = tiny_lab(tmp_path, program, time_limit=20, memory_limit_mb=256)
    assert lab.memory_limit_mb == 256
    result = run_check(lab, workspace, device="cpu")
    step = result.step("runs")
    assert step.status == ERROR and not result.problem, (result.problem_message, step)
    assert step.message.startswith("your code ran out of the lab's 256 MB memory limit"), step.message
    assert "prog.py" in step.message and "MemoryError" in step.message
    assert result.step("after").status == SKIP


def test_a_torch_allocation_past_the_limit_gets_the_same_message(tmp_path):
    program = "import torch\n\n\ndef main():\n    return torch.empty(2**30, dtype=torch.float32)\n"
    lab, workspace = tiny_lab(tmp_path, program, time_limit=20, memory_limit_mb=256)
    step = run_check(lab, workspace, device="cpu").step("runs")
    assert step.status == ERROR and step.message.startswith("your code ran out of the lab's 256 MB memory limit")


def test_keyboard_interrupt_in_learner_code_is_called_what_it_is(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "def main():\n    raise KeyboardInterrupt\n")
    result = run_check(lab, workspace, device="cpu")
    step = result.step("runs")
    assert not result.problem and step.status == ERROR, (result.problem_message, step)
    assert step.message.startswith("KeyboardInterrupt at prog.py line 2, in main()")
    assert "exited with code" not in step.message
    assert result.step("after").status == SKIP


def test_sigint_sent_by_learner_code_is_an_interrupt_too(tmp_path):
    program = "import os\nimport signal\n\n\ndef main():\n    os.kill(os.getpid(), signal.SIGINT)\n    return 42\n"
    lab, workspace = tiny_lab(tmp_path, program)
    result = run_check(lab, workspace, device="cpu")
    assert result.step("runs").status == ERROR and "KeyboardInterrupt" in result.step("runs").message
    assert [s.status for s in result.steps] != [PASS, PASS]
