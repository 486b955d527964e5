"""Every test runs against a fresh STUDYCTL_HOME in a temp folder, on real files."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyctl.cli import cli

REPO = Path(__file__).resolve().parent.parent
LAB_TEST_PREFIXES = ("test_lab_", "test_labkit_")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of the lab files `labs`: they start child processes that import torch."""
    for item in items:
        if item.path.name.startswith(LAB_TEST_PREFIXES):
            item.add_marker(pytest.mark.labs)


@pytest.fixture(autouse=True)
def studyctl_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("STUDYCTL_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def english_interface(monkeypatch):
    """Tests read English unless they choose Chinese; the language never leaks between tests,
    nor in from the machine's own locale."""
    from studyctl import i18n

    for name in ("STUDYCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch):
    """Study days follow local time; pin it so day boundaries in tests are the same anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def run():
    """Invoke the CLI in-process; returns click's Result (stdout and stderr kept apart)."""

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


GOOD_DECK = """
id: good
title: A good deck
cards:
  - id: one
    type: basic
    front: What is one?
    back: One.
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

SMALL_ROADMAP = """
id: small
title: A small roadmap
duration_days: 14
budget: {weekday: 60, weekend: 180}
phases:
  - id: first
    title: First phase
    tasks:
      - {id: read-a, title: Read A, kind: read, minutes: 40}
      - {id: watch-b, title: Watch B, kind: watch, minutes: 300, after: [read-a]}
      - {id: lab-c, title: Lab C, kind: lab, lab: mlp-digits, after: [read-a]}
  - id: second
    title: Second phase
    parallel: true
    tasks:
      - {id: deck-d, title: Cards D, kind: deck, deck: good, minutes: 20}
"""


@pytest.fixture
def content(tmp_path) -> Path:
    """A user content folder with one good deck and a small roadmap."""
    root = tmp_path / "content"
    write(root / "decks" / "good.yaml", GOOD_DECK)
    write(root / "schedule" / "small.yaml", SMALL_ROADMAP)
    return root
