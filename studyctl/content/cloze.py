"""Cloze deletions parsed the way Anki parses them, nested and repeated ones included.

`{{c1::A {{c2::is all}} B}}` is a deletion c1 holding a nested deletion c2; `{{c1::a}} {{c1::b}}`
hides both on the one card c1. A `}}` with no open deletion is text, and so is an opening
`{{cN::` never closed (Anki shows it as typed); the deck loader refuses the latter with
file:line, since it is always a typo. A hint is what follows the first `::` in the deletion's
last piece of text: `{{c1::Paris::a city}}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")
MAX_DEPTH = 32


@dataclass(frozen=True)
class Deletion:
    ordinal: int
    children: tuple[Node, ...]
    hint: str = ""


Node = str | Deletion


@dataclass(frozen=True)
class Parsed:
    nodes: tuple[Node, ...]
    unclosed: tuple[str, ...] = ()  # the openings never closed, e.g. "{{c2::"

    @property
    def ordinals(self) -> list[int]:
        """Every deletion number, nested ones too, in order: the cards this text makes."""
        found: set[int] = set()

        def walk(nodes: tuple[Node, ...]) -> None:
            for node in nodes:
                if isinstance(node, Deletion):
                    found.add(node.ordinal)
                    walk(node.children)

        walk(self.nodes)
        return sorted(found)


def parse(text: str) -> Parsed:
    output: list[Node] = []
    stack: list[tuple[int, list[Node], str]] = []  # (ordinal, children, the opening as written)
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            _append(stack[-1][1] if stack else output, text[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            if len(stack) >= MAX_DEPTH:
                _append(stack[-1][1], match.group(0))
                continue
            stack.append((int(match.group(1)), [], match.group(0)))
            continue
        if not stack:
            _append(output, "}}")
            continue
        ordinal, children, _ = stack.pop()
        hint = ""
        if children and isinstance(children[-1], str) and "::" in children[-1]:
            children[-1], hint = children[-1].split("::", 1)
        deletion = Deletion(ordinal, tuple(child for child in children if child != ""), hint)
        (stack[-1][1] if stack else output).append(deletion)
    if position < len(text):
        _append(stack[-1][1] if stack else output, text[position:])
    unclosed = []
    while stack:  # never closed: the opening and everything after it are text again
        _, children, opening = stack.pop()
        unclosed.append(opening)
        target = stack[-1][1] if stack else output
        _append(target, opening)
        for child in children:
            if isinstance(child, str):
                _append(target, child)
            else:
                target.append(child)
    return Parsed(tuple(output), tuple(reversed(unclosed)))


def _append(nodes: list[Node], text: str) -> None:
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] += text
    else:
        nodes.append(text)


def question(text: str, ordinal: int) -> str:
    """The card's front: the active deletions hidden as [...] (or [hint]), nested ones with them."""
    return _render(parse(text).nodes, ordinal, lambda inner, hint: f"[{hint}]" if hint else "[...]")


def answer(text: str, ordinal: int, mark: Callable[[str], str] = lambda inner: f"[{inner}]") -> str:
    """The card's back: the whole text, the active deletions passed through `mark`."""
    return _render(parse(text).nodes, ordinal, lambda inner, hint: mark(inner))


def plain(text: str) -> str:
    """Every deletion shown, no markers: the sentence as written."""
    return _render(parse(text).nodes, -1, lambda inner, hint: inner)


def _render(nodes: tuple[Node, ...], ordinal: int, active: Callable[[str, str], str]) -> str:
    pieces = []
    for node in nodes:
        if isinstance(node, str):
            pieces.append(node)
        elif node.ordinal == ordinal:
            pieces.append(active(_render(node.children, -1, active), node.hint))
        else:
            pieces.append(_render(node.children, ordinal, active))
    return "".join(pieces)
