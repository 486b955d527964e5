"""done, skip, undo, reopen, plan --week and roadmap show, through the CLI on the small roadmap."""

import json

from conftest import write

MONDAY = "2026-11-23"
SATURDAY = "2026-11-28"


def use_small(run, content):
    assert run("--content", str(content), "roadmap", "use", "small", "--start", MONDAY).exit_code == 0


def cli(run, content, *args):
    return run("--content", str(content), *args)


def plan_on(run, content, day=MONDAY):
    return json.loads(cli(run, content, "today", "--json", "--date", day).stdout)


def test_done_moves_the_plan_on_the_same_day(run, content):
    use_small(run, content)
    before = plan_on(run, content, SATURDAY)
    assert [t["id"] for t in before["tasks"]][:2] == ["read-a", "lab-c"]
    result = cli(run, content, "done", "read-a", "--date", SATURDAY)
    assert result.exit_code == 0 and "Done on Sat 28 Nov: Read A (40 min in all)." in result.stdout
    after = plan_on(run, content, SATURDAY)
    assert after["tasks"][0]["id"] == "lab-c"  # unlocked by read-a today, and practice comes first
    assert after["studied_minutes"] == 40 and after["left_minutes"] == 140
    assert after["planned_minutes"] <= 140 * 1.15
    monday = plan_on(run, content)  # the 23rd: nothing logged yet
    assert monday["studied_minutes"] == 0 and monday["tasks"][0]["id"] == "read-a"


def test_today_on_a_date_sees_only_what_was_logged_up_to_it(run, content):
    use_small(run, content)
    cli(run, content, "done", "read-a", "--date", "2026-11-24")
    assert [t["id"] for t in plan_on(run, content)["tasks"]] == ["read-a"]  # the 23rd knows nothing of the 24th
    assert plan_on(run, content, "2026-11-25")["tasks"][0]["id"] == "lab-c"


def test_partial_progress_overrun_and_a_new_estimate(run, content):
    use_small(run, content)
    cli(run, content, "done", "read-a", "--date", MONDAY)
    result = cli(run, content, "done", "watch-b", "--minutes", "120", "--partial", "--date", MONDAY)
    assert "Logged 120 min on watch-b on Mon 23 Nov: 120 of about 300 min." in result.stdout
    saturday = plan_on(run, content, SATURDAY)
    watch = next(t for t in saturday["tasks"] if t["id"] == "watch-b")
    assert watch["minutes_done"] == 120
    over = cli(run, content, "done", "watch-b", "--minutes", "250", "--partial", "--date", "2026-11-24")
    assert "past the 300-minute estimate" in over.stderr and "--left M" in over.stderr
    still = next(t for t in plan_on(run, content, SATURDAY)["tasks"] if t["id"] == "watch-b")
    assert still["minutes_today"] > 0 and still["minutes_total"] > 370  # not "0 min ... [370+0 of 300]"
    cli(run, content, "done", "watch-b", "--partial", "--left", "60", "--date", "2026-11-25")
    re_estimated = next(t for t in plan_on(run, content, SATURDAY)["tasks"] if t["id"] == "watch-b")
    assert re_estimated["minutes_total"] == 430 and re_estimated["minutes_today"] == 60


def test_done_twice_and_done_while_waiting_warn(run, content):
    use_small(run, content)
    early = cli(run, content, "done", "watch-b", "--date", MONDAY)
    assert early.exit_code == 0 and "warning: 'watch-b' was still waiting for read-a; logged anyway." in early.stderr
    twice = cli(run, content, "done", "watch-b")
    assert "already done: nothing logged" in twice.stderr and twice.stdout == ""
    shown = json.loads(cli(run, content, "roadmap", "show", "--json").stdout)
    assert shown["phases"][0]["tasks"][1]["spent"] == 300  # logged once


def test_undo_takes_back_the_last_entry_and_reopen_opens_a_task(run, content, studyctl_home):
    import sqlite3

    use_small(run, content)
    cli(run, content, "done", "read-a", "--date", MONDAY)
    cli(run, content, "done", "watch-b", "--minutes", "30", "--partial", "--date", MONDAY)
    undone = cli(run, content, "undo")
    assert undone.exit_code == 0 and "Undone: minutes (30 min) on Watch B" in undone.stdout
    conn = sqlite3.connect(studyctl_home / "studyctl.db")
    rows = conn.execute("SELECT task, status FROM task_log").fetchall()
    assert rows == [("read-a", "done")]
    events = conn.execute("SELECT kind, json_extract(data, '$.status') FROM journal ORDER BY seq").fetchall()
    assert events[-2:] == [("task", "progress"), ("undo", None)]  # the journal keeps both
    target = conn.execute("SELECT json_extract(data, '$.target') FROM journal WHERE kind = 'undo'").fetchone()[0]
    assert conn.execute("SELECT json_extract(data, '$.task') FROM journal WHERE uid = ?", (target,)).fetchone() == (
        "watch-b",
    )
    assert cli(run, content, "reopen", "watch-b").exit_code == 2  # not done: nothing to reopen
    reopened = cli(run, content, "reopen", "read-a")
    assert reopened.exit_code == 0 and "Reopened: Read A (40 of about 40 min so far)" in reopened.stdout
    now = json.loads(cli(run, content, "today", "--json").stdout)
    assert now["tasks"][0]["id"] == "read-a"
    cli(run, content, "undo")  # takes the reopen back
    assert json.loads(cli(run, content, "today", "--json").stdout)["tasks"][0]["id"] != "read-a"
    cli(run, content, "undo")
    assert cli(run, content, "undo").stderr.startswith("error: nothing to undo")


