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
