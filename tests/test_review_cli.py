"""`studyctl review` in line mode, `stats` and `flags`, through the real CLI."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import write

TYPED_DECK = """
id: quiz
title: Quiz
cards:
  - {id: conv, type: typed, front: "32x32 input, kernel 5, no padding: output width?", answer: 28}
  - {id: opt, type: choice, front: Which keeps squared-gradient averages?, choices: [SGD, RMSProp], answer: RMSProp}
  - {id: basic, type: basic, front: "Show [red]literal[/red] text", back: The answer}
"""


def reviews(home) -> list[dict]:
    conn = sqlite3.connect(home / "studyctl.db")
    conn.row_factory = sqlite3.Row
    return [
        dict(r)
        for r in conn.execute("SELECT r.*, c.note FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.id")
    ]


def quiz_home(tmp_path, studyctl_home):
    content = tmp_path / "content"
    write(content / "decks" / "quiz.yaml", TYPED_DECK)
    write(studyctl_home / "settings.yaml", f"content_dirs: [{content}]\n")


def test_typed_choice_and_basic_cards(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    # typed: wrong "29" (accept Again), choice: the option's text, right (accept Good), basic: reveal, rate 3
    result = run("review", "--deck", "quiz", input="29\n\nrmsprop\n\n\n3\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "wrong" in out and "expected: 28" in out
    assert ". SGD" in out and ". RMSProp" in out and "right" in out
    assert "Show [red]literal[/red] text" in out  # card text printed as written
    assert "1 Again" in out and "3 Good 10m" in out
    logged = {r["note"]: r for r in reviews(studyctl_home)}
    assert logged["conv"]["rating"] == 1 and logged["conv"]["grading"] == "auto" and logged["conv"]["answer"] == "29"
    assert logged["opt"]["rating"] == 3 and logged["opt"]["answer"] == "RMSProp"  # the option's text
    assert logged["basic"]["rating"] == 3 and logged["basic"]["grading"] == "self"
    assert "Answered 3 cards" in result.stderr


def test_override_an_auto_grade(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    result = run("review", "--deck", "quiz", "--limit", "1", input="28 px\n3\n")
    assert result.exit_code == 0
    (logged,) = reviews(studyctl_home)
    assert logged["rating"] == 3 and logged["grading"] == "override"


def test_undo_and_flag_from_the_prompt(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    result = run("review", "--deck", "quiz", input="28\n\n:u\n:f\nquestion is vague\n:q\n")
    assert result.exit_code == 0
    assert "Undid the last answer (quiz/conv)" in result.stdout
    assert reviews(studyctl_home) == []
    listed = run("flags", "--json")
    (flag,) = json.loads(listed.stdout)
    assert flag["note"] == "conv" and flag["flag_note"] == "question is vague"
    assert flag["file"].endswith("quiz.yaml")
    assert run("flags", "--clear", "quiz/conv").exit_code == 0
    assert json.loads(run("flags", "--json").stdout) == []


def test_stats_after_reviews(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    run("review", "--deck", "quiz", input="28\n\nSGD\n\n\n3\n")
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["reviews_today"] == 3 and stats["streak"] == 1
    assert sum(stats["due_next_7"].values()) == 3
    assert run("stats").exit_code == 0


LETTERS_DECK = """
id: letters
title: Letters
cards:
  - {id: bee, type: typed, front: "Which letter comes after a?", answer: b}
  - {id: pick, type: choice, front: "Pick b", choices: [a, b, c], answer: b}
  - {id: basic, type: basic, front: Q, back: A}
