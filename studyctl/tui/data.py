"""The TUI's door to the core: every read and write the screens need, run on one database thread.

SQLite connections belong to the thread that opened them, and a screen must never wait on the
database while it draws. So the app owns one worker thread (`Backend`): the CLI context's
connection is opened there, and every function below runs there, called from screens with
`await app.backend.call(fn, ...)`. The functions call the same core the plain CLI calls
(`build_today`, `ReviewSession`, `roadmap_view`, `record_task`, `srs.stats.compute`, labkit);
nothing here writes SQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HEATMAP_WEEKS = 12
RETENTION_WEEKS = 8


class Backend:
    """One thread for all database work; screens await its results."""

    def __init__(self, ctx, clock: Callable[[], dt.datetime]):
        self.ctx = ctx
        self.clock = clock
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studyctl-db")
        self.pending = 0  # calls submitted and not finished: tests wait for 0
        self._prefetched: dict[str, object] = {}

    def prefetch(self, key: str, fn, *args, **kwargs) -> None:
        """Start `fn(ctx, ...)` now, before the app (and textual) is even imported; `take(key)`
        collects it. `studyctl today` prefetches the plan so it is ready for the first frame."""
        self._prefetched[key] = self._pool.submit(functools.partial(fn, self.ctx, *args, **kwargs))

    def wait(self, key: str) -> None:
        """Block until the prefetch `key` (if any) is done; raise what it raised."""
        future = self._prefetched.get(key)
        if future is not None:
            future.result()

    def ready(self, key: str):
        """The result of the prefetch `key` if it has finished (once), else None: lets a screen
        draw the plan in its very first frame."""
        future = self._prefetched.get(key)
        if future is None or not future.done():
            return None
        del self._prefetched[key]
        return future.result()

    async def take(self, key: str):
        """The result of the prefetch `key` (once), or None when there was none."""
        future = self._prefetched.pop(key, None)
        if future is None:
            return None
        self.pending += 1
        try:
            return await asyncio.wrap_future(future)
        finally:
            self.pending -= 1

    async def call(self, fn, *args, **kwargs):
        """Run `fn(ctx, *args, **kwargs)` on the database thread and return its result."""
        self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, functools.partial(fn, self.ctx, *args, **kwargs))
        finally:
            self.pending -= 1

    def close(self) -> None:
        """Close the connection on the thread that opened it, then stop the thread."""
        try:
            self._pool.submit(self.ctx.close).result(timeout=10)
        finally:
            self._pool.shutdown(wait=True)


# -- settings and first run ------------------------------------------------------------------


def is_first_run(ctx) -> bool:
    from studyctl import paths

    return not paths.settings_path().exists()


def study_day(ctx, clock: Callable[[], dt.datetime]) -> dt.date:
    from studyctl.clock import study_day as day_of

    return day_of(clock(), ctx.settings.rollover_hour)


@dataclass(frozen=True)
class RoadmapChoice:
    id: str
    title: str
    title_zh: str
    hours: int
    duration_days: int | None
    weekday: int
    weekend: int


def roadmap_choices(ctx) -> list[RoadmapChoice]:
    """The roadmaps in the content folders (a later root's file wins), loaded through the
    parse cache; broken ones are left out (`studyctl validate` reports them)."""
    from studyctl.content.files import files_in_root
    from studyctl.content.issues import ContentError
    from studyctl.content.roadmaps import load_roadmap
    from studyctl.planner.tasks import task_minutes

    by_stem: dict[str, Path] = {}
    for root in ctx.roots:
        for path in files_in_root(root, "roadmap"):
            by_stem[path.stem] = path
    cache = ctx.parse_cache
    choices = []
    for path in by_stem.values():
        try:
            roadmap, _ = load_roadmap(path, cache=cache)
        except ContentError:
            continue
        choices.append(
            RoadmapChoice(
                roadmap.id,
                roadmap.title,
                roadmap.title_zh,
                round(sum(task_minutes(t) for t in roadmap.tasks) / 60),
                roadmap.duration_days,
                roadmap.budget.weekday,
                roadmap.budget.weekend,
            )
        )
    return sorted(choices, key=lambda c: c.id)


def save_setup(ctx, roadmap_id: str, weekday: int, weekend: int, start: dt.date):
    """The welcome screen's choices, written to settings.yaml (what `roadmap use` writes, plus
    the budget)."""
    from studyctl import paths
    from studyctl.settings import save_settings

    settings = ctx.settings.with_changes(
        roadmap=roadmap_id, start_date=start, budget={"weekday": weekday, "weekend": weekend}
    )
    save_settings(settings, paths.settings_path())
    ctx.settings = settings
    return settings


# -- today -----------------------------------------------------------------------------------


@dataclass
class TodayView:
    day: dt.date
    plan: object  # planner.day.DayPlan
    messages: list[str]
    roadmap: dict | None  # planner.progress.roadmap_view
    forecast_text: str


def today_view(ctx, on: dt.date | None, minutes: int | None) -> TodayView:
    """`studyctl today`'s plan (on None: today, as the CLI plans it), with the roadmap's
    progress for the bars and the forecast in words."""
    from studyctl.cli.plan_text import describe_forecast
    from studyctl.planner.progress import roadmap_view
    from studyctl.store.queries import task_progress
    from studyctl.today import active_roadmap, build_today

    result = build_today(ctx, on=on, minutes=minutes)
    plan = result.plan
    view = None
    if plan.roadmap_id:
        roadmap = active_roadmap(ctx, ctx.settings.roadmap, [])
        if roadmap is not None:
            view = roadmap_view(roadmap, task_progress(ctx.conn, roadmap.id))
    forecast = describe_forecast(plan.forecast) if plan.forecast else ""
    return TodayView(plan.day, plan, list(result.messages), view, forecast)


@dataclass
class Activity:
    """The streak and answers per day for the today screen's heatmap."""

    streak: int
    reviews_today: int
    per_day: dict[dt.date, int]  # the last HEATMAP_WEEKS weeks, zeros included


