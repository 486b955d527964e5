"""Which roadmap tasks are open, and how long each one takes."""

from __future__ import annotations

from collections.abc import Iterator

from studyctl.content.model.roadmap import Roadmap, Task
from studyctl.planner.model import TaskProgress

DEFAULT_LAB_MINUTES = 45
DEFAULT_TASK_MINUTES = 30


def task_minutes(task: Task) -> int:
    return task.minutes or (DEFAULT_LAB_MINUTES if task.kind == "lab" else DEFAULT_TASK_MINUTES)


def is_finished(progress: TaskProgress) -> bool:
    return progress.done or progress.skipped


def minutes_left(task: Task, progress: dict[str, TaskProgress]) -> int:
    p = progress.get(task.id, TaskProgress())
    return 0 if is_finished(p) else max(0, task_minutes(task) - p.minutes)


def next_tasks(roadmap: Roadmap, progress: dict[str, TaskProgress]) -> Iterator[Task]:
    """Unfinished tasks whose prerequisites are finished, in roadmap order."""
    finished = {task_id for task_id, p in progress.items() if is_finished(p)}
    for task in roadmap.tasks:
        if task.id not in finished and all(before in finished for before in task.after):
            yield task


def deck_order(roadmap: Roadmap, progress: dict[str, TaskProgress]) -> list[str]:
    """Decks in the order new cards should come: the current phase's decks first (the phase
    of the first unfinished task), then every other deck the roadmap names, in task order."""
    finished = {task_id for task_id, p in progress.items() if is_finished(p)}
    current = next((task.phase for task in roadmap.tasks if task.id not in finished), None)
    ordered = [task.deck for task in roadmap.tasks if task.deck and task.phase == current]
    ordered += [task.deck for task in roadmap.tasks if task.deck]
    return list(dict.fromkeys(ordered))
