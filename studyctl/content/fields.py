"""Typed field access on parsed YAML mappings that records file:line issues instead of raising.

Loaders read every field through a `Fields` so that one pass reports all problems in a file
(a user fixing content wants the whole list, not one error per run).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from pathlib import Path
from typing import overload

from studyctl.content.issues import Issue
from studyctl.i18n import N_, _

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")  # \Z, not $: "hostile\n" is not a slug
# The dates studyctl plans with: wide enough for any study plan, narrow enough that adding a
# forecast's years or converting to a timestamp never overflows.
FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
LARGEST_COUNT = 1_000_000  # no count or duration in content or settings is anywhere near this

# Translated at use (`_(_TYPE_NAMES[kind])`): the table is built at import.
_TYPE_NAMES = {
    str: N_("a string"),
    int: N_("a whole number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a mapping"),
    bool: N_("true or false"),
    dt.date: N_("a date (YYYY-MM-DD)"),
}


def describe(value) -> str:
    """How a wrong value reads in a message: its YAML type and a short excerpt."""
    kind = {
        str: _("a string"),
        int: _("a number"),
        float: _("a number"),
        bool: _("a boolean"),
        type(None): _("nothing (null)"),
    }.get(type(value))
    if kind is None:
        kind = (
            _("a list")
            if isinstance(value, list)
            else _("a mapping")
            if isinstance(value, dict)
            else type(value).__name__
        )
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        excerpt = (text[:40] + "..." if len(text) > 40 else repr(text)) if isinstance(value, str) else text
        return _("{kind} ({value})").format(kind=kind, value=excerpt)
    return kind


def to_date(value) -> dt.date:
    """A date written as YYYY-MM-DD (YAML keeps it text: see yamlfile.py), checked to be a real
    day between FIRST_DATE and LAST_DATE. Raises ValueError with the reason."""
    if isinstance(value, dt.datetime):
        raise ValueError(_("a date and time; write the date alone (YYYY-MM-DD)"))
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and ISO_DATE.match(value.strip()):
        day = dt.date.fromisoformat(value.strip())  # ValueError: "month must be in 1..12"
    else:
        raise ValueError(_("not a date like 2026-09-13"))
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(_("outside {first} to {last}").format(first=FIRST_DATE, last=LAST_DATE))
    return day


def line_of(container, key) -> int | None:
    """Line of `key` inside a parsed container, or None for plain data (from the parse cache)."""
    finder = getattr(container, "line_of", None)
    return finder(key) if finder else None


class Fields:
    """Reads fields of one mapping, appending an Issue for each missing or mistyped one."""

    def __init__(self, data, path: Path, issues: list[Issue], what: str):
        self.data = data
        self.path = path
        self.issues = issues
        self.what = what

    def line(self, key: str | None = None) -> int | None:
        if key is not None and key in self.data:
            return line_of(self.data, key)
        return getattr(self.data, "line", None)

    def error(self, key: str | None, message: str) -> None:
        self.issues.append(Issue(self.path, self.line(key), message))

    def warn(self, key: str | None, message: str) -> None:
        self.issues.append(Issue(self.path, self.line(key), message, "warning"))

    def get(self, key: str, kind: type, *, required: bool = False, default=None):
        """The value of `key` if present and of `kind`; else record an issue and return default."""
        if key not in self.data or self.data[key] is None:
            if required:
                self.error(
                    None,
                    _("{label}: missing required field '{key}' ({kind})").format(
                        label=self.what, key=key, kind=_(_TYPE_NAMES[kind])
                    ),
                )
            return default
        value = self.data[key]
        if kind is dt.date:
            return self._date(key, value, default)
        if _matches(value, kind):
            return float(value) if kind is float else value
        self.error(
            key,
            _("{label}: '{key}' should be {kind}, got {value}").format(
                label=self.what, key=key, kind=_(_TYPE_NAMES[kind]), value=describe(value)
            ),
        )
        return default

    def _date(self, key: str, value, default):
        try:
            return to_date(value)
        except ValueError as exc:
            self.error(
                key,
                _("{label}: '{key}' should be {kind}, got {value}: {reason}").format(
                    label=self.what, key=key, kind=_(_TYPE_NAMES[dt.date]), value=describe(value), reason=exc
                ),
            )
            return default

    def dates(self, key: str) -> tuple[dt.date, ...]:
        """A list of dates (YYYY-MM-DD); each bad one is reported."""
        values = self.get(key, list, default=[])
        found = []
        for value in values:
            try:
                found.append(to_date(value))
            except ValueError as exc:
                self.error(
                    key,
                    _("{label}: '{key}' should be a list of dates (YYYY-MM-DD), got {value}: {reason}").format(
                        label=self.what, key=key, value=describe(value), reason=exc
                    ),
                )
        return tuple(found)

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # `title: 2048` is still a fine title
        return self.get(key, str, required=required, default=default)

    def slug(self, key: str, *, required: bool = True) -> str:
        value = self.get(key, str, required=required, default="")
        if value and not SLUG.fullmatch(value):
            self.error(
                key,
                _("{label}: '{key}' {value} should be a slug: lowercase letters, digits and '-'").format(
                    label=self.what, key=key, value=repr(value)
                ),
            )
        return value

    def strings(self, key: str) -> list[str]:
        """A list of strings; a single string is accepted as a one-item list."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
            return [str(item) for item in value]
        self.error(
            key,
            _("{label}: '{key}' should be a list of strings, got {value}").format(
                label=self.what, key=key, value=describe(value)
            ),
        )
        return []

    @overload
    def positive(self, key: str, *, required: bool = False, default: int, maximum: int = LARGEST_COUNT) -> int: ...
    @overload
    def positive(
        self, key: str, *, required: bool = False, default: None = None, maximum: int = LARGEST_COUNT
    ) -> int | None: ...
    def positive(
        self, key: str, *, required: bool = False, default: int | None = None, maximum: int = LARGEST_COUNT
    ) -> int | None:
        return self.whole(key, required=required, default=default, minimum=1, maximum=maximum)

    def whole(self, key: str, *, minimum: int, maximum: int, required: bool = False, default=None):
        """A whole number from `minimum` to `maximum` (a huge one would overflow a date or SQLite)."""
        value = self.get(key, int, required=required, default=default)
        if value is not None and not minimum <= value <= maximum:
            wanted = (
                _("a positive whole number up to {maximum:,}").format(maximum=maximum)
                if minimum == 1
                else _("a whole number from {minimum} to {maximum:,}").format(minimum=minimum, maximum=maximum)
            )
            self.error(
                key,
                _("{label}: '{key}' should be {kind}, got {value}").format(
                    label=self.what, key=key, kind=wanted, value=_short_number(value)
                ),
            )
            return default
        return value

    def unknown_keys(self, allowed: Collection[str], *, severity: str = "warning") -> None:
        """Report keys a loader ignores: usually a typo the user wants to hear about. Where a
        typo would silently change the plan (budget, settings), callers make it an error."""
        for key in self.data:
            if key not in allowed:
                report = self.warn if severity == "warning" else self.error
                report(
                    key,
                    _("{label}: unknown field '{key}' is ignored (expected one of: {keys})").format(
                        label=self.what, key=key, keys=", ".join(sorted(allowed))
                    ),
                )


def _short_number(value: int) -> str:
    text = str(value)
    return text if len(text) <= 20 else _("{start}...({count} digits)").format(start=text[:8], count=len(text))


def _matches(value, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)
