"""The one error type for what the user can fix: bad input, a missing item, a damaged file.

Every layer raises a `StudyctlError` (or a subclass) with a message that says what is wrong and
what to do; the CLI turns it into `error: ...` on stderr and exit code 2, the TUI into a
notification. Anything else that escapes is a bug, and shows as one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

EXIT_BAD_INPUT = 2
SHORT_LIST = 12  # up to this many, a "no such item" message names them all


class StudyctlError(Exception):
    """Bad input or state the user can fix; `lines()` is what to show them."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        return [f"error: {line}" for line in str(self).splitlines() or [""]]


class NotFound(StudyctlError, LookupError):
    """No deck, roadmap, task, lab or card of that id; names the closest ones there are."""

    def __init__(self, kind: str, name: str, known: Iterable[str] = (), *, where: str = "", listing: str = ""):
        self.kind, self.name = kind, name
        message = f"no {kind} '{name}'" + (f" in {where}" if where else "")
        known = sorted(known)
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        if close:
            message += f". Did you mean: {', '.join(close)}?"
        elif 0 < len(known) <= SHORT_LIST:
            message += f"; there are: {', '.join(known)}"
        elif listing:
            message += f"; `{listing}` lists them"
        super().__init__(message)
