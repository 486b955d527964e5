"""The start-up path stays light: `today --plain` imports none of the heavy libraries."""

import os
import re
import subprocess
import sys

HEAVY = ("torch", "textual", "genanki", "sqlite_utils", "numpy", "rich", "fsrs", "yaml")


def imported_modules(*args: str, env: dict) -> set[str]:
    """Every module a real `python -m studyctl ...` process imports (from -X importtime)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "studyctl", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {
        match.group(1).strip().split(".")[0]
        for match in re.finditer(r"^import time:.*\|\s*(\S+)\s*$", proc.stderr, re.M)
    }


def test_today_plain_imports_no_heavy_library(studyctl_home):
    env = dict(os.environ, STUDYCTL_HOME=str(studyctl_home))
    for _ in range(2):  # first run: settings written; second: their parse cached
        subprocess.run([sys.executable, "-m", "studyctl", "today", "--plain"], env=env, check=True, capture_output=True)
    modules = imported_modules("today", "--plain", env=env)  # the warm, everyday path: not even YAML
    assert "studyctl" in modules and "click" in modules
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_help_imports_no_command_module(studyctl_home):
    env = dict(os.environ, STUDYCTL_HOME=str(studyctl_home))
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "studyctl", "--help"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0 and "today" in proc.stdout
    assert "studyctl.cli.today" not in proc.stderr and "studyctl.store" not in proc.stderr
