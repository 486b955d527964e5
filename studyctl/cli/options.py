"""Option bundles shared by several commands, as plain decorators; and the words for card types,
states and marks that several commands print."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from studyctl.i18n import N_, _

F = TypeVar("F", bound=Callable[..., Any])


def json_option(command: F) -> F:
    return click.option("--json", "json_", is_flag=True, help=_("Print JSON instead of text."))(command)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


class DateType(click.ParamType):
    name = _("YYYY-MM-DD")  # the metavar in --help (a class body runs after the language is chosen)

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from studyctl.content.fields import to_date

        try:
            return to_date(value)
        except ValueError as exc:  # "month must be in 1..12", "outside 1970-01-01 to 2999-12-31"
            self.fail(
                _("{value} is not a date like 2026-09-13 ({reason})").format(value=repr(value), reason=exc), param, ctx
            )


DATE = DateType()


# Card types, states and marks as people read them (the names themselves stay in --json, in
# --state and in the content files).
TYPE_LABELS = {"basic": N_("basic"), "cloze": N_("cloze"), "choice": N_("choice"), "typed": N_("typed")}
STATE_LABELS = {
    "new": N_("new"),
    "learning": N_("learning"),
    "review": N_("review"),
    "relearning": N_("relearning"),
    "cram": N_("cram"),
    "suspended": N_("suspended"),
    "buried": N_("buried"),
    "flagged": N_("flagged"),
    "leech": N_("leech"),
}


def type_label(name: str) -> str:
    return _(TYPE_LABELS[name]) if name in TYPE_LABELS else name


def state_label(name: str) -> str:
    return _(STATE_LABELS[name]) if name in STATE_LABELS else name


def listing(items: Iterable[str]) -> str:
    """Items of a list in a sentence: "a, b, c" ("a、b、c" in Chinese)."""
    # TRANSLATORS: the separator between the items of a list, e.g. "1 basic, 2 cloze".
    return _(", ").join(items)
