"""Turn every StudyctlError (bad content, a missing item, a damaged database) into its message
on stderr and exit code 2, the same way whether studyctl runs from a shell or under CliRunner.

SQLite and OS failures that happen halfway through a command (a full disk on an answer, a
database damaged while in use, a read-only file) are put into words by the store
(`studyctl.store.db.explain`) and reported the same way: one line, exit 2. Each answer is
committed on its own, so what was saved before stays saved."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from studyctl.errors import EXIT_BAD_INPUT, StudyctlError
from studyctl.i18n import _

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `cat` in the same place


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except StudyctlError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    except click.exceptions.ClickException:
        raise
    except BrokenPipeError:
        _quiet_stdout()
        raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as exc:
        from studyctl.store.db import explain

        message = explain(exc)
        if message is None:
            raise  # a bug: show the traceback
        click.echo(_("error: {message}").format(message=message), err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT) from None


def _quiet_stdout() -> None:
    """The reader of our output went away (`studyctl cards | head`): stop as cat and grep do,
    with no message (this is not the database's fault) and nothing more written to the pipe,
    not even Python's own flush at exit."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (CliRunner)
        pass


__all__ = ["EXIT_BAD_INPUT", "reported_errors"]  # i18n: not shown (names exported)
