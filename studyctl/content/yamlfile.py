"""Read YAML while remembering the line of every mapping key and list item.

PyYAML throws line numbers away once it builds Python objects; validation messages need
them, so mappings become `LineDict` and sequences `LineList`, which carry them along.
Duplicate keys, which PyYAML silently lets the last one win, are reported as errors.

The loader is stricter than PyYAML's safe one, because content is written by hand and read
by every command: a value that looks like a date or a time (`2026-02-30`, `10:30`) stays the
text it was written as (the fields that want a date parse it, see `fields.py`, so one
impossible date is a file:line message, not a crash); only plain JSON-like values are made
(no `!!binary`, `!!set`, `!!timestamp`); and aliases are limited in number, in nesting and
in how much they expand, so a few hundred bytes can't become gigabytes (an "alias bomb").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from studyctl.content.issues import ContentError, Issue
from studyctl.i18n import _

if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:  # the C parser is several times faster; construction stays in Python either way
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_ALIASES = 1000  # alias uses in one file; real content uses a handful
MAX_DEPTH = 64  # nesting of mappings and lists; real content nests about 5 deep
# What a file may expand to through aliases, in characters of scalar text (plus one per node):
# this many times the file's own length, plus a small allowance. A file without aliases is its
# own size; a bomb is thousands of times larger.
EXPANSION_FACTOR = 10
EXPANSION_ALLOWANCE = 100_000


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


def _plain_resolvers() -> dict:
    """PyYAML's implicit resolvers without timestamps (dates stay text), without base-60
    numbers (`10:30` is a time, not 630) and without the `=` value tag nobody means."""
    int_plain = re.compile(
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    )
    float_plain = re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    )
    replaced = {"tag:yaml.org,2002:int": int_plain, "tag:yaml.org,2002:float": float_plain}
    dropped = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"}
    resolvers: dict = {}
    for first, entries in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        kept = [(tag, replaced.get(tag, regexp)) for tag, regexp in entries if tag not in dropped]
        if kept:
            resolvers[first] = kept
    return resolvers


class _LineLoader(_BaseLoader):
    duplicate_keys: list
    yaml_implicit_resolvers = _plain_resolvers()

    def construct_object(self, node, deep=False):
        """Any failure to build a value (`!!int abc`, a 5,000-digit number) names its line."""
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, _("cannot read this value ({reason})").format(reason=exc), node.start_mark
            ) from None

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, _("a mapping key must be a plain value"), key_node.start_mark
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

    def construct_as_written(self, node):
        """A scalar whose tag is resolved but has no plain meaning (`<<` as a value): its text."""
        return self.construct_scalar(node)

    def refuse_tag(self, node):
        raise yaml.constructor.ConstructorError(
            None,
            None,
            _("the tag {tag} is not supported here").format(tag=node.tag.replace("tag:yaml.org,2002:", "!!")),
            node.start_mark,
        )


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:merge", _LineLoader.construct_as_written)
_LineLoader.add_constructor("tag:yaml.org,2002:value", _LineLoader.construct_as_written)
for _tag in ("binary", "timestamp", "set", "omap", "pairs"):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _LineLoader.refuse_tag)


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def check_expansion(root: yaml.Node | None, text_length: int) -> None:
    """Refuse a node graph whose aliases are too many, nest too deep, refer to themselves, or
    expand far beyond the text: walked once, each shared node measured once (so the check of a
    bomb is as quick as the bomb is short). Raises _TooBig(line, message)."""
    limit = EXPANSION_FACTOR * text_length + EXPANSION_ALLOWANCE
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    aliases = 0

    def size(node: yaml.Node, depth: int, line: int) -> int:
        nonlocal aliases
        key = id(node)
        if key in open_nodes:
            raise _TooBig(line, _("an alias refers to the mapping or list that contains it"))
        if key in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooBig(line, _("more than {count} aliases (*name)").format(count=MAX_ALIASES))
            return sizes[key]
        own_line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise _TooBig(own_line, _("nested more than {count} levels deep").format(count=MAX_DEPTH))
        if isinstance(node, yaml.ScalarNode):
            total = len(node.value) + 1
        else:
            open_nodes.add(key)
            total = 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    key_line = key_node.start_mark.line + 1
                    total += size(key_node, depth + 1, key_line) + size(value_node, depth + 1, key_line)
            else:
                for child in node.value:
                    total += size(child, depth + 1, own_line if id(child) in sizes else child.start_mark.line + 1)
            open_nodes.discard(key)
        sizes[key] = total
        if total > limit:
            raise _TooBig(
                line,
                _(
                    "aliases expand this file to more than {limit:,} characters"
                    " ({factor}x its size): write the text out, or use fewer aliases"
                ).format(limit=limit, factor=EXPANSION_FACTOR),
            )
        return total

    if root is not None:
        size(root, 0, root.start_mark.line + 1)


def parse_yaml(text: str, path: Path):
    """Parse YAML text into LineDict/LineList values; raise ContentError with file:line."""
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        node = loader.get_single_node()
        check_expansion(node, len(text))
        data = loader.construct_document(node) if node is not None else None
    except _TooBig as exc:
        raise ContentError([Issue(path, exc.line, _("YAML refused: {reason}").format(reason=exc))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or _("invalid YAML")
        raise ContentError([Issue(path, line, _("YAML syntax error: {problem}").format(problem=problem))]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Issue(path, None, _("YAML error: {reason}").format(reason=exc))]) from None
    except RecursionError:
        raise ContentError([Issue(path, None, _("YAML refused: nested too deeply"))]) from None
    finally:
        loader.dispose()
    if loader.duplicate_keys:
        raise ContentError(
            [Issue(path, line, _("duplicate key {key}").format(key=repr(key))) for line, key in loader.duplicate_keys]
        )
    return data


def read_yaml(path: Path):
    """Read and parse one YAML file; unreadable or non-UTF-8 files become ContentError. Only a
    regular file is read: a named pipe would block forever, a device would never end."""
    try:
        text = read_regular_file(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Issue(path, None, _("not UTF-8 text ({reason})").format(reason=exc.reason))]) from None
    except NotARegularFile as exc:
        raise ContentError([Issue(path, None, _("cannot read: {reason}").format(reason=exc))]) from None
    except OSError as exc:
        raise ContentError([Issue(path, None, _("cannot read: {reason}").format(reason=exc.strerror or exc))]) from None
    return parse_yaml(text, path)


class NotARegularFile(Exception):
    pass


def read_regular_file(path: Path) -> bytes:
    """The bytes of `path`, opened without blocking and checked to be a regular file first."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(
                _("a folder") if stat.S_ISDIR(mode) else _("not a regular file (a pipe or a device?)")
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)
