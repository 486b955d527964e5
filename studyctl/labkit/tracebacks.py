"""Turn an exception from the learner's code into a message about *their* code: the frames in
their workspace files only, the error line, and plain words for the common cases (a TODO not
done yet, a syntax error, an exit call, an interrupt, memory running out). Also reads the
learner's frames out of faulthandler's stack dumps (a timeout, a crash in native code)."""

from __future__ import annotations

import os
import re
import traceback
from pathlib import Path

from studyctl.i18n import _
from studyctl.labkit import limits


def _inside(filename: str, folder: Path) -> bool:
    """True for a real file under `folder`. Names such as "<frozen importlib._bootstrap>" or
    "<string>" are not paths (resolved, they would land in the current folder: the workspace)."""
    if not os.path.isabs(filename):
        return False
    try:
        return Path(filename).resolve().is_relative_to(folder)
    except (OSError, ValueError):
        return False


def learner_frames(exc: BaseException, workspace: Path) -> list[traceback.FrameSummary]:
    folder = workspace.resolve()
    return [frame for frame in traceback.extract_tb(exc.__traceback__) if _inside(frame.filename, folder)]


def _where(frame: traceback.FrameSummary) -> str:
    return _("{file} line {line}, in {function}()").format(
        file=Path(frame.filename).name, line=frame.lineno, function=frame.name
    )


def _traceback(frames: list[traceback.FrameSummary]) -> str:
    return _("Traceback (your code, most recent call last):") + "\n" + "".join(traceback.format_list(frames)).rstrip()


def describe_exception(exc: BaseException, workspace: Path) -> str:
    """What to show the learner for an exception raised while a step ran their code."""
    frames = learner_frames(exc, workspace)
    if isinstance(exc, NotImplementedError) and frames:
        return _(
            "not done yet: {where} still raises NotImplementedError. "
            "Replace that line with your code (see the TODO above it)."
        ).format(where=_where(frames[-1]))
    if isinstance(exc, SyntaxError) and exc.filename and _inside(exc.filename, workspace.resolve()):
        return _("your file does not parse:") + "\n" + "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    if isinstance(exc, SystemExit):
        if frames:
            return _("your code called sys.exit({code}) at {where}; return a value instead of exiting").format(
                code=repr(exc.code), where=_where(frames[-1])
            )
        return _("your code called sys.exit({code}); return a value instead of exiting").format(code=repr(exc.code))
    if isinstance(exc, KeyboardInterrupt):
        if frames:
            return _(
                "KeyboardInterrupt at {where}: your code was interrupted (it raised KeyboardInterrupt, or something "
                "sent it SIGINT); the check cannot judge an interrupted run"
            ).format(where=_where(frames[-1]))
        return _(
            "KeyboardInterrupt: your code was interrupted (it raised KeyboardInterrupt, or something "
            "sent it SIGINT); the check cannot judge an interrupted run"
        )
    error = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    if limits.is_out_of_memory(exc):
        lead = limits.out_of_memory_message(exc)
        where = f"\n{_traceback(frames)}" if frames else ""
        return f"{lead}{where}\n{error.splitlines()[0] if error else type(exc).__name__}"
    if not frames:
        tail = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        if tail:
            error = _("{error} (raised in {file} line {line})").format(
                error=error, file=Path(tail[0].filename).name, line=tail[0].lineno
            )
        return error + "\n" + _("The error came while the check was using what your code returned.")
    return f"{_traceback(frames)}\n{error}"


_DUMP_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in (?P<func>.+)$')


def dumped_frames(lines: list[str], workspace: Path) -> list[str]:
    """The learner's frames in a faulthandler dump, most recent call first, from the first thread
    that was in their code: 'prog.py line 5, in main(): n += 1' (with the line's text)."""
    folder = workspace.resolve()
    found: list[str] = []
    for line in lines:
        if line.startswith(("Thread ", "Current thread ")) and found:  # i18n: not shown
            break  # the next thread's stack: keep the first one that was in the learner's code
        match = _DUMP_FRAME.match(line)
        if match and _inside(match["file"], folder):
            path, number = Path(match["file"]), int(match["line"])
            where = _("{file} line {line}, in {function}()").format(file=path.name, line=number, function=match["func"])
            text = _source_line(path, number)
            found.append(f"{where}: {text}" if text else where)
    return found


def _source_line(path: Path, number: int) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()[number - 1].strip()
    except (OSError, IndexError):
        return ""
