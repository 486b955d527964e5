"""Read YAML while remembering the line of every mapping key and list item.

PyYAML throws line numbers away once it builds Python objects; validation messages need
them, so mappings become `LineDict` and sequences `LineList`, which carry them along.
Duplicate keys, which PyYAML silently lets the last one win, are reported as errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from studyctl.content.issues import ContentError, Issue

if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:  # the C parser is several times faster; construction stays in Python either way
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A dict that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(_BaseLoader):
    duplicate_keys: list

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            line = key_node.start_mark.line + 1
            if key in mapping:
                self.duplicate_keys.append((line, key))
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line
        return mapping

    def construct_sequence(self, node, deep=False):
        items = LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def parse_yaml(text: str, path: Path):
    """Parse YAML text into LineDict/LineList values; raise ContentError with file:line."""
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError([Issue(path, line, f"YAML syntax error: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Issue(path, None, f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if loader.duplicate_keys:
        raise ContentError([Issue(path, line, f"duplicate key {key!r}") for line, key in loader.duplicate_keys])
    return data


def read_yaml(path: Path):
    """Read and parse one YAML file; unreadable or non-UTF-8 files become ContentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Issue(path, None, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ContentError([Issue(path, None, f"cannot read: {exc.strerror}")]) from None
    return parse_yaml(text, path)
