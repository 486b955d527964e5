"""Issue 19, items 2, 3, 9 and 10: hostile or impossible content and settings never crash a
command; each problem is one file:line message (exit 2 where the file can't be used)."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import write

from studyctl.content.fields import SLUG

DATE_DECK = """
id: dates
title: Dates
cards:
  - id: leap
    type: basic
    front: When is the 30th of February?
    back: 2026-02-30
  - id: clock
    type: basic
    front: When does the lecture start?
    back: 10:30
"""


def every_command(run, tmp_path, *, content=None):
    """The commands a learner runs, each with input that ends it at once."""
    prefix = ("--content", str(content)) if content else ()
    commands = [
        ("validate",),
        ("today", "--plain"),
        ("review", "--limit", "1"),
        ("decks",),
        ("plan",),
        ("stats",),
        ("export", "anki", "--deck", "dates" if content else "dl-fundamentals", "-o", str(tmp_path / "x.apkg")),
    ]
    return {command[0]: run(*prefix, *command, input="q\n") for command in commands}


def test_an_impossible_date_in_a_deck_is_just_text(run, tmp_path):
    """`back: 2026-02-30` made every command die with ValueError."""
    content = tmp_path / "content"
    write(content / "decks" / "dates.yaml", DATE_DECK)
    results = every_command(run, tmp_path, content=content)
    for name, result in results.items():
        assert result.exit_code == 0, (name, result.output)
    cards = run("--content", str(content), "review", "--deck", "dates", input="\n3\n\n3\n").stdout
    assert "2026-02-30" in cards and "10:30" in cards  # as written, not a date nor 630 minutes


@pytest.mark.parametrize(
    ("settings", "line", "expected"),
    [
        ("start_date: 2026-13-01\n", 1, "'start_date' should be a date (YYYY-MM-DD), got a string ('2026-13-01')"),
        ("roadmap: nlp-90-days\ndeadline: 2026-02-30\n", 2, "'deadline' should be a date"),
        ("days_off: [2026-12-24, 2026-02-29]\n", 1, "'days_off' should be a list of dates"),
        ("start_date: 0001-01-01\n", 1, "outside 1970-01-01 to 2999-12-31"),
        ("new_cards_per_day: 9223372036854775808\n", 1, "'new_cards_per_day' should be a whole number from 0 to"),
        ("review:\n  maximum_interval: 100000000000\n", 2, "'maximum_interval' should be a positive whole number"),
        ("review:\n  max_reviews_per_day: 100000000000\n", 2, "'max_reviews_per_day' should be a positive"),
        ("review:\n  fsrs_parameters: [1, 2, 3]\n", 2, "'fsrs_parameters' should hold"),
        ("review:\n  fsrs_parameters: [" + ", ".join(["1000"] * 21) + "]\n", 2, "number 1 (1000) should be between"),
        ("content_dirs:\n  - /etc/passwd\n  - 5\n", 2, "'content_dirs' item a string ('/etc/passwd') is not a folder"),
        ("content_dirs:\n  - /etc/passwd\n  - 5\n", 3, "'content_dirs' item a number (5) should be the path of a"),
        ('roadmap: "hostile\\n"\n', 1, "'roadmap' 'hostile\\n' should be a slug"),
    ],
    ids=[
        "month-13",
        "feb-30",
        "day-off-feb-29",
        "year-1",
        "int-2-63",
        "interval",
        "reviews-per-day",
        "fsrs-length",
        "fsrs-bounds",
        "content-dir-file",
        "content-dir-number",
        "slug-newline",
    ],
)
def test_settings_that_would_crash_are_refused_by_every_command_with_one_message(
    run, tmp_path, studyctl_home, settings, line, expected
):
    """Item 2 (start_date: 2026-13-01) and item 9 (wrong FSRS parameters, 2**63, content_dirs
    that aren't folders): validate reports settings.yaml:line; every other command refuses
    with the same line, exit 2, instead of a traceback halfway through."""
    write(studyctl_home / "settings.yaml", settings)
    wanted = f"{studyctl_home / 'settings.yaml'}:{line}: error: "
    results = every_command(run, tmp_path)
    validate = results.pop("validate")
    assert validate.exit_code == 2
    (reported,) = [text for text in validate.stdout.splitlines() if text.startswith(wanted) and expected in text]
    for name, result in results.items():
        assert result.exit_code == 2, (name, result.output)
        assert reported in result.stderr.splitlines(), (name, result.stderr)


def test_plan_date_out_of_range_is_a_usage_error_not_an_overflow(run):
    """`today --date 0001-01-01`: an OverflowError traceback."""
    for day in ("0001-01-01", "9999-12-31", "2026-02-30"):
        result = run("today", "--plain", "--date", day)
        assert result.exit_code == 2
        assert "Invalid value for '--date'" in result.stderr and "Traceback" not in result.output


def alias_bomb_roadmap(levels: int = 9) -> str:
    lines = [
        "id: nlp-90-days",
        "title: A roadmap with a bomb under an unknown key",
        "phases:",
        "  - id: p",
        "    title: P",
        "    tasks:",
        "      - {id: a, title: A, kind: read, minutes: 5}",
        "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_roadmap_alias_bomb_is_refused_by_validate_and_today_without_writing_it(run, studyctl_home):
    """Item 3: a 534-byte roadmap passed validate (the bomb sat under an unknown key) and
    `today` wrote an 80 MB parse-cache row; 9 levels ran 113 s to a MemoryError."""
    path = write(studyctl_home / "content" / "schedule" / "nlp-90-days.yaml", alias_bomb_roadmap())
    where = f"{path}:"
    checked = run("validate")
    assert checked.exit_code == 2
    assert any(text.startswith(where) and "aliases expand this file" in text for text in checked.stdout.splitlines())
    planned = run("today", "--plain")
    assert where in planned.stderr and "aliases expand this file" in planned.stderr
    conn = sqlite3.connect(studyctl_home / "studyctl.db")
    biggest = conn.execute("SELECT max(length(data)) FROM parsed_files").fetchone()[0] or 0
    assert biggest < 1_000_000
    assert conn.execute("SELECT count(*) FROM parsed_files WHERE path = ?", (str(path),)).fetchone()[0] == 0


def test_the_parse_cache_stores_only_what_reads_back_as_validated(run, studyctl_home):
    """A roadmap whose unknown key holds what JSON can't keep as it is (a number as a mapping
    key) loads from the file each time rather than from a cache row that differs from it."""
    from studyctl.content.parsecache import cacheable_text
    from studyctl.content.yamlfile import parse_yaml

    assert cacheable_text(parse_yaml("a: [1, 2.5, x, null, true]\n", studyctl_home / "x.yaml")) is not None
    assert cacheable_text(parse_yaml("a: {1: x}\n", studyctl_home / "x.yaml")) is None
    assert cacheable_text(parse_yaml("a: .nan\n", studyctl_home / "x.yaml")) is None


def test_slug_refuses_a_trailing_newline():
    """Item 10: `$` matches before a final newline."""
    assert SLUG.match("hostile") and not SLUG.match("hostile\n")
