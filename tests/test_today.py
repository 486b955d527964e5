"""`studyctl today`: the plan in text and JSON, first run, broken files, overrides."""

import json

from conftest import write


def test_first_run_prints_the_default_roadmap_plan_and_starts_it(run, studyctl_home):
    result = run("today", "--plain")
    assert result.exit_code == 0, result.output
    assert "NLP in 90 days" in result.stdout and "(day 1)" in result.stdout
    assert "reviews due" in result.stdout and "new cards" in result.stdout
    assert "Starting roadmap 'nlp-90-days' today" in result.stderr
    assert not (studyctl_home / "settings.yaml").exists()  # a read never rewrites the user's settings
    again = run("today", "--plain")
    assert "Starting roadmap" not in again.stderr and "(day 1)" in again.stdout


def test_non_terminal_stdout_means_plain_text(run):
    result = run("today")  # CliRunner's stdout is not a terminal
    assert result.exit_code == 0
    assert "Tasks" in result.stdout and "Forecast" in result.stdout


def test_json_plan_has_cards_tasks_and_forecast(run, content):
    run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23")
    result = run("--content", str(content), "today", "--json", "--date", "2026-11-23")  # a Monday
    plan = json.loads(result.stdout)
    assert plan["roadmap_id"] == "small"
    assert plan["budget_minutes"] == 60
    assert plan["new_available"] == 5  # the roadmap's deck task unlocks 'good' (its cloze card makes two)
    # the queue shows 4 of them today: the cloze's second deletion waits for another day (siblings)
    assert plan["deck_tasks"][0]["id"] == "deck-d" and plan["new_from"] == {"good": 4}
    assert [t["id"] for t in plan["tasks"]] == ["read-a"]  # the rest waits for read-a
    assert plan["forecast"]["deadline"] == "2026-12-06"
    assert plan["studied_minutes"] == 0 and plan["left_minutes"] == 60


def test_own_decks_give_new_cards_beside_the_roadmaps(run, content, studyctl_home):
    write(
        content / "decks" / "mine.yaml",
        "id: mine\ntitle: Mine\ncards:\n  - {id: a, type: basic, front: A?, back: A.}\n",
    )
    run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23")
    plan = json.loads(run("--content", str(content), "today", "--json", "--date", "2026-11-23").stdout)
    # the roadmap's unlocked deck (4 of its 5 today: a cloze sibling waits) and your own; no built-in one
    assert plan["new_from"] == {"good": 4, "mine": 1}
    from studyctl.service.home import Home
    from studyctl.service.today import new_card_source

    home = Home(extra_roots=(content,))
    source = new_card_source(home)
    assert source.new_decks == {"good", "mine"} and source.deck_order == ("good", "mine")
    home.close()


def test_weekend_budget_and_minutes_override(run, content):
    run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23")
    saturday = json.loads(run("--content", str(content), "today", "--json", "--date", "2026-11-28").stdout)
    assert saturday["budget_minutes"] == 180
    short = json.loads(
        run("--content", str(content), "today", "--json", "--date", "2026-11-28", "--minutes", "30").stdout
    )
    assert short["budget_minutes"] == 30


def test_broken_deck_is_reported_and_the_others_still_load(run, content):
    write(content / "decks" / "broken.yaml", "id: broken\ntitle: [oops\n")
    result = run("--content", str(content), "today", "--json")
    assert result.exit_code == 0
    assert "broken.yaml:" in result.stderr and "run `studyctl validate`" in result.stderr
    decks = json.loads(run("--content", str(content), "decks", "--json").stdout)
    assert "good" in [deck["id"] for deck in decks]


def test_broken_settings_file_is_refused_with_file_line(run, studyctl_home):
    write(studyctl_home / "settings.yaml", "roadmap: nlp-90-days\nnew_cards_per_day: lots\n")
    result = run("today", "--plain")
    assert result.exit_code == 2
    assert "settings.yaml:2: error: settings: 'new_cards_per_day' should be a whole number" in result.stderr


def test_unknown_roadmap_still_plans_cards(run, studyctl_home):
    write(studyctl_home / "settings.yaml", "roadmap: no-such-plan\nstart_date: 2026-11-01\n")
    result = run("today", "--plain")
    assert result.exit_code == 0
    assert "no roadmap 'no-such-plan'" in result.stderr
    assert "reviews due" in result.stdout


def test_gather_hands_the_review_queue_the_decks_new_cards_come_from(run, content):
    from studyctl.service.home import Home
    from studyctl.service.today import gather

    run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23")
    home = Home(extra_roots=(content,))
    inputs = gather(home)
    assert inputs.deck_order == ("good",) and inputs.new_decks == {"good"}  # built-in decks stay locked
    home.close()
