"""done, skip, plan --week and roadmap show, through the CLI on the small roadmap."""

import json


def use_small(run, content):
    assert run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23").exit_code == 0


def test_done_moves_the_plan_on(run, content):
    use_small(run, content)
    before = json.loads(run("--content", str(content), "today", "--json", "--date", "2026-11-23").stdout)
    assert [t["id"] for t in before["tasks"]] == ["read-a"]
    result = run("--content", str(content), "done", "read-a")
    assert result.exit_code == 0 and "Done: Read A" in result.stdout
    after = json.loads(run("--content", str(content), "today", "--json", "--date", "2026-11-23").stdout)
    assert after["lab"]["id"] == "lab-c"  # unlocked by read-a, and labs come first
    assert after["forecast"]["minutes_left"] == before["forecast"]["minutes_left"] - 40


def test_partial_progress_on_a_long_task(run, content):
    use_small(run, content)
    run("--content", str(content), "done", "read-a")
    result = run("--content", str(content), "done", "watch-b", "--minutes", "120", "--partial")
    assert "120 of about 300 min" in result.stdout
    saturday = json.loads(run("--content", str(content), "today", "--json", "--date", "2026-11-28").stdout)
    watch = next(t for t in saturday["tasks"] if t["id"] == "watch-b")
    assert watch["minutes_done"] == 120 and watch["minutes_today"] == 180 - 45 - saturday["new_minutes"]


def test_skip_and_unknown_task(run, content):
    use_small(run, content)
    assert run("--content", str(content), "skip", "read-a").exit_code == 0
    shown = json.loads(run("--content", str(content), "roadmap", "show", "--json").stdout)
    assert shown["phases"][0]["tasks"][0]["status"] == "skipped"
    bad = run("--content", str(content), "done", "read-b")
    assert (
        bad.exit_code == 2 and bad.stderr.startswith("error: no task 'read-b'") and "Did you mean: read-a" in bad.stderr
    )
    assert run("--content", str(content), "done", "watch-b", "--partial").exit_code == 2


def test_plan_week(run, content):
    use_small(run, content)
    result = run("--content", str(content), "plan", "--week", "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Mon 23 Nov") and any(line.startswith("Sun 29 Nov") for line in lines)
    assert "Read A" in lines[1]
    days = json.loads(run("--content", str(content), "plan", "--days", "3", "--json", "--date", "2026-11-23").stdout)
    assert [d["day"] for d in days] == ["2026-11-23", "2026-11-24", "2026-11-25"]


def test_roadmap_show_marks_progress(run, content):
    use_small(run, content)
    run("--content", str(content), "done", "read-a")
    run("--content", str(content), "done", "watch-b", "--minutes", "30", "--partial")
    text = run("--content", str(content), "roadmap", "show").stdout
    assert "[x] read-a" in text and "[~] watch-b" in text and "30/300 min" in text and "[ ] deck-d" in text


def test_day_off_from_settings(run, content, studyctl_home):
    use_small(run, content)
    settings = (studyctl_home / "settings.yaml").read_text()
    (studyctl_home / "settings.yaml").write_text(settings.replace("days_off: []", "days_off: [2026-11-24]"))
    result = run("--content", str(content), "today", "--plain", "--date", "2026-11-24")
    assert "Day off" in result.stdout
