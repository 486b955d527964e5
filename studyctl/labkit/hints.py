"""Progressive hints: each `lab hint` reveals one more of the lab's hints. How many were shown
is kept in the workspace's state file, so it travels with the learner's work."""

from __future__ import annotations

from pathlib import Path

from studyctl.content.model.lab import Lab
from studyctl.labkit.workspace import read_state, write_state


def reveal_next(lab: Lab, folder: Path) -> tuple[list[str], bool]:
    """The hints revealed so far, including one more if any is left, and whether one was added."""
    state = read_state(folder)
    shown = min(int(state.get("hints_shown", 0) or 0), len(lab.hints))
    added = shown < len(lab.hints)
    if added:
        shown += 1
        write_state(folder, {**state, "hints_shown": shown})
    return list(lab.hints[:shown]), added
