"""Output piped into a reader that stops early (`studyctl cards | head`): studyctl stops quietly
with the shell's code for it, instead of blaming the database for a broken pipe."""

from __future__ import annotations

import os
import subprocess
import sys


def test_a_reader_that_stops_early_ends_studyctl_quietly(studyctl_home):
    command = [sys.executable, "-m", "studyctl", "cards", "--limit", "100000"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "STUDYCTL_HOME": str(studyctl_home)}
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # what `head -1` does after its line
        errors = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert b"/" in first  # a card key: the listing had started
    assert errors == "" and code == 141
