"""Time from process start to the first frame of the today screen, against a hello-world
Textual app, side by side. Goal: studyctl at most 1.5x the hello-world app.

Both run as real processes on a pseudo-terminal (stdout is a TTY, so `studyctl today` opens
the app), and both exit right after their first frame is drawn: the hello-world app from
`on_mount` via `call_after_refresh(exit)`, studyctl once the today screen shows the plan
(STUDYCTL_TUI_EXIT_AFTER_FIRST_FRAME=1 makes the app exit after that refresh). The whole
process is timed, interpreter start-up included; the median of --runs runs is reported.

studyctl runs on the built-in content (the default roadmap, every built-in deck synced) in a
temp STUDYCTL_HOME, warmed by one `today --plain` first, as an everyday evening would be.

    python benchmarks/tui_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

GOAL = 1.5
COLUMNS, ROWS = 120, 40

HELLO = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static


    class Hello(App):
        def compose(self):
            yield Header()
            yield Static("Hello, world")
            yield Footer()

        def on_mount(self):
            self.call_after_refresh(self.exit)


    Hello().run()
    """
)


def run_on_pty(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `command` on a fresh pseudo-terminal to its exit; its output is
    read (and dropped) as it comes, like a terminal would."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = bytearray()
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                proc.kill()
                raise RuntimeError(f"{command} wrote nothing for 30 s")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        code = proc.wait()
        os.close(master)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"{command} exited with {code}:\n{output[-2000:].decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        env = dict(os.environ, STUDYCTL_HOME=str(home), TERM="xterm-256color", COLUMNS=str(COLUMNS))
        env.pop("STUDYCTL_TUI_EXIT_AFTER_FIRST_FRAME", None)
        subprocess.run(
            [sys.executable, "-m", "studyctl", "today", "--plain"], env=env, check=True, capture_output=True
        )  # first run: settings, database, deck sync
        studyctl_env = dict(env, STUDYCTL_TUI_EXIT_AFTER_FIRST_FRAME="1")
        commands = {
            "hello-world Textual app": ([sys.executable, str(hello)], env),
            "studyctl today (TUI)": ([sys.executable, "-m", "studyctl", "today"], studyctl_env),
        }
        for command, command_env in commands.values():  # warm the OS caches and .pyc files
            run_on_pty(command, command_env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            for name, (command, command_env) in commands.items():
                times[name].append(run_on_pty(command, command_env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"process start to first frame, median of {args.runs} runs on a {COLUMNS}x{ROWS} pty:")
    for name, values in times.items():
        spread = f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"
        print(f"  {name:<26} {medians[name] * 1000:7.0f} ms   {spread}")
    hello_time, studyctl_time = medians.values()
    ratio = studyctl_time / hello_time
    verdict = "within" if ratio <= GOAL else "over"
    print(f"ratio studyctl / hello-world: {ratio:.2f}x ({verdict} the {GOAL}x goal)")


if __name__ == "__main__":
    main()
