from pathlib import Path

import pytest

from studyctl.content.issues import ContentError
from studyctl.content.yamlfile import parse_yaml

PATH = Path("x.yaml")


def test_mappings_and_lists_remember_their_lines():
    data = parse_yaml("a: 1\nitems:\n  - x\n  - {k: v}\nb: 2\n", PATH)
    assert data.line_of("a") == 1
    assert data.line_of("b") == 5
    assert data["items"].line_of(0) == 3
    assert data["items"].line_of(1) == 4
    assert data["items"][1].line == 4


def test_syntax_error_names_the_line():
    with pytest.raises(ContentError) as caught:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", PATH)
    (issue,) = caught.value.issues
    assert issue.line == 3
    assert str(issue).startswith("x.yaml:3: error: YAML syntax error")


def test_duplicate_keys_are_errors_not_silently_overwritten():
    with pytest.raises(ContentError) as caught:
        parse_yaml("id: a\ntitle: t\nid: b\n", PATH)
    assert [(i.line, i.message) for i in caught.value.issues] == [(3, "duplicate key 'id'")]


def test_dates_and_times_stay_the_text_they_were_written_as():
    """Issue 19 item 2: PyYAML made `2026-02-30` a date and raised; `10:30` became 630."""
    data = parse_yaml("a: 2026-02-30\nb: 2026-01-01\nc: 10:30\nd: 2026-01-01 10:00:00\ne: =\nf: 1.5\ng: 12\n", PATH)
    assert data == {
        "a": "2026-02-30",
        "b": "2026-01-01",
        "c": "10:30",
        "d": "2026-01-01 10:00:00",
        "e": "=",
        "f": 1.5,
        "g": 12,
    }


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("a: 1\nb: !!binary aGVsbG8=\n", 2, "!!binary is not supported"),
        ("a: !!timestamp 2026-02-30\n", 1, "!!timestamp is not supported"),
        ("a:\n  - !!set {x: null}\n", 2, "!!set is not supported"),
        ("a: 1\nb: !!int abc\n", 2, "cannot read this value"),
        ("a: " + "9" * 5000 + "\n", 1, "cannot read this value"),
    ],
    ids=["binary", "timestamp", "set", "bad-int", "huge-int"],
)
def test_values_json_cannot_hold_are_refused_with_their_line(text, line, expected):
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, PATH)
    (issue,) = caught.value.issues
    assert issue.line == line and expected in issue.message


def alias_bomb(levels: int) -> str:
    """The "billion laughs": each level lists the one before nine times."""
    lines = ["id: bomb", "title: Bomb", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_its_line_without_expanding_it():
    """Issue 19 item 3: 9 levels ran 113 s to a MemoryError. Refused before anything is built
    (the check measures each shared node once; expanded, this would be 387 million items)."""
    with pytest.raises(ContentError) as caught:
        parse_yaml(alias_bomb(9), PATH)
    (issue,) = caught.value.issues
    assert "aliases expand this file" in issue.message
    assert issue.line is not None and 4 <= issue.line <= 12


def test_too_many_aliases_a_self_reference_and_deep_nesting_are_refused():
    many = "a: &a x\nb: [" + ", ".join(["*a"] * 1001) + "]\n"
    with pytest.raises(ContentError, match="more than 1000 aliases"):
        parse_yaml(many, PATH)
    with pytest.raises(ContentError, match="refers to the mapping or list that contains it"):
        parse_yaml("a: &a [1, *a]\n", PATH)
    with pytest.raises(ContentError, match="nested more than 64 levels"):
        parse_yaml("[" * 100 + "]" * 100, PATH)


def test_ordinary_aliases_and_merge_keys_still_work():
    data = parse_yaml("base: &b {minutes: 30, kind: read}\ntasks:\n  - <<: *b\n    id: one\n  - *b\n", PATH)
    assert data["tasks"] == [{"minutes": 30, "kind": "read", "id": "one"}, {"minutes": 30, "kind": "read"}]
    assert data["tasks"].line_of(0) == 3
