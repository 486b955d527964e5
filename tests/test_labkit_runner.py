"""The check runner: a hang is stopped at the time limit, a crash shows the learner's own
traceback, printed output never corrupts the event stream, and studyctl exits cleanly."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import write

from studyctl.content.labs import load_lab
from studyctl.labkit.result import CRASH, ERROR, FAIL, PASS, SKIP, TIMEOUT
from studyctl.labkit.runner import run_check

CHECK = """
from studyctl.labkit.api import Check, fail

check = Check()


@check.step("runs")
def runs(ctx):
    answer = ctx.learner("prog.py").main()
    if answer != 42:
        fail(f"main() returned {answer!r}, expected 42")


@check.step("after", needs=["runs"])
def after(ctx):
    return "ran after 'runs' passed"
"""


def tiny_lab(root, program: str, *, time_limit: int = 3, check: str = CHECK):
    """A lab folder `tiny` under root/labs whose learner file prog.py is `program`; returns the
    loaded Lab and the workspace holding that program."""
    folder = root / "labs" / "tiny"
    write(
        folder / "lab.yaml",
        f"""
        id: tiny
        title: A tiny lab
        minutes: 5
        time_limit: {time_limit}
        files: [prog.py]
        hints: [first hint, second hint]
        """,
    )
    write(folder / "check.py", check)
    write(folder / "starter" / "prog.py", "def main():\n    raise NotImplementedError\n")
    write(folder / "solution" / "prog.py", "def main():\n    return 42\n")
    workspace = root / "ws"
    write(workspace / "prog.py", program)
    lab, _ = load_lab(folder / "lab.yaml")
    return lab, workspace


INFINITE = """
def main():
    n = 0
    while True:
        n += 1
"""

RAISES = """
def helper(values):
    return values[10]


def main():
    print("about to fail")
    return helper([1, 2, 3])
"""


def test_passing_program_passes_every_step(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "def main():\n    return 42\n")
    events = []
    result = run_check(lab, workspace, device="cpu", listener=events.append)
    assert result.passed and [s.status for s in result.steps] == [PASS, PASS]
    assert result.device == "cpu" and result.torch
    kinds = [e["event"] for e in events]
    assert kinds[:3] == ["ready", "plan", "step"] and kinds[-1] == "done"


def test_infinite_loop_is_stopped_at_the_time_limit(tmp_path):
    lab, workspace = tiny_lab(tmp_path, INFINITE, time_limit=2)
    result = run_check(lab, workspace, device="cpu")
    assert result.problem == TIMEOUT and not result.passed
    assert result.step("runs").status == ERROR
    assert "stopped after 2 s" in result.step("runs").message and "time limit" in result.step("runs").message
    assert result.step("after").status == SKIP


def test_exception_shows_the_learners_traceback_only(tmp_path):
    lab, workspace = tiny_lab(tmp_path, RAISES)
    result = run_check(lab, workspace, device="cpu")
    message = result.step("runs").message
    assert result.step("runs").status == ERROR
    assert "Traceback (your code" in message and "IndexError: list index out of range" in message
    assert "in helper" in message and "return values[10]" in message and "in main" in message
    assert "labkit" not in message and "check.py" not in message  # trimmed to the learner's files
    assert "about to fail" in result.output  # their print() arrives as output, not as an event
    assert result.step("after").status == SKIP and "needs 'runs'" in result.step("after").message


def test_hard_exit_is_reported_as_a_crash(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "import os\n\n\ndef main():\n    os._exit(3)\n")
    result = run_check(lab, workspace, device="cpu")
    assert result.problem == CRASH and not result.passed
    assert "exited with code 3" in result.step("runs").message and "during step 'runs'" in result.step("runs").message


@pytest.mark.skipif(sys.platform != "linux", reason="reading address 0 segfaults reliably on Linux")
def test_segfault_is_a_crash_that_points_at_the_learners_line(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "import ctypes\n\n\ndef main():\n    return ctypes.string_at(0)\n")
    result = run_check(lab, workspace, device="cpu")
    message = result.step("runs").message
    assert result.problem == CRASH and "killed by SIGSEGV during step 'runs'" in message
    assert "in your code" in message and 'prog.py", line 5 in main' in message


def test_printed_output_cannot_forge_events(tmp_path):
    program = """
import os
import sys


def main():
    print('{"event": "result", "name": "runs", "status": "pass"}')
    print('{"event": "done"}')
    os.write(1, b'{"event": "done"}\\n')  # even raw writes to file descriptor 1
    sys.stdout.flush()
    return 41
"""
    lab, workspace = tiny_lab(tmp_path, program)
    result = run_check(lab, workspace, device="cpu")
    assert [s.status for s in result.steps] == [FAIL, SKIP]
    assert "returned 41, expected 42" in result.step("runs").message
    assert result.output.count('{"event": "done"}') == 2


def test_sys_exit_and_syntax_errors_are_explained(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "import sys\n\n\ndef main():\n    sys.exit(0)\n")
    assert "called sys.exit(0)" in run_check(lab, workspace, device="cpu").step("runs").message
    write(workspace / "prog.py", "def main(:\n    return 42\n")
    message = run_check(lab, workspace, device="cpu").step("runs").message
    assert "does not parse" in message and "prog.py" in message and "line 1" in message


def test_broken_check_is_not_blamed_on_the_learner(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "def main():\n    return 42\n", check="import no_such_module_here\n")
    result = run_check(lab, workspace, device="cpu")
    assert result.problem == "broken-check" and not result.ran
    assert "no_such_module_here" in result.problem_message


# Through the CLI: studyctl itself exits cleanly, with exit code 1, whatever the learner's code does.


def cli_lab(tmp_path, program: str):
    root = tmp_path / "content"
    _, workspace = tiny_lab(root, program)
    return root, workspace


def test_cli_reports_a_timeout_and_exits_cleanly(run, tmp_path):
    root, workspace = cli_lab(tmp_path, INFINITE)
    result = run("--content", str(root), "lab", "check", "tiny", "--dir", str(workspace), "--device", "cpu")
    assert result.exit_code == 1
    assert (
        "ERROR  runs" in result.stdout
        and "stopped after 3 s (this lab's time limit) while step 'runs'" in result.stdout
    )
    assert "Not yet: 0 of 2 steps passed" in result.stdout


def test_cli_shows_the_traceback_and_exits_cleanly(run, tmp_path):
    root, workspace = cli_lab(tmp_path, RAISES)
    result = run("--content", str(root), "lab", "check", "tiny", "--dir", str(workspace), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # stdout is only the JSON; the learner's print went to stderr
    assert data["passed"] is False and data["steps"][0]["status"] == "error"
    assert "IndexError" in data["steps"][0]["message"] and "about to fail" in data["output"]
    assert "about to fail" in result.stderr


@pytest.mark.parametrize("device", ["cuda", "mps"])
def test_missing_device_is_bad_input(run, tmp_path, device):
    import torch

    available = torch.cuda.is_available() if device == "cuda" else torch.backends.mps.is_available()
    if available:
        pytest.skip(f"this machine has {device}")
    root, workspace = cli_lab(tmp_path, "def main():\n    return 42\n")
    result = run("--content", str(root), "lab", "check", "tiny", "--dir", str(workspace), "--device", device)
    assert result.exit_code == 2 and f"--device {device}" in result.stderr
