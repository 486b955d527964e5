"""Turn every StudyctlError (bad content, a missing item, a damaged database) into its message
on stderr and exit code 2, the same way whether studyctl runs from a shell or under CliRunner."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from studyctl.errors import EXIT_BAD_INPUT, StudyctlError


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except StudyctlError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise click.exceptions.Exit(exc.exit_code) from None


__all__ = ["EXIT_BAD_INPUT", "reported_errors"]
