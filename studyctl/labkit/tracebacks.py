"""Turn an exception from the learner's code into a message about *their* code: the frames in
their workspace files only, the error line, and plain words for the common cases (a TODO not
done yet, a syntax error, an exit call)."""

from __future__ import annotations

import traceback
from pathlib import Path


def _inside(filename: str, folder: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(folder)
    except (OSError, ValueError):
        return False


def learner_frames(exc: BaseException, workspace: Path) -> list[traceback.FrameSummary]:
    folder = workspace.resolve()
    return [frame for frame in traceback.extract_tb(exc.__traceback__) if _inside(frame.filename, folder)]


def _where(frame: traceback.FrameSummary) -> str:
    return f"{Path(frame.filename).name} line {frame.lineno}, in {frame.name}()"


def describe_exception(exc: BaseException, workspace: Path) -> str:
    """What to show the learner for an exception raised while a step ran their code."""
    frames = learner_frames(exc, workspace)
    if isinstance(exc, NotImplementedError) and frames:
        return (
            f"not done yet: {_where(frames[-1])} still raises NotImplementedError. "
            "Replace that line with your code (see the TODO above it)."
        )
    if isinstance(exc, SyntaxError) and exc.filename and _inside(exc.filename, workspace.resolve()):
        return "your file does not parse:\n" + "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    if isinstance(exc, SystemExit):
        where = f" at {_where(frames[-1])}" if frames else ""
        return f"your code called sys.exit({exc.code!r}){where}; return a value instead of exiting"
    error = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    if not frames:
        tail = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        where = f" (raised in {Path(tail[0].filename).name} line {tail[0].lineno})" if tail else ""
        return f"{error}{where}\nThe error came while the check was using what your code returned."
    lines = "".join(traceback.format_list(frames)).rstrip()
    return f"Traceback (your code, most recent call last):\n{lines}\n{error}"
