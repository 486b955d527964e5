"""The one error type for what the user can fix: bad input, a missing item, a damaged file.

Every layer raises a `StudyctlError` (or a subclass) with a message that says what is wrong and
what to do; the CLI turns it into `error: ...` on stderr and exit code 2, the TUI into a
notification. Anything else that escapes is a bug, and shows as one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from studyctl.i18n import N_, _

EXIT_BAD_INPUT = 2
SHORT_LIST = 12  # up to this many, a "no such item" message names them all

# What a NotFound is about, by kind (the kind itself stays an English id, for code and tests).
KINDS = {
    "deck": N_("deck"),
    "roadmap": N_("roadmap"),
    "task": N_("task"),
    "lab": N_("lab"),
    "card": N_("card"),
    "flagged card": N_("flagged card"),
}


class StudyctlError(Exception):
    """Bad input or state the user can fix; `lines()` is what to show them."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        return [_("error: {message}").format(message=line) for line in str(self).splitlines() or [""]]


class NotFound(StudyctlError, LookupError):
    """No deck, roadmap, task, lab or card of that id; names the closest ones there are."""

    def __init__(self, kind: str, name: str, known: Iterable[str] = (), *, where: str = "", listing: str = ""):
        self.kind, self.name = kind, name
        label = _(KINDS[kind]) if kind in KINDS else kind
        if where:
            message = _("no {kind} '{name}' in {where}").format(kind=label, name=name, where=where)
        else:
            message = _("no {kind} '{name}'").format(kind=label, name=name)
        known = sorted(known)
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        if close:
            message = _("{problem}. Did you mean: {names}?").format(problem=message, names=", ".join(close))
        elif 0 < len(known) <= SHORT_LIST:
            message = _("{problem}; there are: {names}").format(problem=message, names=", ".join(known))
        elif listing:
            message = _("{problem}; `{command}` lists them").format(problem=message, command=listing)
        super().__init__(message)
