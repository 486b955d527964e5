"""How much of a task goes into one day: blocks between the task's chunk.min and chunk.max,
cut at its named parts where one fits, never leaving a tail shorter than chunk.min (the day
may run STRETCH over its budget to finish the task instead)."""

from __future__ import annotations

import itertools

from studyctl.content.model.roadmap import Task

STRETCH = 0.15  # a day may run this much over its budget to finish a task
SNAP_SHARE = 0.5  # end a block at a part boundary when that keeps at least this share of it


def block_size(task: Task, done: int, left: int, room: int, stretch: int) -> int:
    """Minutes of `task` for a day with `room` minutes free (plus `stretch` to finish it), `done`
    minutes in and `left` to go; 0 when no block fits. A block is at least chunk.min unless it
    ends the task, at most chunk.max, and ends at a part boundary when one fits without cutting
    the block to less than half."""
    if left <= 0 or room <= 0:
        return 0
    low, high = task.blocks.min, task.blocks.max
    if left <= min(high, room + stretch):
        return left  # the rest of the task fits today
    limit = min(high, room, left - low)  # leave at least a chunk.min for later
    if limit < low:
        return 0
    floor = max(low, limit * SNAP_SHARE)  # a part boundary, unless it would waste most of the block
    boundaries = [end - done for end in part_ends(task) if floor <= end - done <= limit]
    return max(boundaries) if boundaries else limit


def part_ends(task: Task) -> list[int]:
    """Minutes into the task at which each part ends."""
    return list(itertools.accumulate(part.minutes for part in task.parts))


def part_label(task: Task, done: int, minutes: int) -> str:
    """The parts a block covers, e.g. "lectures 8-9" from parts named "lecture 8", "lecture 9";
    a part begun or left unfinished is marked with "(cont.)" or "(start)"."""
    if not task.parts:
        return ""
    start, end = done, done + minutes
    covered = []
    begin = 0
    for part in task.parts:
        stop = begin + part.minutes
        if stop > start and begin < end:
            name = part.name
            if begin < start:
                name += " (cont.)"
            if stop > end:
                name += " (start)" if begin >= start else ""
            covered.append(name)
        begin = stop
    if len(covered) <= 3:
        return ", ".join(covered)
    return f"{covered[0]} … {covered[-1]}"
