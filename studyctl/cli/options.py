"""Option bundles shared by several commands, as plain decorators."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def json_option(command: F) -> F:
    return click.option("--json", "json_", is_flag=True, help="Print JSON instead of text.")(command)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from studyctl.content.fields import to_date

        try:
            return to_date(value)
        except ValueError as exc:  # "month must be in 1..12", "outside 1970-01-01 to 2999-12-31"
            self.fail(f"{value!r} is not a date like 2026-09-13 ({exc})", param, ctx)


DATE = DateType()
