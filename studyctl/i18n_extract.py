"""A Babel extractor for the help click builds from command docstrings.

click takes a command's help from its function's docstring, which `_()` cannot wrap; the CLI
translates that help when it loads a command (cli.LazyGroup), and this extractor puts those
docstrings in the catalog (babel.cfg names it beside Babel's own Python extractor). Only used
by `pybabel extract`, never at run time.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from typing import IO, Any


def _is_click_command(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in {"command", "group"}


def extract_command_docstrings(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's own Python extraction (the `_()` calls), plus every click command's docstring."""
    import io

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            _is_click_command(d) for d in node.decorator_list
        ):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                help_text = inspect.cleandoc(docstring)
                yield node.lineno, "", help_text, ["click command help (the docstring of " + node.name + ")"]