def activity(ctx, day: dt.date) -> Activity:
    from studyctl.clock import day_end_utc, iso_utc
    from studyctl.srs.stats import compute
    from studyctl.store.stats import reviews_per_day

    rollover = ctx.settings.rollover_hour
    stats = compute(ctx.conn, day, rollover)
    first = day - dt.timedelta(days=day.weekday() + 7 * (HEATMAP_WEEKS - 1))
    counts = reviews_per_day(ctx.conn, iso_utc(day_end_utc(first - dt.timedelta(days=1), rollover)), rollover)
    per_day = {
        first + dt.timedelta(days=n): counts.get((first + dt.timedelta(days=n)).isoformat(), 0)
        for n in range((day - first).days + 1)
    }
    return Activity(stats.streak, stats.reviews_today, per_day)


# -- stats -----------------------------------------------------------------------------------


@dataclass
class StatsView:
    stats: object  # srs.stats.Stats
    retention_by_week: list[tuple[str, float | None, int]] = field(default_factory=list)  # (week, share, n)
    desired_retention: float = 0.9


def stats_view(ctx, day: dt.date) -> StatsView:
    """`studyctl stats` plus true retention per week, from the store's retention counts."""
    from studyctl.clock import day_end_utc, iso_utc
    from studyctl.srs.stats import compute
    from studyctl.store.stats import retention

    rollover = ctx.settings.rollover_hour
    stats = compute(ctx.conn, day, rollover)
    starts = [day - dt.timedelta(days=7 * n + 6) for n in range(RETENTION_WEEKS)]  # newest first
    since = [retention(ctx.conn, iso_utc(day_end_utc(start - dt.timedelta(days=1), rollover))) for start in starts]
    weeks = []
    for n, start in enumerate(starts):
        passed, total = since[n]
        if n:  # counts since a start include the newer weeks: take them off
            passed, total = passed - since[n - 1][0], total - since[n - 1][1]
        weeks.append((start.strftime("%d %b"), passed / total if total else None, total))
    return StatsView(stats, list(reversed(weeks)), ctx.settings.review.desired_retention)


# -- roadmap ---------------------------------------------------------------------------------


def roadmap_data(ctx) -> dict | None:
    from studyctl.planner.progress import roadmap_view
    from studyctl.store.queries import task_progress
    from studyctl.today import active_roadmap

    roadmap = active_roadmap(ctx, ctx.settings.roadmap, [])
    if roadmap is None:
        return None
    return roadmap_view(roadmap, task_progress(ctx.conn, roadmap.id))


def log_task(ctx, task_id: str, status: str, minutes: int, clock) -> None:
    from studyctl.planner.progress import record_task

    record_task(ctx.conn, ctx.settings.roadmap, task_id, status, minutes, ctx.settings.rollover_hour, clock=clock)


# -- reviews ---------------------------------------------------------------------------------


def review_session(ctx, clock, decks: list[str] | None = None):
    """A ReviewSession as `studyctl review` makes it: new cards in the roadmap's deck order."""
    from studyctl.planner.tasks import deck_order
    from studyctl.srs.session import ReviewSession
    from studyctl.store.queries import task_progress
    from studyctl.today import active_roadmap

    ctx.sync()
    roadmap = active_roadmap(ctx, ctx.settings.roadmap, [])
    order = deck_order(roadmap, task_progress(ctx.conn, roadmap.id)) if roadmap else []
    return ReviewSession(ctx.conn, ctx.settings, decks=decks, deck_order=order, clock=clock)


@dataclass
class Shown:
    """A card ready to show: the card and the interval each rating would give."""

    card: object  # store.reviewing.ReviewCard
    intervals: dict[int, str]
    remaining: dict[str, int]


