"""Issue 19, items 6, 7 and 10 (the database file), and the automatic backups.

Every way the database can't be used (damaged, empty, foreign, a folder, read-only, a full
disk, its WAL deleted under a running session) is one line that says what is wrong and what to
do, exit 2, from every command; nothing already saved is lost; `doctor` finds damage that the
other commands only trip over later; a backup is made each day and before each migration, and
`db restore` puts one back.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from studyctl.cli import cli
from studyctl.service.home import Home
from studyctl.store import backup as backups_module
from studyctl.store.backup import backups
from studyctl.store.db import SCHEMA_VERSION, connect

COMMANDS = [
    ("today", "--plain"),
    ("review", "--limit", "1"),
    ("decks",),
    ("stats",),
    ("doctor",),
    ("db", "rebuild", "--check"),
]


@pytest.fixture(scope="module")
def reviewed_home(tmp_path_factory):
    """A home with the built-in decks synced and 12 answers: made once, copied by each test."""
    home = tmp_path_factory.mktemp("base") / "home"
    env = {"STUDYCTL_HOME": str(home), "TZ": "UTC"}
    runner = CliRunner()
    assert runner.invoke(cli, ["decks"], env=env, catch_exceptions=False).exit_code == 0
    answered = runner.invoke(cli, ["review", "--deck", "dl-fundamentals", "--limit", "12"], input="\n3\n" * 12, env=env)
    assert answered.exit_code == 0, answered.output
    return home


@pytest.fixture
def home(reviewed_home, studyctl_home):
    shutil.copytree(reviewed_home, studyctl_home)
    return studyctl_home


def review_count(home) -> int:
    conn = sqlite3.connect(home / "studyctl.db")
    try:
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


def garbage(size: int, seed: int = 19) -> bytes:
    return random.Random(seed).randbytes(size)


def damage(db, how: str) -> None:
    if how == "truncated":
        with open(db, "r+b") as handle:
            handle.truncate(db.stat().st_size // 3)
    elif how == "garbage-header":
        with open(db, "r+b") as handle:
            handle.write(garbage(100))
    elif how == "zero-bytes":
        db.write_bytes(b"")
    elif how == "a-folder":
        db.unlink()
        db.mkdir()
    elif how == "not-sqlite":
        db.write_text("these are my notes, not a database\n")
    elif how == "a-pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes")
        db.unlink()
        os.mkfifo(db)
    elif how == "foreign-sqlite":
        db.unlink()
        other = sqlite3.connect(db)
        other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        other.commit()
        other.close()


DAMAGE = {
    "truncated": "is damaged",
    "garbage-header": "is not a SQLite database",
    "zero-bytes": "is empty (0 bytes)",
    "a-folder": "is a folder, not a database file",
    "not-sqlite": "is not a SQLite database",
    "foreign-sqlite": "not studyctl's",
    "a-pipe": "is not a regular file",  # and never opened for reading: that would wait forever
}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_a_database_that_cant_be_used_is_one_line_from_every_command_and_is_left_alone(run, home, how):
    """Item 7 (tracebacks for a truncated file or garbage header, in every command and doctor
    too) and item 10 (a 0-byte file silently became a new database): each command says what is
    wrong in one line, exit 2, and the file is not changed."""
    db = home / "studyctl.db"
    damage(db, how)
    before = db.read_bytes() if db.is_file() else None
    for command in COMMANDS:
        result = run(*command, input="q\n")
        assert result.exit_code == 2, (command, result.output)
        errors = [line for line in result.stderr.splitlines() if DAMAGE[how] in line]
        assert errors, (command, result.stderr)
        assert "Traceback" not in result.output
    assert (db.read_bytes() if db.is_file() else None) == before


def test_doctor_finds_damage_in_the_middle_of_the_file(run, home):
    """Item 6: 16 KB of garbage mid-file was `[ok] database`; then `today` and `review` crashed
    "malformed". doctor runs quick_check; the other commands give one line, not a traceback."""
    assert run("doctor").exit_code == 0  # the copy is sound to begin with
    db = home / "studyctl.db"
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(garbage(16 * 1024))
    result = run("doctor")
    assert result.exit_code == 2
    assert "[FAIL] database" in result.stdout
    assert "is damaged (quick_check:" in result.stderr and "studyctl db restore" in result.stderr
    for command in COMMANDS:
        later = run(*command, input="q\n")
        assert later.exit_code in (0, 2), (command, later.output)  # a query may miss the bad pages
        assert "Traceback" not in later.output


def test_studyctl_home_that_is_a_file_is_one_line(run, studyctl_home):
    studyctl_home.parent.mkdir(parents=True, exist_ok=True)
    studyctl_home.write_text("not a folder")
    for command in COMMANDS:
        result = run(*command, input="q\n")
        assert result.exit_code == 2, (command, result.output)
        assert f"{studyctl_home} is a file, not a folder" in result.stderr


def small_disk(monkeypatch, spare_pages: int) -> None:
    """A disk that fills up: SQLite refuses to grow the file past `spare_pages` more pages
    (SQLITE_FULL, as a full disk gives; a tmpfs of a few MB gives the same by hand)."""
    import studyctl.store.db as db

    real = db.connect

    def connect_to_small_disk(path):
        conn = real(path)
        conn.execute("VACUUM")  # no free pages left to reuse: the next rows must grow the file
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return conn

    monkeypatch.setattr(db, "connect", connect_to_small_disk)


def test_disk_full_in_the_middle_of_a_review_is_one_line_and_loses_no_answer(run, home, monkeypatch):
    """Item 7: a full disk gave a raw sqlite3.OperationalError (8 of 8 runs)."""
    before = review_count(home)
    small_disk(monkeypatch, spare_pages=2)
    result = run("review", "--deck", "dl-fundamentals", input="\n3\n" * 60)
    acknowledged = result.stdout.count("-> ")
    assert result.exit_code == 2, result.output
    assert acknowledged >= 1  # it filled up mid-session, not at the start
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "is full" in error and "free some space" in error
    assert review_count(home) == before + acknowledged


@pytest.mark.skipif(sys.platform == "win32", reason="an open file can't be deleted there")
def test_the_wal_deleted_under_a_running_session(run, home):
    """Item 7: another command then read a short WAL: a disk I/O error traceback. Now one line
    that names the -wal file; once the session ends, its answers are all there."""
    session = connect(home / "studyctl.db")  # a review running in another terminal
    session.execute("INSERT INTO machine_state (key, value, updated_at) VALUES ('session', '1', 'now')")
    session.commit()
    for suffix in ("-wal", "-shm"):
        os.unlink(home / f"studyctl.db{suffix}")
    result = run("today", "--plain")
    assert result.exit_code == 2
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "studyctl.db-wal" in error and "close every running studyctl" in error
    session.close()  # the session ends: its last checkpoint writes what it saved
    assert run("today", "--plain").exit_code == 0
    check = sqlite3.connect(home / "studyctl.db")
    assert check.execute("SELECT value FROM machine_state WHERE key = 'session'").fetchone() == ("1",)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def without_root_powers():
    """preexec_fn for a child that obeys file permissions even when the tests run as root (as
    in some containers): drop the capabilities that bypass them from its bounding set."""
    if os.geteuid() != 0:
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")

    return drop


def studyctl_obeying_permissions(home, *args):
    return subprocess.run(
        [sys.executable, "-m", "studyctl", *args],
        env=dict(os.environ, STUDYCTL_HOME=str(home)),
        input="\n3\n" * 3,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=without_root_powers(),  # runs before exec, in a child with one thread
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("read_only", ["database", "home", "new-home"])
def test_read_only_database_or_home_is_one_line(home, read_only):
    """Item 7: `review` on a read-only database, or any command in a read-only home: traceback."""
    db = home / "studyctl.db"
    before = review_count(home)
    backup_due(home)  # a read-only file must not be copied on every run instead
    if read_only == "new-home":
        db.unlink()
    if read_only == "database":
        db.chmod(0o444)
    else:
        home.chmod(0o555)
    try:
        result = studyctl_obeying_permissions(home, "review", "--deck", "dl-fundamentals")
    finally:
        home.chmod(0o755)
        if db.exists():
            db.chmod(0o644)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert ("read-only" in error) or ("folder you can write" in error), error
    if read_only != "new-home":
        assert review_count(home) == before
    assert backups(db) == []


# -- backups -----------------------------------------------------------------------------------


def clock_on(day: int):
    return lambda: dt.datetime(2026, 3, day, 20, 0, tzinfo=dt.timezone.utc)


def use_on(day: int) -> Home:
    """A command's life on that day: open the store, then close it (the daily backup's moment)."""
    home = Home(clock=clock_on(day))
    home.conn.execute("SELECT 1")
    home.close()
    return home


def test_a_daily_backup_on_first_use_keeping_the_last_seven(home):
    db = home / "studyctl.db"
    use_on(1)
    (first,) = backups(db)
    assert first.name == "studyctl-20260301T200000Z-daily.db"
    use_on(1)  # the same day: no second copy (one read of machine state)
    assert len(backups(db)) == 1
    copy = sqlite3.connect(first)
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == review_count(home)
    for day in range(2, 11):
        use_on(day)
    kept = backups(db)
    assert len(kept) == backups_module.KEEP
    assert [p.name[9:17] for p in kept] == [f"202603{day:02d}" for day in range(4, 11)]


def test_no_backup_of_a_database_made_today(run, studyctl_home):
    assert run("decks").exit_code == 0
    assert backups(studyctl_home / "studyctl.db") == []
    conn = sqlite3.connect(studyctl_home / "studyctl.db")
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert conn.execute("SELECT value FROM machine_state WHERE key = 'backup/last-daily'").fetchone() == (f'"{today}"',)


def backup_due(home) -> None:
    conn = sqlite3.connect(home / "studyctl.db")
    conn.execute("UPDATE machine_state SET value = '\"2000-01-01\"' WHERE key = 'backup/last-daily'")
    conn.commit()
    conn.close()


def test_the_daily_backup_comes_after_the_commands_output(run, home):
    backup_due(home)
    result = run("today", "--plain")
    assert result.exit_code == 0 and "Forecast" in result.stdout
    assert len(backups(home / "studyctl.db")) == 1


def test_restore_puts_back_the_newest_backup_and_keeps_the_damaged_file_aside(run, home):
    db = home / "studyctl.db"
    use_on(1)
    answered = review_count(home)
    with open(db, "r+b") as handle:
        handle.write(garbage(100))
    assert "is not a SQLite database" in run("today", "--plain").stderr
    result = run("db", "restore")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout and "studyctl-20260301T200000Z-daily.db" in result.stdout
    (aside,) = [p for p in home.iterdir() if p.name.startswith("studyctl.db.replaced-")]
    assert aside.read_bytes()[:100] == garbage(100)  # the damaged file, kept as it was
    assert run("today", "--plain").exit_code == 0
    assert review_count(home) == answered
    assert connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(run, home):
    db = home / "studyctl.db"
    use_on(1)
    (copy,) = backups(db)
    with open(copy, "r+b") as handle:
        handle.seek(copy.stat().st_size // 2 // 4096 * 4096)
        handle.write(garbage(16 * 1024))
    before = db.read_bytes()
    result = run("db", "restore", str(copy))
    assert result.exit_code == 2
    assert "is damaged too" in result.stderr
    assert db.read_bytes() == before
    assert not [p for p in home.iterdir() if ".replaced-" in p.name]


def test_restore_without_backups_says_when_they_are_made(run, studyctl_home):
    result = run("db", "restore")
    assert result.exit_code == 2 and "no backups in" in result.stderr


def test_two_processes_creating_the_database_at_once_never_see_an_empty_file(tmp_path):
    """A new database is made beside its place and linked in whole: the check that refuses a
    0-byte file never trips on a database another process is creating."""
    code = "import sys; from pathlib import Path; from studyctl.store.db import connect; connect(Path(sys.argv[1]))"
    for attempt in range(4):
        target = tmp_path / f"h{attempt}" / "studyctl.db"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(target)], stderr=subprocess.PIPE) for _ in range(3)]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err.decode()
        assert connect(target).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert not [p for p in target.parent.iterdir() if p.name.endswith(".new")]


def test_the_tui_says_what_a_database_failure_in_a_worker_means(tmp_path, monkeypatch):
    """The app's worker-error handler shows the store's one line (what is wrong, what to do),
    not "Something went wrong: database or disk is full"; the app keeps running."""
    import asyncio

    from tui_support import SIZE, make_study, new_app, settle

    study = make_study(tmp_path, monkeypatch)

    async def save_an_answer():
        raise sqlite3.OperationalError("database or disk is full")

    async def drive():
        app = new_app(study)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.run_worker(save_an_answer(), exit_on_error=False)
            for _ in range(100):
                await pilot.pause(0.02)
                if app.errors:
                    break
            messages = [notification.message for notification in app._notifications]
            assert app.is_running
            return messages

    messages = asyncio.run(drive())
    assert any("is full" in m and "free some space" in m for m in messages), messages
    assert not any(m.startswith("Something went wrong") for m in messages)
