"""Turn expected failures (bad content, a too-new database) into a message and exit code 2,
the same way whether studyctl runs from a shell or under click's CliRunner."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from studyctl.content.issues import ContentError
from studyctl.store.db import SchemaTooNew

EXIT_BAD_INPUT = 2


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except ContentError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT) from None
    except SchemaTooNew as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT) from None
