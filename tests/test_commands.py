"""decks, roadmap list|use, doctor, --help, and `python -m studyctl`."""

import json
import subprocess
import sys

from conftest import write

from studyctl.settings import load_settings


def test_decks_lists_builtin_and_user_decks(run, content):
    result = run("--content", str(content), "decks")
    assert result.exit_code == 0
    assert "dl-fundamentals" in result.stdout and "good" in result.stdout
    decks = {d["id"]: d for d in json.loads(run("--content", str(content), "decks", "--json").stdout)}
    assert decks["good"]["cards"] == 5 and decks["good"]["new"] == 5 and decks["good"]["due"] == 0


def test_user_deck_with_a_builtin_name_replaces_it(run, studyctl_home):
    write(
        studyctl_home / "content" / "decks" / "dl-fundamentals.yaml",
        "id: dl-fundamentals\ntitle: My own\ncards:\n  - {id: a, type: basic, front: Q, back: A}\n",
    )
    decks = {d["id"]: d for d in json.loads(run("decks", "--json").stdout)}
    assert decks["dl-fundamentals"]["title"] == "My own" and decks["dl-fundamentals"]["cards"] == 1


def test_roadmap_list_marks_the_active_one(run, content):
    result = run("--content", str(content), "roadmap", "list")
    assert result.exit_code == 0
    assert "* nlp-90-days" in result.stdout and "  small: A small roadmap" in result.stdout
    rows = json.loads(run("--content", str(content), "roadmap", "list", "--json").stdout)
    assert {row["id"] for row in rows} >= {"nlp-90-days", "small"}


def test_roadmap_use_saves_roadmap_and_start(run, content, studyctl_home):
    result = run("--content", str(content), "roadmap", "use", "small", "--start", "2026-12-01")
    assert result.exit_code == 0, result.output
    settings = load_settings(studyctl_home / "settings.yaml")
    assert settings.roadmap == "small" and settings.start_date is None
    assert started(content, "small") == "2026-12-01"


def test_switching_roadmaps_and_back_keeps_each_start(run, content, studyctl_home):
    """The start (and so the day number and the deadline) belongs to the roadmap: following
    another one for a while and coming back doesn't restart the first."""
    assert run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-02").exit_code == 0
    assert run("--content", str(content), "roadmap", "use", "nlp-90-days", "--start", "2026-11-20").exit_code == 0
    back = run("--content", str(content), "roadmap", "use", "small")
    assert "started 2026-11-02" in back.stdout
    assert started(content, "small") == "2026-11-02" and started(content, "nlp-90-days") == "2026-11-20"
    plan = json.loads(run("--content", str(content), "today", "--json", "--date", "2026-11-09").stdout)
    assert plan["day_number"] == 8


def started(content, roadmap_id: str) -> str:
    from studyctl.service.home import Home

    home = Home(extra_roots=(content,))
    try:
        return home.state(f"roadmaps/{roadmap_id}")["start"]
    finally:
        home.close()


def test_roadmap_use_refuses_unknown_and_broken_roadmaps(run, content, studyctl_home):
    unknown = run("roadmap", "use", "nope")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("error: no roadmap 'nope'")
    write(content / "schedule" / "broken.yaml", "id: broken\ntitle: B\nphases: 3\n")
    result = run("--content", str(content), "roadmap", "use", "broken")
    assert result.exit_code == 2 and "broken.yaml:3: error" in result.stderr
    assert not (studyctl_home / "settings.yaml").exists()


def test_bad_date_option_is_a_usage_error(run):
    result = run("today", "--date", "23/11/2026")
    assert result.exit_code == 2 and "is not a date like" in result.stderr


def test_doctor_reports_python_torch_database_and_content(run):
    result = run("doctor", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["database"]["schema"] == report["database"]["expected_schema"]
    assert report["content"]["decks"] >= 1 and report["content"]["errors"] == []
    torch = report["torch"]
    assert torch["installed"] is False or "cpu" in torch["devices"]
    text = run("doctor").stdout
    assert "[ok  ] database" in text and "torch" in text


def test_doctor_fails_on_broken_content(run, content):
    write(content / "decks" / "bad.yaml", "id: bad\n")
    result = run("--content", str(content), "doctor")
    assert result.exit_code == 2
    assert "bad.yaml:1: error" in result.stdout


def test_python_dash_m_and_version(studyctl_home):
    proc = subprocess.run([sys.executable, "-m", "studyctl", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("studyctl, version")