"""


def letters_home(tmp_path, studyctl_home):
    content = tmp_path / "content"
    write(content / "decks" / "letters.yaml", LETTERS_DECK)
    write(studyctl_home / "settings.yaml", f"content_dirs: [{content}]\n")


def test_a_typed_line_is_an_answer_and_commands_need_a_colon(run, tmp_path, studyctl_home):
    letters_home(tmp_path, studyctl_home)
    # typed "b" (right, not a bury); at the choice: empty, 9, "z" and "s" are asked again, "b" is
    # the option's text; ":s" suspends the basic card
    result = run("review", "--deck", "letters", input="b\n\n\n9\nz\ns\nb\n\n:s\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Type a number from 1 to 3, or an option's text.") == 4
    logged = {r["note"]: r for r in reviews(studyctl_home)}
    assert logged["bee"]["answer"] == "b" and logged["bee"]["rating"] == 3
    assert logged["pick"]["answer"] == "b" and logged["pick"]["rating"] == 3
    assert "basic" not in logged and "Suspended; `studyctl unsuspend letters/basic` brings it back." in result.stdout
    assert "0 learning · 0 reviews · 3 new left" in result.stdout  # the header counts the card shown too
    assert "2 learning · 0 reviews · 1 new left" in result.stdout  # the two answered come back in 10 minutes
    flagged = json.loads(run("flags", "--json").stdout)
    assert [(f["note"], f["status"]) for f in flagged] == [("basic", "suspended")]
    assert run("unsuspend", "letters/basic").stdout == "Unsuspended letters/basic (1 card).\n"
    assert json.loads(run("flags", "--json").stdout) == []


def test_choices_are_shuffled_the_same_way_all_day(run, tmp_path, studyctl_home):
    letters_home(tmp_path, studyctl_home)
    shown = [run("review", "--deck", "letters", input="\n:b\n").stdout for _ in range(2)]
    # the second session: the choice card comes first (the typed card is buried), same order
    order = [line.strip() for line in shown[0].splitlines() if line.strip()[:2] in ("1.", "2.", "3.")]
    assert len(order) == 3 and all(line in shown[1] for line in order)


def test_end_of_input_ends_the_session_cleanly(run, tmp_path, studyctl_home):
    quiz_home(tmp_path, studyctl_home)
    result = run("review", "--deck", "quiz", input="28\n")
    assert result.exit_code == 0
    assert len(reviews(studyctl_home)) == 0  # the grade was shown but never accepted


def start_review(home, *args):
    env = dict(os.environ, STUDYCTL_HOME=str(home), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "studyctl", "review", *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


def read_until(proc, marker: str, timeout: float = 60) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, seen
        char = proc.stdout.read(1)
        assert char, seen
        seen += char
    return seen


def test_sigkill_loses_no_answered_card(studyctl_home):
    proc = start_review(studyctl_home, "--deck", "dl-fundamentals")
    answered = 0
    for _ in range(4):
        read_until(proc, "quit) > ")  # the question, or a typed/choice prompt
        proc.stdin.write("\n")
        read_until(proc, "quit) > ")  # the rating prompt (or a choice/typed answer prompt)
        proc.stdin.write("3\n")
        read_until(proc, "-> ")
        answered += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    logged = reviews(studyctl_home)
    assert len(logged) == answered
    conn = sqlite3.connect(studyctl_home / "studyctl.db")
    states = conn.execute("SELECT count(*) FROM card_state WHERE state != 'new'").fetchone()[0]
    assert states == answered
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rebuilt = subprocess.run(
        [sys.executable, "-m", "studyctl", "db", "rebuild", "--check"],
        env=dict(os.environ, STUDYCTL_HOME=str(studyctl_home)),
        capture_output=True,
        text=True,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr


def test_two_processes_review_at_once(studyctl_home, run):
    run("decks")  # create the database first: this test is about answering, not migrating
    procs = [start_review(studyctl_home, "--deck", "dl-fundamentals", "--limit", "10") for _ in range(2)]
    for proc in procs:  # answer every prompt with 3 (Good) until the session ends
        proc.stdin.write("\n3\n" * 40)
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    logged = reviews(studyctl_home)
    assert len(logged) == 20  # both sessions answered 10; none lost (they may share cards)
    rebuilt = subprocess.run(
        [sys.executable, "-m", "studyctl", "db", "rebuild", "--check"],
        env=dict(os.environ, STUDYCTL_HOME=str(studyctl_home)),
        capture_output=True,
        text=True,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout
