"""Shared by the lab tests: load a built-in lab and run its check on a variant of the learner's
file (the solution, the starter, a mistake), optionally with text replaced in it; and a tiny
lab made on the spot, for the runner's own tests."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from studyctl.content.labs import load_lab
from studyctl.labkit.mistakes import prepare
from studyctl.labkit.runner import run_check

LABS = Path(__file__).resolve().parent.parent / "labs"


def repo_lab(lab_id: str):
    return load_lab(LABS / lab_id / "lab.yaml")[0]


def judge(lab, tmp_path, variant="solution", replace=()):
    """Run the check on `variant`; `replace` is one (old, new) pair or a list of them, applied
    to the lab's learner file (each `old` must be there, so a stale test fails loudly)."""
    workspace = prepare(lab, variant, tmp_path / "ws")
    pairs = [replace] if replace and isinstance(replace[0], str) else list(replace or ())
    path = workspace / lab.files[0]
    for old, new in pairs:
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return run_check(lab, workspace, device="cpu")


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


def tiny_lab(root, program: str, *, time_limit: int = 3, check: str = CHECK, memory_limit_mb: int | None = None):
    """A lab folder `tiny` under root/labs whose learner file prog.py is `program`; returns the
    loaded Lab and the workspace holding that program."""
    folder = root / "labs" / "tiny"
    memory = f"memory_limit_mb: {memory_limit_mb}" if memory_limit_mb else ""
    write(
        folder / "lab.yaml",
        f"""
        id: tiny
        title: A tiny lab
        minutes: 5
        time_limit: {time_limit}
        {memory}
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
