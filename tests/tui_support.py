"""Shared pieces of the TUI tests (no tests here): a fixed clock, the content the tests study,
and `settle`, which waits until the app's database thread and workers are idle."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import html
import re
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from conftest import SMALL_ROADMAP, write

from studyctl.cli import cli

DAY = dt.date(2026, 11, 23)  # a Monday
NOW = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)
SIZE = (100, 32)

DECK = """
id: good
title: A good deck
cards:
  - id: one
    type: basic
    front: What is one?
    back: |
      One. In code:

      ```python
      one = 1  # [red]not markup[/red]
      ```
  - id: two
    type: cloze
    text: "{{c1::Two}} comes after {{c2::one}}."
  - id: three
    type: choice
    front: Pick three
    choices: ["1", "2", "3"]
    answer: "3"
  - id: four
    type: typed
    front: 2 + 2?
    answer: 4
    tolerance: 0
"""

TINY_LAB = """
id: tiny
title: A tiny lab
teaches: returning 42
minutes: 5
time_limit: 20
files: [prog.py]
hints: [first hint, second hint]
criteria: [main() returns 42]
"""

TINY_CHECK = """
from studyctl.labkit.api import Check, fail

check = Check()


@check.step("runs")
def runs(ctx):
    answer = ctx.learner("prog.py").main()
    if answer != 42:
        fail(f"main() returned {answer!r}, expected 42")
"""


def pilot_test(test):
    """Run an async test function with asyncio.run (no async plugin needed); pytest still sees
    its fixtures through functools.wraps."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def clock() -> dt.datetime:
    return NOW


def make_study(tmp_path: Path, monkeypatch) -> Path:
    """Only the test's own content (the built-in decks and roadmaps change as people edit them):
    the `good` deck, the small roadmap, a tiny lab; the small roadmap active since DAY."""
    empty = tmp_path / "builtin"
    empty.mkdir()
    monkeypatch.setattr("studyctl.paths.builtin_content_root", lambda: empty)
    root = tmp_path / "content"
    write(root / "decks" / "good.yaml", DECK)
    write(root / "schedule" / "small.yaml", SMALL_ROADMAP.replace("lab: mlp-digits", "lab: tiny"))
    write(root / "labs" / "tiny" / "lab.yaml", TINY_LAB)
    write(root / "labs" / "tiny" / "check.py", TINY_CHECK)
    write(root / "labs" / "tiny" / "starter" / "prog.py", "def main():\n    raise NotImplementedError\n")
    write(root / "labs" / "tiny" / "solution" / "prog.py", "def main():\n    return 42\n")
    result = CliRunner().invoke(cli, ["--content", str(root), "roadmap", "use", "small", "--start", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    return root


def new_app(content: Path | None, **options):
    from studyctl.service.home import Home
    from studyctl.tui.app import make_app

    roots = (content,) if content else ()
    return make_app(Home(extra_roots=roots), on=options.pop("on", DAY), clock=clock, **options)


async def settle(pilot, limit: int = 2000) -> None:
    """Pause until the database thread has nothing pending and no worker runs, three times in a row."""
    app = pilot.app
    quiet = 0
    for _ in range(limit):
        await pilot.pause()
        busy = app.backend.pending or len(app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            assert not app.errors, app.errors  # a worker failed
            return
    raise AssertionError("the app did not settle")


async def press(pilot, *keys: str) -> None:
    """Press keys one by one, letting each one's database work finish before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines (from the SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        x, y, text = float(match.group(1)), float(match.group(2)), match.group(3)
        rows.setdefault(y, []).append((x, html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(text for _, text in sorted(parts)) for _, parts in sorted(rows.items()))


def db(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "studyctl.db")
    conn.row_factory = sqlite3.Row
    return conn


def no_blink(pilot) -> None:
    """Make a screenshot repeatable: no blinking cursor, no toasts (they time out)."""
    from textual.widgets import Input

    pilot.app.clear_notifications()
    for screen in pilot.app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False


def run_on_pty(command: list[str], env: dict[str, str], timeout: float = 60) -> str:
    """Run `command` with a pseudo-terminal as stdin, stdout and stderr (so it sees a TTY);
    returns everything it wrote, escape sequences included."""
    import os
    import pty
    import select
    import subprocess

    master, slave = pty.openpty()
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = bytearray()
    try:
        while select.select([master], [], [], timeout)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        code = proc.wait()
        os.close(master)
    text = output.decode("utf-8", errors="replace")
    assert code == 0, text[-2000:]
    return text
