"""`studyctl validate` and the loaders' file:line messages for broken content."""

import json

from conftest import write


def issues_of(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line or ": warning: " in line]


def test_clean_content_exits_zero(run, content):
    result = run("validate", str(content))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stderr


def test_syntax_error_gives_file_line_and_exit_2(run, tmp_path):
    path = write(tmp_path / "decks" / "bad.yaml", "id: bad\ntitle: Bad\ncards:\n  - id: x\n    front: [unclosed\n")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert issues_of(result)[0].startswith(f"{path}:")
    assert "YAML syntax error" in result.stdout


def test_missing_field_names_card_and_line(run, tmp_path):
    path = write(
        tmp_path / "decks" / "bad.yaml",
        """
        id: bad
        title: Bad
        cards:
          - id: ok
            type: basic
            front: Q
            back: A
          - id: no-back
            type: basic
            front: Q2
        """,
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:8: error: card 'no-back': missing required field 'back'" in result.stdout


def test_wrong_type_says_what_was_expected(run, tmp_path):
    path = write(
        tmp_path / "decks" / "bad.yaml",
        """
        id: bad
        title: Bad
        cards:
          - id: c
            type: choice
            front: Q
            choices: just one string? no, a number
            answer: 3
          - id: t
            type: basic
            front: {not: text}
            back: A
        """,
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:11: error: card 't': 'front' should be a string, got a mapping" in result.stdout
    assert "'answer' '3' should be exactly one of the choices" in result.stdout


def test_duplicate_card_id_points_at_both_lines(run, tmp_path):
    path = write(
        tmp_path / "decks" / "dup.yaml",
        """
        id: dup
        title: Dup
        cards:
          - {id: same, type: basic, front: A, back: B}
          - {id: same, type: basic, front: C, back: D}
        """,
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:5: error: duplicate card id 'same' (first used on line 4)" in result.stdout


def test_roadmap_cycle_and_unknown_dependency(run, tmp_path):
    path = write(
        tmp_path / "schedule" / "loop.yaml",
        """
        id: loop
        title: Loop
        phases:
          - id: p
            title: P
            tasks:
              - {id: a, title: A, kind: read, minutes: 10, after: [b]}
              - {id: b, title: B, kind: read, minutes: 10, after: [a]}
              - {id: c, title: C, kind: read, minutes: 10, after: [nowhere]}
              - {id: d, title: D, kind: lab}
        """,
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "dependency cycle" in result.stdout
    assert f"{path}:9: error: task 'c': 'after' names unknown task 'nowhere'" in result.stdout
    assert f"{path}:10: error: task 'd': missing required field 'lab'" in result.stdout


def test_forward_references_are_warnings(run, content):
    result = run("validate", "--json", str(content))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    warnings = [i["message"] for i in report["issues"] if i["severity"] == "warning"]
    assert any("names lab 'mlp-digits'" in w for w in warnings)
    assert not any("names deck 'good'" in w for w in warnings)  # that deck exists
    assert run("validate", "--strict", str(content)).exit_code == 2


def test_validate_without_arguments_checks_every_content_folder_and_settings(run, studyctl_home):
    write(studyctl_home / "settings.yaml", "roadmap: nlp-90-days\nrollover_hour: 30\n")
    result = run("validate")
    assert result.exit_code == 2
    assert f"{studyctl_home / 'settings.yaml'}:2: error: settings: 'rollover_hour' should be an hour" in result.stdout


def test_builtin_content_is_clean(run):
    result = run("validate", "--json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert [i for i in report["issues"] if i["severity"] == "error"] == []
    assert report["decks"] >= 1 and report["roadmaps"] >= 1


def test_a_broken_card_and_a_duplicate_id_are_reported_together(run, tmp_path):
    path = write(
        tmp_path / "decks" / "both.yaml",
        """
        id: both
        title: Both
        cards:
          - {id: a, type: typed, front: Q}
          - {id: a, type: basic, front: Q2, back: A}
        """,
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "missing required field 'answer'" in result.stdout
    assert f"{path}:5: error: duplicate card id 'a' (first used on line 4)" in result.stdout
