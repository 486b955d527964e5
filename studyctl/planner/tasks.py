"""Which roadmap tasks are open, in which order they come, how long each one still takes, and
which decks new cards may come from.

Order: phases run one after another (a `parallel: true` phase runs beside the one before it),
and a task waits for its `after` tasks. A phase is finished when its required tasks are: its
optional tasks and habits (`every`) never hold the next phase back. A deck task is done in card
time: it unlocks its deck for new cards, and it is finished when the card time spent on the
deck reaches its minutes or every card of the deck has been seen.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from studyctl.content.model.roadmap import DEFAULT_LAB_MINUTES, DEFAULT_TASK_MINUTES, Roadmap, Task
from studyctl.i18n import _
from studyctl.planner.model import NOTHING_DONE, DeckStock, TaskProgress

__all__ = ["DEFAULT_LAB_MINUTES", "DEFAULT_TASK_MINUTES"]  # i18n: not shown (names)

OVERRUN_SHARE = 0.25  # a task past its estimate and not done: assume this share of it is left
NEW_CARD_MINUTES = 4 * 10 / 60  # a new card's first day at the default 10 s an answer


def task_minutes(task: Task) -> int:
    return task.length


def length(task: Task, progress: TaskProgress) -> int:
    """The task's length as now estimated: the learner's re-estimate, else the roadmap's."""
    return progress.estimate if progress.estimate is not None else task.length


def is_finished(progress: TaskProgress) -> bool:
    return progress.finished


def minutes_left(task: Task, progress: Mapping[str, TaskProgress]) -> int:
    """Minutes still to do. A task logged past its estimate and not done has some left: a
    quarter of its length, less what was logged past it, down to one short block (until the
    learner marks it done or re-estimates it with `done TASK --partial --left M`)."""
    p = progress.get(task.id, NOTHING_DONE)
    if p.finished:
        return 0
    total = length(task, p)
    if p.minutes < total:
        return total - p.minutes
    over = p.minutes - total
    return max(min(task.blocks.min, total), math.ceil(total * OVERRUN_SHARE) - over)


def with_decks(
    roadmap: Roadmap, progress: Mapping[str, TaskProgress], decks: Mapping[str, DeckStock], card_minutes: float
) -> dict[str, TaskProgress]:
    """Progress with each deck task's card time folded in: minutes logged on it plus the card
    time spent on its deck; finished at its length, when every card of the deck has been seen,
    or when the deck isn't installed (nothing could be done). `card_minutes`: a new card's
    first day, to cap a deck task at what its unseen cards can take."""
    folded = dict(progress)
    for task in roadmap.tasks:
        if task.kind != "deck":
            continue
        p = progress.get(task.id, NOTHING_DONE)
        stock = decks.get(task.deck)
        spent = p.minutes + round(stock.minutes) if stock else p.minutes
        finished = p.finished or stock is None or stock.unseen == 0 or spent >= length(task, p)
        estimate = p.estimate
        if stock is not None and not finished:
            doable = math.ceil(stock.unseen * card_minutes)
            estimate = min(length(task, p), spent + doable)
        folded[task.id] = TaskProgress(spent, p.done or finished, p.skipped, estimate, p.last_day)
    return folded


@dataclass(frozen=True)
class Readiness:
    """Which tasks can be worked on, given what is finished (and what the plan has dropped)."""

    ready: tuple[Task, ...]  # unfinished, prerequisites and earlier phases finished, in roadmap order
    group: Mapping[str, int]  # task id -> its phase's place in the order


@dataclass(frozen=True)
class Index:
    """A roadmap's tasks with their phase's place in the order, worked out once."""

    tasks: tuple[Task, ...]
    group: Mapping[str, int]  # task id -> its phase's place
    position: Mapping[str, int]  # task id -> its place in the roadmap
    gating: tuple[Task, ...]  # the tasks that hold later phases back (required, not habits)


_INDEXES: dict[int, tuple[Roadmap, Index]] = {}


def index_of(roadmap: Roadmap) -> Index:
    """The roadmap's index (kept for the few roadmaps a process plans with)."""
    known = _INDEXES.get(id(roadmap))
    if known is not None and known[0] is roadmap:
        return known[1]
    groups = roadmap.groups()
    tasks = tuple(roadmap.tasks)
    index = Index(
        tasks,
        {task.id: groups[task.phase] for task in tasks},
        {task.id: i for i, task in enumerate(tasks)},
        tuple(task for task in tasks if not task.optional and not task.is_habit),
    )
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(roadmap)] = (roadmap, index)
    return index


def readiness(
    roadmap: Roadmap, progress: Mapping[str, TaskProgress], dropped: Collection[str] = frozenset()
) -> Readiness:
    index = index_of(roadmap)
    group = index.group
    finished = {task_id for task_id, p in progress.items() if p.finished}
    finished.update(dropped)
    # the first place whose required tasks aren't all finished: later places wait for it
    open_gating = [task for task in index.gating if task.id not in finished]
    blocking = min((group[task.id] for task in open_gating), default=math.inf)
    running = {task.phase for task in open_gating}  # a habit runs while its phase does
    ready = tuple(
        task
        for task in index.tasks
        if task.id not in finished
        and group[task.id] <= blocking
        and all(b in finished for b in task.after)
        and (not task.is_habit or task.phase in running)
    )
    return Readiness(ready, group)


def next_tasks(roadmap: Roadmap, progress: Mapping[str, TaskProgress]) -> Iterator[Task]:
    """Unfinished tasks that can be worked on now, in roadmap order."""
    yield from readiness(roadmap, progress).ready


def priority(task: Task, group: int, progress: TaskProgress, position: int) -> tuple[int, ...]:
    """Sort key among ready tasks: required before optional (an optional task only takes time
    no required task can use), earlier phases first, tasks that only fit this kind of day (a
    weekend-only task on a weekend), habits on their day, then what was started (finish before
    starting more), then labs (practice is what slips first), then roadmap order."""
    return (
        task.optional,
        group,
        not task.slot,
        not task.is_habit,
        progress.minutes == 0,
        task.kind != "lab",
        position,
    )


def blocked_by(roadmap: Roadmap, task: Task, progress: Mapping[str, TaskProgress]) -> list[str]:
    """What `task` still waits for: unfinished `after` tasks, or the earlier phase holding it back."""
    finished = {task_id for task_id, p in progress.items() if p.finished}
    waiting = [before for before in task.after if before not in finished]
    groups = roadmap.groups()
    for other in roadmap.tasks:
        if groups[other.phase] >= groups[task.phase]:
            break
        if other.id not in finished and not other.optional and not other.is_habit:
            waiting.append(_("phase '{phase}'").format(phase=other.phase))
            break
    return waiting


# -- which decks new cards come from -------------------------------------------------------


@dataclass(frozen=True)
class NewCardSource:
    """Where new cards may come from today, and in which order: the interface between the
    planner and the review queue. `new_decks` None: any deck (no roadmap)."""

    deck_order: tuple[str, ...]
    new_decks: frozenset[str] | None
    own_decks: tuple[str, ...] = ()
    policy: str = "after"


def unlocked_decks(
    roadmap: Roadmap,
    progress: Mapping[str, TaskProgress],
    dropped: Collection[str] = frozenset(),
    state: Readiness | None = None,
) -> list[str]:
    """Decks of the deck tasks that are open or finished (not skipped), in roadmap order."""
    ready = {task.id for task in (state or readiness(roadmap, progress, dropped)).ready}
    decks = []
    for task in roadmap.tasks:
        if task.kind != "deck" or task.id in dropped:
            continue
        p = progress.get(task.id, NOTHING_DONE)
        if task.id in ready or (p.done and not p.skipped):
            decks.append(task.deck)
    return list(dict.fromkeys(decks))


def new_card_source(
    roadmap: Roadmap | None,
    progress: Mapping[str, TaskProgress],
    own_decks: Sequence[str] = (),
    policy: str = "after",
    dropped: Collection[str] = frozenset(),
    state: Readiness | None = None,
) -> NewCardSource:
    """New cards come only from unlocked decks, in roadmap order, with the user's own decks
    first, after, or taking turns with them (`policy`)."""
    if roadmap is None:
        return NewCardSource(tuple(own_decks), None, tuple(own_decks), policy)
    named = {task.deck for task in roadmap.tasks if task.deck}
    own = [deck for deck in own_decks if deck not in named]
    roadmap_decks = unlocked_decks(roadmap, progress, dropped, state)
    order = merge_decks(roadmap_decks, own, policy)
    return NewCardSource(tuple(order), frozenset(order), tuple(own), policy)


def merge_decks(roadmap_decks: Sequence[str], own: Sequence[str], policy: str) -> list[str]:
    if policy == "first":
        return [*own, *roadmap_decks]
    if policy == "interleave":
        merged: list[str] = []
        for index in range(max(len(roadmap_decks), len(own))):
            merged += [*roadmap_decks[index : index + 1], *own[index : index + 1]]
        return merged
    return [*roadmap_decks, *own]


def deck_order(roadmap: Roadmap, progress: Mapping[str, TaskProgress]) -> list[str]:
    """Every deck the roadmap names: the current phase's decks first (the phase of the first
    unfinished task), then the others in task order. (Which decks new cards may come from is
    `new_card_source`.)"""
    finished = {task_id for task_id, p in progress.items() if p.finished}
    current = next((task.phase for task in roadmap.tasks if task.id not in finished), None)
    ordered = [task.deck for task in roadmap.tasks if task.deck and task.phase == current]
    ordered += [task.deck for task in roadmap.tasks if task.deck]
    return list(dict.fromkeys(ordered))