def next_card(ctx, session) -> Shown | None:
    card = session.next_card()
    if card is None:
        return None
    return Shown(card, session.preview(card), session.remaining())


@dataclass
class Answered:
    message: str  # "Good: next in 10m", plus a leech warning when the answer made one
    leech: bool
    next: Shown | None


def answer(ctx, session, card, rating: int, *, duration_ms: int, grading: str, response: str | None) -> Answered:
    """Record the answer (committed before this returns) and fetch the next card."""
    from studyctl.srs.scheduling import RATING_NAMES, describe_interval

    result = session.answer(card, rating, duration_ms=duration_ms, grading=grading, response=response)
    message = f"{RATING_NAMES[rating]}"
    if result.after is not None:
        message += f": next in {describe_interval(result.after.due - session.clock())}"
    if result.leech:
        message += (
            f". Leech: {card.deck}/{card.note} failed {result.after.lapses} times and is suspended; "
            "rewrite or split it (`studyctl flags`)."
        )
    return Answered(message, result.leech, next_card(ctx, session))


def undo(ctx, session, current) -> tuple[object | None, Shown | None]:
    """Take back the last answer; the undone card comes next, then `current` again."""
    undone = session.undo()
    if undone is None:
        return None, None
    if current is not None and current.id != undone.id:
        session.requeue(current)
    return undone, next_card(ctx, session)


def set_aside(ctx, session, card, how: str) -> Shown | None:
    """Suspend or bury `card`, then fetch the next one."""
    if how not in ("suspend", "bury"):
        raise ValueError(how)
    getattr(session, how)(card)
    return next_card(ctx, session)


def flag(ctx, session, card, note: str) -> None:
    session.flag(card, note)


# -- labs ------------------------------------------------------------------------------------


@dataclass
class LabRow:
    """A lab as the labs screen lists it (the same status words as `studyctl lab list`)."""

    lab: object  # content.model.lab.Lab
    workspace: Path
    status: str  # not started | started | failed | passed
    runs: int
    last: dict | None  # the store's last run: passed, steps, started_at, device
    hints_shown: int


def lab_rows(ctx) -> tuple[list[LabRow], list[str]]:
    """Every lab that loads, with its workspace, status and last run; and one line per broken one."""
    from studyctl.labkit.catalog import all_labs
    from studyctl.labkit.record import lab_status
    from studyctl.labkit.workspace import locate, read_state
    from studyctl.store.labruns import latest_runs

    labs, problems = all_labs(ctx.roots)
    latest = latest_runs(ctx.conn)
    rows = []
    for lab in labs:
        last = latest.get(lab.id)
        folder = locate(lab.id)
        status = lab_status(lab, last, folder)
        shown = int(read_state(folder).get("hints_shown", 0) or 0) if folder.is_dir() else 0
        rows.append(LabRow(lab, folder, status, last["runs"] if last else 0, last, min(shown, len(lab.hints))))
    return rows, problems


@dataclass
class Started:
    workspace: Path
    copied: list[Path]
    kept: list[Path]
    instructions: str


def start_lab(ctx, lab) -> Started:
    """`studyctl lab start`: fill the workspace from the starter, keeping files already there."""
    from studyctl.labkit import workspace as ws

    folder = ws.locate(lab.id)
    copied, kept = ws.start(lab, folder)
    return Started(folder, copied, kept, ws.instructions(lab))


def check_lab(lab, folder: Path, listener) -> tuple[object, str, dt.datetime]:
    """Run the lab's check in its child process (not on the database thread: it takes a while);
    `listener` gets the runner's events. Returns (RunResult, files hash, start time)."""
    from studyctl.clock import now_utc
    from studyctl.labkit.runner import run_check
    from studyctl.labkit.workspace import files_hash

    started, fingerprint = now_utc(), files_hash(lab, folder)
    return run_check(lab, folder, device="auto", listener=listener), fingerprint, started


def record_lab(ctx, lab, result, fingerprint: str, started: dt.datetime):
    """Store the run as `lab check` does; a pass marks the roadmap's tasks for the lab done."""
    from studyctl.labkit.record import record_result

    return record_result(
        ctx.conn, lab, result, files_hash=fingerprint, started=started, settings=ctx.settings, roots=ctx.roots
    )


def next_hint(ctx, lab, folder: Path) -> tuple[list[str], bool]:
    from studyctl.labkit.hints import reveal_next

    return reveal_next(lab, folder)


def torch_problem() -> str | None:
    """Why checks can't run here (torch missing), or None."""
    from studyctl.labkit.devices import INSTALL_HINT, installed_torch

    if installed_torch() is None:
        return f"The labs need PyTorch, which is not installed. Install it with: {INSTALL_HINT}"
    return None
