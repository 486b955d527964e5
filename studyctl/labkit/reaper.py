"""The guard of one check run: `python -m studyctl.labkit.reaper --token T --pid CHILD`.

studyctl starts it beside the check process, in a session of its own, with its stdin a pipe
that only studyctl holds. It waits for that pipe to end:

- studyctl writes `ALL_CLEAR` before it closes the pipe when it has cleaned up after the run
  itself: the guard exits without touching anything;
- the pipe ends without it when studyctl died (SIGKILL, SIGTERM, SIGHUP from a closed terminal,
  a crash): the guard kills the check process and everything it started (processes.kill_run),
  so nothing the learner's code runs outlives `studyctl lab check`.

It does no more than that, in plain Python with nothing else running, so the learner's code
(which may hold the check process's GIL in a C loop) cannot stop it.
"""

from __future__ import annotations

import argparse
import os
import sys

from studyctl.labkit.processes import kill_run

ALL_CLEAR = b"x"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m studyctl.labkit.reaper")  # i18n: not shown (internal command)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid", type=int, required=True, help="the check process")  # i18n: not shown
    args = parser.parse_args(argv)
    try:
        said = sys.stdin.buffer.read()
    except (OSError, KeyboardInterrupt):
        said = b""
    if ALL_CLEAR not in said:
        kill_run(args.token, [args.pid])
    os._exit(0)


if __name__ == "__main__":
    main()
