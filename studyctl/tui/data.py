"""The TUI's door to the core: one database thread on which screens run the service layer.

SQLite connections belong to the thread that opened them, and a screen must never wait on the
database while it draws. So the app owns one worker thread (`Backend`): the Home's connection
is opened there, and screens call the same service functions the CLI calls with
`await app.backend.call(service_function, ...)` (the Home is passed first). Nothing here decides
anything; the few helpers below only combine service results for one screen.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from studyctl.planner.day import DayPlan
from studyctl.planner.progress import RoadmapView
from studyctl.service.home import Home


class Backend:
    """One thread for all database work; screens await its results."""

    def __init__(self, home: Home):
        self.home = home
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studyctl-db")
        self.pending = 0  # calls submitted and not finished: tests wait for 0
        self._prefetched: dict[str, Future[Any]] = {}

    def prefetch(self, key: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Start `fn(home, ...)` now, before the app (and textual) is even imported; `take(key)`
        collects it. `studyctl today` prefetches the plan so it is ready for the first frame."""
        self._prefetched[key] = self._pool.submit(functools.partial(fn, self.home, *args, **kwargs))

    def wait(self, key: str) -> None:
        """Block until the prefetch `key` (if any) is done; raise what it raised."""
        future = self._prefetched.get(key)
        if future is not None:
            future.result()

    def ready(self, key: str) -> Any:
        """The result of the prefetch `key` if it has finished (once), else None: lets a screen
        draw the plan in its very first frame."""
        future = self._prefetched.get(key)
        if future is None or not future.done():
            return None
        del self._prefetched[key]
        return future.result()

    async def take(self, key: str) -> Any:
        """The result of the prefetch `key` (once), or None when there was none."""
        future = self._prefetched.pop(key, None)
        if future is None:
            return None
        self.pending += 1
        try:
            return await asyncio.wrap_future(future)
        finally:
            self.pending -= 1

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `fn(home, *args, **kwargs)` on the database thread and return its result."""
        self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, functools.partial(fn, self.home, *args, **kwargs))
        finally:
            self.pending -= 1

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `fn(*args, **kwargs)` on the database thread (for calls on an object that lives
        there, like a review session) and return its result."""
        self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
        finally:
            self.pending -= 1

    def close(self) -> None:
        """Close the connection on the thread that opened it, then stop the thread."""
        try:
            self._pool.submit(self.home.close).result(timeout=10)
        finally:
            self._pool.shutdown(wait=True)


@dataclass(frozen=True)
class TodayView:
    day: dt.date
    plan: DayPlan
    messages: tuple[str, ...]
    roadmap: RoadmapView | None
    forecast_text: str


def today_view(home: Home, on: dt.date | None, minutes: int | None) -> TodayView:
    """`studyctl today`'s plan (on None: today, as the CLI plans it), with the roadmap's progress
    for the bars and the forecast in words."""
    from studyctl.presentation.plans import describe_forecast
    from studyctl.service.today import today

    result = today(home, on=on, minutes=minutes)
    plan = result.plan
    forecast = describe_forecast(plan.forecast) if plan.forecast else ""
    return TodayView(plan.day, plan, result.messages, result.roadmap, forecast)


def study_day(home: Home) -> dt.date:
    return home.today()


def save_language(home: Home, language: str) -> None:
    """Keep the interface language chosen on the welcome screen in settings.yaml."""
    home.save_settings(home.settings.with_changes(language=language))