def test_yesterday_and_dates_checked(run, content):
    use_small(run, content)
    result = cli(run, content, "done", "read-a", "--yesterday", "--json")
    logged = json.loads(result.stdout)
    import datetime as dt

    assert logged["day"] < dt.date.today().isoformat() and logged["minutes"] == 40
    assert cli(run, content, "done", "watch-b", "--date", "2999-01-01").exit_code == 2
    both = cli(run, content, "done", "watch-b", "--yesterday", "--date", MONDAY)
    assert both.exit_code == 2 and "not both" in both.stderr


def test_skip_and_unknown_task(run, content):
    use_small(run, content)
    assert cli(run, content, "skip", "read-a").exit_code == 0
    shown = json.loads(cli(run, content, "roadmap", "show", "--json").stdout)
    assert shown["phases"][0]["tasks"][0]["status"] == "skipped"
    bad = cli(run, content, "done", "read-b")
    assert (
        bad.exit_code == 2 and bad.stderr.startswith("error: no task 'read-b'") and "Did you mean: read-a" in bad.stderr
    )
    assert cli(run, content, "done", "watch-b", "--partial").exit_code == 2


def test_plan_week_is_the_start_of_the_projection(run, content):
    use_small(run, content)
    result = cli(run, content, "plan", "--week", "--date", MONDAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Mon 23 Nov") and any(line.startswith("Sun 29 Nov") for line in lines)
    assert "Read A" in lines[1]
    days = json.loads(cli(run, content, "plan", "--days", "3", "--json", "--date", MONDAY).stdout)
    assert [d["day"] for d in days] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    ahead = json.loads(cli(run, content, "plan", "--days", "30", "--json", "--date", MONDAY).stdout)
    last = max(d["day"] for d in ahead if d["tasks"] or any(t["minutes_today"] for t in d["deck_tasks"]))
    assert ahead[0]["forecast"]["finish_at_budget"] == last
    assert plan_on(run, content)["forecast"]["finish_at_budget"] == last


def test_roadmap_show_marks_progress_and_gives_the_guidance(run, content):
    write(
        content / "schedule" / "guided.yaml",
        """
        id: guided
        title: Guided
        budget: {weekday: 60, weekend: 180}
        phases:
          - id: first
            title: First
            title_zh: 第一阶段
            goal: Learn the first things first.
            tasks:
              - id: book
                title: A book
                title_zh: 一本书
                kind: read
                minutes: 120
                url: https://example.org/book
                notes: Read only ch 1, 2, 4, 5, 6, 8.
                parts: [ch 1, ch 2, ch 4, ch 5, ch 6, ch 8]
              - {id: extra, title: Extra, kind: watch, minutes: 60, optional: true, slot: weekend}
        """,
    )
    assert cli(run, content, "roadmap", "use", "guided", "--start", MONDAY).exit_code == 0
    cli(run, content, "done", "book", "--minutes", "30", "--partial", "--date", MONDAY)
    text = cli(run, content, "roadmap", "show").stdout
    assert "Goal: Learn the first things first." in text and "第一阶段" in text
    assert "[~] book: A book (read, 30/120 min, ready)" in text
    assert "一本书" in text and "https://example.org/book" in text and "Read only ch 1, 2, 4, 5, 6, 8." in text
    assert "parts: ch 1, ch 2, ch 4, ch 5, ch 6, ch 8" in text
    assert "[ ] extra: Extra (watch, 60 min, optional, weekends, ready)" in text
    assert "studied today 30 min, 30 left" in cli(run, content, "today", "--plain", "--date", MONDAY).stdout
    today = cli(run, content, "today", "--plain", "--date", "2026-11-24").stdout
    assert "Goal: Learn the first things first." in today and "一本书" in today
    assert "Read only ch 1, 2, 4, 5, 6, 8." in today and "https://example.org/book" in today
    task = plan_on(run, content, "2026-11-24")["tasks"][0]
    assert task["notes"].startswith("Read only") and task["title_zh"] == "一本书" and task["url"]
    assert task["phase_goal"] == "Learn the first things first." and task["parts"] == "ch 2 (cont.), ch 4, ch 5"


def test_day_off_from_settings(run, content, studyctl_home):
    use_small(run, content)
    settings = (studyctl_home / "settings.yaml").read_text()
    (studyctl_home / "settings.yaml").write_text(settings.replace("days_off: []", "days_off: [2026-11-24]"))
    result = cli(run, content, "today", "--plain", "--date", "2026-11-24")
    assert "Day off" in result.stdout


def test_start_and_deadline_are_kept_per_roadmap(run, content):
    assert cli(run, content, "roadmap", "use", "small", "--start", MONDAY, "--deadline", "2026-12-20").exit_code == 0
    assert plan_on(run, content)["forecast"]["deadline"] == "2026-12-20"
    cli(run, content, "roadmap", "use", "nlp-90-days", "--start", "2026-11-01")
    back = cli(run, content, "roadmap", "use", "small")
    assert "started 2026-11-23, deadline 2026-12-20" in back.stdout
    assert plan_on(run, content)["forecast"]["deadline"] == "2026-12-20"


def test_deck_tasks_are_open_when_roadmap_show_is_the_first_command(run, studyctl_home):
    """On a fresh home `roadmap show` comes before any review: the decks are read first, so a
    deck task is open (not finished because no deck was known yet), in the CLI and the TUI's view."""
    shown = json.loads(run("roadmap", "show", "nlp-90-days", "--json").stdout)
    decks = [task for phase in shown["phases"] for task in phase["tasks"] if task["kind"] == "deck"]
    assert decks and all(task["status"] == "open" for task in decks)
