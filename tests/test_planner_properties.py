"""Property test over random roadmaps and budgets: every block is between chunk.min (unless it
ends the task) and chunk.max, no task is planned before its phase's turn or its prerequisites,
no day runs more than STRETCH over, and only optional tasks are dropped (all of them before the
plan gives up on the deadline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyctl.content.model.roadmap import Budget, Chunk, Part, Phase, Roadmap, Task
from studyctl.planner.chunks import STRETCH
from studyctl.planner.model import Preferences, ReviewLoad
from studyctl.planner.project import project

START = dt.date(2027, 1, 4)


@st.composite
def roadmaps(draw) -> Roadmap:
    phases = []
    ids: list[tuple[str, int]] = []  # (task id, phase index)
    for p in range(draw(st.integers(1, 4))):
        tasks = []
        for t in range(draw(st.integers(1, 4))):
            task_id = f"t{p}-{t}"
            minutes = draw(st.integers(5, 600))
            low = draw(st.integers(5, 120))
            high = draw(st.integers(low, 360))
            parts: tuple[Part, ...] = ()
            if draw(st.booleans()):
                count = draw(st.integers(1, 6))
                size = max(1, minutes // count)
                parts = tuple(Part(f"P{i + 1}", size) for i in range(count))
                minutes = size * count
            before = [i for i, phase in ids if draw(st.booleans()) and draw(st.booleans())]
            tasks.append(
                Task(
                    id=task_id,
                    title=task_id,
                    kind=draw(st.sampled_from(["read", "watch", "lab", "project"])),
                    phase=f"p{p}",
                    minutes=minutes,
                    after=tuple(dict.fromkeys(before)),
                    optional=draw(st.booleans()) and draw(st.booleans()),
                    slot=draw(st.sampled_from(["", "", "weekday", "weekend"])),
                    chunk=Chunk(low, high) if draw(st.booleans()) else None,
                    parts=parts,
                    every=draw(st.sampled_from([None, None, None, None, 2, 7])),
                )
            )
        for task in tasks:
            ids.append((task.id, p))
        phases.append(Phase(id=f"p{p}", title=f"p{p}", tasks=tuple(tasks), parallel=p > 0 and draw(st.booleans())))
    budget = Budget(weekday=draw(st.integers(0, 240)), weekend=draw(st.integers(30, 480)))
    return Roadmap(id="random", title="random", path=Path("random.yaml"), phases=tuple(phases), budget=budget)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roadmaps(), st.integers(3, 200))
def test_blocks_order_and_dropping_hold_for_any_roadmap_and_budget(roadmap: Roadmap, deadline_days: int) -> None:
    deadline = START + dt.timedelta(days=deadline_days)
    prefs = Preferences(budget=roadmap.budget, start=START, deadline=deadline)
    projection = project(START, roadmap, {}, ReviewLoad(), prefs, days=1)
    tasks = {task.id: task for task in roadmap.tasks}
    groups = roadmap.groups()
    finished_on: dict[str, dt.date] = {}
    for day in projection.days:
        assert day.planned_minutes <= day.budget_minutes * (1 + STRETCH) + 1
        for block in day.tasks:
            task = tasks[block.id]
            ends = block.minutes_done + block.minutes_today >= block.minutes_total
            assert block.minutes_today > 0
            assert block.minutes_today <= task.blocks.max, (block, task.blocks)
            assert block.minutes_today >= task.blocks.min or ends, (block, task.blocks)
            # prerequisites finished before, or earlier the same day (a dropped one no longer waits)
            for before in task.after:
                if before in projection.forecast.dropped:
                    continue
                assert finished_on.get(before, dt.date.max) <= day.day, (task.id, before)
            for other in roadmap.tasks:
                if groups[other.phase] < groups[task.phase] and not other.optional and not other.is_habit:
                    if other.id in projection.forecast.dropped:
                        continue
                    assert finished_on.get(other.id, dt.date.max) <= day.day, (task.id, "waits for", other.id)
            if ends:
                finished_on[block.id] = day.day
    forecast = projection.forecast
    assert all(tasks[task_id].optional for task_id in forecast.dropped)
    assert not any(task_id in forecast.dropped for task_id, task in tasks.items() if not task.optional)
    if not forecast.on_track and not forecast.stuck:
        open_optional = [t.id for t in roadmap.tasks if t.optional]
        assert set(forecast.dropped) == set(open_optional)  # behind: every optional task goes first
    dropped_blocks = [block.id for day in projection.days for block in day.tasks if block.id in forecast.dropped]
    assert dropped_blocks == []
