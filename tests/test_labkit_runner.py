"""The check runner: a hang is stopped at the time limit, a crash shows the learner's own
traceback, printed output never corrupts the event stream, and studyctl exits cleanly."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import write
from lab_helpers import tiny_lab

from studyctl.labkit.result import CRASH, ERROR, FAIL, PASS, SKIP, TIMEOUT
from studyctl.labkit.runner import run_check

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
    assert "in your code" in message and "prog.py line 5, in main(): return ctypes.string_at(0)" in message


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


TWO_STEPS = """
from studyctl.labkit.api import Check, hidden_cases

check = Check()


@check.step("first")
def first(ctx):
    ctx.learner("prog.py").main()


@check.step("second")
def second(ctx):
    mine = ctx.learner("prog.py")
    for case in hidden_cases(seed=3, count=4):
        x = case.randn(*case.shape(2, 1, 4))
        mine.scale(x)
"""


def test_a_file_that_does_not_parse_is_reported_once(tmp_path):
    lab, workspace = tiny_lab(tmp_path, "def main(:\n    return 42\n", check=TWO_STEPS)
    result = run_check(lab, workspace, device="cpu")
    first, second = result.step("first"), result.step("second")
    assert first.status == ERROR and "does not parse" in first.message and "line 1" in first.message
    assert (
        second.status == SKIP and second.message == "not run: prog.py does not import (the error is under step 'first')"
    )
    assert not result.passed


def test_an_import_time_error_shows_the_learners_frames_only(tmp_path):
    program = "import os\n\nLIMIT = int(os.environ['NO_SUCH_VARIABLE_HERE'])\n\n\ndef main():\n    return 42\n"
    lab, workspace = tiny_lab(tmp_path, program, check=TWO_STEPS)
    result = run_check(lab, workspace, device="cpu")
    message = result.step("first").message
    assert message.startswith("Traceback (your code, most recent call last):"), message
    assert 'prog.py", line 3, in <module>' in message and "KeyError: 'NO_SUCH_VARIABLE_HERE'" in message
    assert "importlib" not in message and "frozen" not in message and "loading.py" not in message
    assert result.step("second").status == SKIP


def test_an_error_in_a_hidden_case_names_the_case_and_its_shapes(tmp_path):
    program = "def main():\n    return 42\n\n\ndef scale(x):\n    assert x.shape[0] > 1, 'rows'\n    return x * 2\n"
    lab, workspace = tiny_lab(tmp_path, program, check=TWO_STEPS)
    message = run_check(lab, workspace, device="cpu").step("second").message
    assert "AssertionError: rows" in message and "in scale" in message
    assert message.splitlines()[-1].startswith("(while checking hidden case ") and "shapes (1, " in message, message
