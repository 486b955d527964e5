"""`studyctl lab` through click's CliRunner, on real files in a temp STUDYCTL_HOME: start,
hints, reset, show, list, solution, check (stored and marking the roadmap), watch, and what
happens without torch."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import write

STARTER = "ANSWER = None  # TODO: the answer\n"

ROADMAP = """
id: mini
title: Mini roadmap
duration_days: 7
budget: {weekday: 60, weekend: 60}
phases:
  - id: only
    title: Only phase
    tasks:
      - {id: do-quick, title: Do the quick lab, kind: lab, lab: quick}
      - {id: quick-again, title: The quick lab again, kind: lab, lab: quick, after: [do-quick]}
      - {id: read, title: Read, kind: read, minutes: 10}
"""


@pytest.fixture
def labs_root(tmp_path):
    """A content folder with a quick lab (answer 42) and a roadmap whose tasks name it."""
    root = tmp_path / "content"
    folder = root / "labs" / "quick"
    write(
        folder / "lab.yaml",
        """
        id: quick
        title: A quick lab
        teaches: Answers
        minutes: 5
        time_limit: 20
        files: [answer.py]
        hints: [It is a number., It is 42.]
        criteria: [ANSWER is 42]
        """,
    )
    write(folder / "README.md", "# Quick\n\nSet ANSWER.\n")
    write(
        folder / "check.py",
        """
        from studyctl.labkit.api import Check, fail

        check = Check()


        @check.step("answer")
        def answer(ctx):
            got = ctx.learner("answer.py").ANSWER
            ctx.metrics["answer"] = got
            if got != 42:
                fail(f"ANSWER is {got!r}; expected 42")
        """,
    )
    write(folder / "starter" / "answer.py", STARTER)
    write(folder / "solution" / "answer.py", "ANSWER = 42\n")
    write(root / "schedule" / "mini.yaml", ROADMAP)
    return root


@pytest.fixture
def lab_cli(run, labs_root):
    def invoke(*args, input=None):
        return run("--content", str(labs_root), "lab", *args, input=input)

    return invoke


def listed(lab_cli) -> dict:
    return next(row for row in json.loads(lab_cli("list", "--json").stdout) if row["id"] == "quick")


def workspace(home):
    return home / "labs" / "quick"


def db_rows(home, sql):
    conn = sqlite3.connect(home / "studyctl.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql)]
    finally:
        conn.close()


def test_start_copies_the_starter_and_prints_the_instructions(lab_cli, studyctl_home):
    result = lab_cli("start", "quick")
    assert result.exit_code == 0
    assert f"Workspace: {workspace(studyctl_home)}" in result.stdout and "Set ANSWER." in result.stdout
    assert (workspace(studyctl_home) / "answer.py").read_text() == STARTER
    assert (workspace(studyctl_home) / "README.md").is_file()


def test_start_never_overwrites_work_without_force(lab_cli, studyctl_home):
    lab_cli("start", "quick")
    mine = workspace(studyctl_home) / "answer.py"
    mine.write_text("ANSWER = 41\n")
    again = lab_cli("start", "quick")
    assert again.exit_code == 0 and "Kept your work in answer.py" in again.stderr
    assert mine.read_text() == "ANSWER = 41\n"
    assert lab_cli("start", "quick", "--force").exit_code == 0
    assert mine.read_text() == STARTER
    backups = list((workspace(studyctl_home) / ".studyctl-backup").glob("*/answer.py"))
    assert [b.read_text() for b in backups] == ["ANSWER = 41\n"]


def test_start_dir_is_remembered(lab_cli, tmp_path):
    folder = tmp_path / "elsewhere"
    assert lab_cli("start", "quick", "--dir", str(folder)).exit_code == 0
    assert (folder / "answer.py").is_file()
    shown = json.loads(lab_cli("show", "quick", "--json").stdout)
    assert shown["workspace"] == str(folder.resolve())  # found without --dir
    missing = lab_cli("check", "quick", "--device", "cpu")
    assert "run `studyctl lab start quick` first" not in missing.stderr


def test_hints_come_one_more_at_a_time(lab_cli):
    lab_cli("start", "quick")
    first = lab_cli("hint", "quick")
    assert first.stdout == "Hint 1/2: It is a number.\n" and "again for the next one" in first.stderr
    second = lab_cli("hint", "quick")
    assert second.stdout == "Hint 1/2: It is a number.\nHint 2/2: It is 42.\n"
    third = lab_cli("hint", "quick")
    assert third.stdout == second.stdout and "That was the last hint" in third.stderr


def test_reset_asks_first_and_keeps_a_backup(lab_cli, studyctl_home):
    lab_cli("start", "quick")
    mine = workspace(studyctl_home) / "answer.py"
    mine.write_text("ANSWER = 7\n")
    declined = lab_cli("reset", "quick", input="n\n")
    assert declined.exit_code == 1 and mine.read_text() == "ANSWER = 7\n"
    accepted = lab_cli("reset", "quick", input="y\n")
    assert accepted.exit_code == 0 and mine.read_text() == STARTER
    mine.write_text("ANSWER = 8\n")
    assert lab_cli("reset", "quick", "--yes").exit_code == 0 and mine.read_text() == STARTER
    saved = sorted(p.read_text() for p in (workspace(studyctl_home) / ".studyctl-backup").glob("*/answer.py"))
    assert saved == ["ANSWER = 7\n", "ANSWER = 8\n"]


def test_show_prints_what_the_lab_is(lab_cli):
    text = lab_cli("show", "quick").stdout
    assert "quick: A quick lab" in text and "Teaches:    Answers" in text and "about 5 min" in text
    assert "  - ANSWER is 42" in text and "Set ANSWER." in text
    data = json.loads(lab_cli("show", "quick", "--json").stdout)
    assert data["criteria"] == ["ANSWER is 42"] and data["time_limit"] == 20 and data["hints"] == 2


def test_unknown_lab_and_missing_workspace_are_bad_input(lab_cli):
    unknown = lab_cli("show", "nope")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("error: no lab 'nope'")
    assert "`studyctl lab list` lists them" in unknown.stderr
    typo = lab_cli("show", "quik")
    assert typo.exit_code == 2 and "Did you mean: quick?" in typo.stderr
    missing = lab_cli("check", "quick")
    assert missing.exit_code == 2 and "run `studyctl lab start quick` first" in missing.stderr


def test_failed_check_is_stored_and_keeps_the_solution_hidden(lab_cli, studyctl_home):
    lab_cli("start", "quick")
    assert listed(lab_cli)["status"] == "started"
    result = lab_cli("check", "quick", "--device", "cpu")
    assert result.exit_code == 1
    assert "FAIL   answer" in result.stdout and "ANSWER is None; expected 42" in result.stdout
    assert "device: cpu" in result.stderr and "torch" in result.stderr
    rows = db_rows(studyctl_home, "SELECT * FROM lab_runs")
    assert len(rows) == 1 and rows[0]["passed"] == 0 and rows[0]["device"] == "cpu"
    assert json.loads(rows[0]["steps"])[0]["status"] == "fail"
    row = listed(lab_cli)
    assert row["status"] == "failed" and row["last"]["steps_passed"] == 0
    refused = lab_cli("solution", "quick")
    assert refused.exit_code == 2 and "--give-up" in refused.stderr and "ANSWER = 42" not in refused.stdout
    assert "ANSWER = 42" in lab_cli("solution", "quick", "--give-up").stdout
    assert db_rows(studyctl_home, "SELECT * FROM task_log") == []


def test_passed_check_marks_the_active_roadmaps_tasks_done(run, lab_cli, labs_root, studyctl_home):
    assert run("--content", str(labs_root), "roadmap", "use", "mini").exit_code == 0
    lab_cli("start", "quick")
    (workspace(studyctl_home) / "answer.py").write_text("ANSWER = 42\n")
    result = lab_cli("check", "quick", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["passed"] is True and data["metrics"] == {"answer": 42} and data["device"]
    assert data["tasks_done"] == ["do-quick", "quick-again"]
    run_row = db_rows(studyctl_home, "SELECT * FROM lab_runs")[0]
    assert run_row["files_hash"] == hashlib.sha256(b"answer.py\0ANSWER = 42\n\0").hexdigest()
    assert json.loads(run_row["metrics"]) == {"answer": 42}
    tasks = db_rows(studyctl_home, "SELECT roadmap, task, status, minutes FROM task_log ORDER BY task")
    assert tasks == [
        {"roadmap": "mini", "task": "do-quick", "status": "done", "minutes": 5},
        {"roadmap": "mini", "task": "quick-again", "status": "done", "minutes": 5},
    ]
    again = lab_cli("check", "quick")  # passing twice marks nothing twice
    assert again.exit_code == 0 and "Passed: 1 of 1 step in" in again.stdout and "Marked done" not in again.stdout
    assert len(db_rows(studyctl_home, "SELECT * FROM task_log")) == 2
    assert listed(lab_cli)["status"] == "passed"
    assert "ANSWER = 42" in lab_cli("solution", "quick").stdout


def test_watch_checks_at_start_and_on_enter(lab_cli, studyctl_home):
    lab_cli("start", "quick")
    result = lab_cli("watch", "quick", "--runs", "2", input="\n")
    assert result.exit_code == 0
    assert "--- check (start) ---" in result.stderr and "--- check (Enter) ---" in result.stderr
    assert result.stdout.count("FAIL   answer") == 2
    assert len(db_rows(studyctl_home, "SELECT * FROM lab_runs")) == 2


def test_without_torch_lab_commands_say_how_to_install_and_the_rest_works(run, lab_cli, monkeypatch):
    monkeypatch.setattr("studyctl.labkit.devices.installed_torch", lambda: None)
    for args in (("list",), ("check", "quick"), ("show", "quick")):
        result = lab_cli(*args)
        assert result.exit_code == 2 and "pip install 'studyctl[labs]'" in result.stderr
    assert run("decks").exit_code == 0


def test_lab_list_does_not_import_torch(studyctl_home, labs_root):
    env = dict(os.environ, STUDYCTL_HOME=str(studyctl_home))
    code = (
        "import sys\n"
        "from studyctl.cli import cli\n"
        "import studyctl.labkit.api, studyctl.labkit.runner, studyctl.labkit.watch, studyctl.cli.lab\n"
        f"cli(['--content', {str(labs_root)!r}, 'lab', 'list'], standalone_mode=False)\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "quick" in proc.stdout
