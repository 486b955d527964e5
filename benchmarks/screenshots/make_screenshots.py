"""Write an SVG screenshot of each TUI screen into this folder (Textual's own screenshots).

A temp STUDYCTL_HOME on the built-in content (the default roadmap), with six weeks of review
history answered through the real ReviewSession, a few roadmap tasks logged and one lab
started and checked, so the heatmap, the charts and the labs screen have something to show.

    python benchmarks/screenshots/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 23)  # a Monday
NOW = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)
SIZE = (120, 36)


def at(day: dt.date, hour: int = 20) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def history(ctx, start: dt.date) -> None:
    """Study most evenings since `start`: answer the day's queue (new cards included) with
    mostly-right ratings, through the same ReviewSession the TUI drives."""
    from studyctl.srs.session import ReviewSession

    rng = random.Random(7)
    ctx.sync_decks()
    day = start
    while day < TODAY:
        if rng.random() < 0.85:
            moment = [at(day)]

            def clock(moment=moment):
                return moment[0]

            session = ReviewSession(ctx.conn, ctx.settings, clock=clock, rng=random.Random(1), limit=60)
            while (card := session.next_card()) is not None:
                rating = rng.choices([1, 2, 3, 4], weights=[1, 1, 6, 1])[0]
                session.answer(card, rating, duration_ms=rng.randint(4000, 20000), grading="self")
                moment[0] += dt.timedelta(seconds=30)
        day += dt.timedelta(days=1)


async def shoot(app, name: str, *keys: str, size=SIZE) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys:
            if key.startswith("wait:"):
                await settle(pilot, limit=500_000)
                continue
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(f"{name}.svg", path=str(HERE))
        print(f"wrote {HERE / (name + '.svg')}")


async def settle(pilot, limit: int = 5000) -> None:
    quiet = 0
    for _ in range(limit):
        await pilot.pause()
        quiet = 0 if pilot.app.backend.pending or len(pilot.app.workers) else quiet + 1
        if quiet >= 3:
            return


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDYCTL_HOME"] = str(Path(tmp) / "home")
        os.environ["TZ"] = "UTC"
        time.tzset()
        os.environ.pop("EDITOR", None)
        os.environ.pop("VISUAL", None)
        from click.testing import CliRunner

        from studyctl.cli import cli
        from studyctl.service.home import Home
        from studyctl.tui.app import make_app

        def app(**options):
            return make_app(Home(), on=TODAY, clock=lambda: NOW, **options)

        asyncio.run(shoot(app(first_run=True), "welcome"))
        start = TODAY - dt.timedelta(days=42)
        CliRunner().invoke(cli, ["roadmap", "use", "nlp-90-days", "--start", start.isoformat()], catch_exceptions=False)
        ctx = Home()
        history(ctx, start)
        ctx.close()
        for task, minutes in (("dl-fundamentals-deck", 60), ("fastai-part1-lessons-1-4", 200)):
            status = "done" if task.endswith("deck") else "--partial"
            args = ["done", task, "--minutes", str(minutes)] + ([status] if status.startswith("--") else [])
            CliRunner().invoke(cli, args, catch_exceptions=False)
        asyncio.run(shoot(app(), "today"))
        asyncio.run(shoot(app(theme="textual-light"), "today-light"))
        asyncio.run(shoot(app(), "review-question", "r"))
        asyncio.run(shoot(app(), "review-answer", "r", "space"))
        asyncio.run(shoot(app(), "review-summary", "r", "space", "3", "escape"))
        asyncio.run(shoot(app(), "roadmap", "m"))
        asyncio.run(shoot(app(), "stats", "s"))
        asyncio.run(shoot(app(), "help", "question_mark"))
        asyncio.run(shoot(app(), "palette", "ctrl+p", *"open"))
        checks = ("l", "end", "n", "c", "wait:") if "torch" in sys.modules or _has_torch() else ("l",)
        asyncio.run(shoot(app(), "labs", *checks))


def _has_torch() -> bool:
    from importlib.util import find_spec

    return find_spec("torch") is not None


if __name__ == "__main__":
    main()
