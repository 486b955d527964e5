"""Finds user-facing string literals that are not marked for translation.

A literal counts as user-facing when it holds a word (two letters or more) and either a space or
a capital letter: "Nothing to review." or "Done", but not "bold", "today" or "--plain". It is
marked when it sits inside `_()`, `ngettext()` or `N_()`. Literals in places users never read
are exempt: docstrings (the command docstrings are extracted by studyctl.i18n_extract), dictionary
keys, subscripts, comparisons, the arguments of calls that take names rather than words (styles,
widget ids and classes, regular expressions, environment variables...), Textual CSS, and any line
ending in `# i18n: not shown` (say why in the code around it).
"""

from __future__ import annotations

import ast
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

MARKERS = {"_", "ngettext", "N_", "pgettext"}
WORDY = re.compile(r"[A-Za-z]{2,}")
NOT_SHOWN = "# i18n: not shown"

# Keyword arguments that take names, styles or code, never words shown to the user.
NAME_KEYWORDS = {
    "style",
    "id",
    "classes",
    "name",
    "key",
    "action",
    "variant",
    "metavar",
    "envvar",
    "type",
    "prog_name",
    "format",
    "fmt",
    "encoding",
    "errors",
    "mode",
    "sep",
    "end",
    "justify",
    "overflow",
    "group",
    "key_display",
    "default_value",
    "border_style",
    "title_align",
    "box",
    "header_style",
    "row_style",
    "pattern",
    "flags",
    "cwd",
    "executable",
    "shell",
    "dest",
    "scope",
    "theme",
    "language",
    "lexer",
    "extension",
    "suffix",
    "prefix",
    "field",
    "css",
    "selector",
    "expect",
    "path",
    "command",
    "dist",
    "glob",
}
# Calls whose string arguments are names, paths, patterns or data, never words.
NAME_CALLS = {
    "getattr",
    "hasattr",
    "setattr",
    "delattr",
    "isinstance",
    "import_module",
    "__import__",
    "query",
    "query_one",
    "query_children",
    "add_class",
    "remove_class",
    "toggle_class",
    "set_class",
    "has_class",
    "set_classes",
    "strftime",
    "strptime",
    "compile",
    "match",
    "search",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "rsplit",
    "findall",
    "finditer",
    "escape",
    "startswith",
    "endswith",
    "get",
    "pop",
    "setdefault",
    "getenv",
    "Path",
    "open",
    "run",
    "Popen",
    "check_output",
    "call",
    "execute",
    "executemany",
    "select",
    "parse",
    "from_markup",
    "debug",
    "info",
    "warning",
    "exception",
    "log",
    "Style",
    "Color",
    "parse_style",
    "encode",
    "decode",
    "removeprefix",
    "removesuffix",
    "replace",
    "strip",
    "lstrip",
    "rstrip",
    "count",
    "index",
    "find",
    "rfind",
    "partition",
    "rpartition",
    "with_suffix",
    "joinpath",
    "glob",
    "rglob",
    "dumps",
    "loads",
    "load_yaml",
    "fetchone",
    "fetchall",
    "bind",
    "watch",
    "set_interval",
    "set_timer",
    "call_later",
    "post_message",
    "run_worker",
    "Choice",
    "DateTime",
    "register",
    "TypeVar",
    "cast",
    "field",
    "namedtuple",
    "Binding",
}
# Class-level assignments that hold Textual CSS or ids.
CSS_NAMES = {"CSS", "DEFAULT_CSS", "CSS_PATH", "ID", "COMPONENT_CLASSES", "SCOPED_CSS"}


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def user_facing(text: str) -> bool:
    return bool(WORDY.search(text)) and (" " in text.strip() or text.strip()[:1].isupper())


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _skipped_lines(source: str, path: Path) -> set[int]:
    lines = set()
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.COMMENT and token.string.startswith(NOT_SHOWN):
                lines.add(token.start[0])
    return lines


class _Finder(ast.NodeVisitor):
    """Walks a module, skipping the exempt places, collecting literals that hold words."""

    def __init__(self, path: Path, skipped_lines: set[int]):
        self.path = path
        self.skipped_lines = skipped_lines
        self.found: list[Unmarked] = []

    # places that are exempt as a whole
    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in MARKERS:
            return
        self.visit(node.func)
        for arg in node.args:
            if name not in NAME_CALLS:
                self.visit(arg)
        for keyword in node.keywords:
            if name == "Binding":
                if keyword.arg == "description":
                    self.visit(keyword.value)
            elif name not in NAME_CALLS and keyword.arg not in NAME_KEYWORDS:
                self.visit(keyword.value)
        if name == "Binding" and len(node.args) >= 3:
            self.visit(node.args[2])  # Binding(key, action, description)

    def visit_Dict(self, node: ast.Dict) -> None:
        for value in node.values:
            self.visit(value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)

    def visit_Compare(self, node: ast.Compare) -> None:
        return

    def visit_Assert(self, node: ast.Assert) -> None:
        return

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id in CSS_NAMES for t in node.targets):
            return
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id in CSS_NAMES:
            return
        self.generic_visit(node)

    def _body(self, body: list[ast.stmt]) -> None:
        start = 1 if body and isinstance(body[0], ast.Expr) and _literal_text(body[0].value) is not None else 0
        for statement in body[start:]:
            self.visit(statement)

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._body(node.body)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._body(node.body)

    def visit_Constant(self, node: ast.Constant) -> None:
        self._check(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._check(node)

    def _check(self, node: ast.Constant | ast.JoinedStr) -> None:
        text = _literal_text(node)
        if text is None or not user_facing(text):
            return
        last = getattr(node, "end_lineno", node.lineno) or node.lineno
        if any(line in self.skipped_lines for line in range(node.lineno, last + 1)):
            return
        self.found.append(Unmarked(self.path, node.lineno, text))


def unmarked_strings(path: Path) -> list[Unmarked]:
    """The user-facing literals of one module that are not marked for translation."""
    source = path.read_text(encoding="utf-8")
    finder = _Finder(path, _skipped_lines(source, path))
    finder.visit(ast.parse(source, filename=str(path)))
    return finder.found


def unmarked_in(folders: list[Path]) -> list[Unmarked]:
    return [found for folder in folders for path in sorted(folder.rglob("*.py")) for found in unmarked_strings(path)]


if __name__ == "__main__":  # python tests/i18n_support.py studyctl/cli studyctl/tui ...
    import sys

    results = unmarked_in([Path(arg) for arg in sys.argv[1:]])
    for found in results:
        print(found)
    print(f"{len(results)} unmarked", file=sys.stderr)
    sys.exit(1 if results else 0)
