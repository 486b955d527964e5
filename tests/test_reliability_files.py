"""Issue 19, items 8 and 10: files written by several processes at once, odd entries in the
content folders, and output paths in folders that don't exist."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import GOOD_DECK, write

from studyctl.errors import StudyctlError
from studyctl.fsutil import require_parent_dir
from studyctl.settings import load_settings

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from studyctl.settings import Settings, save_settings

    path, me = Path(sys.argv[1]), int(sys.argv[2])
    for round in range(40):
        save_settings(Settings(new_cards_per_day=me * 100 + round), path)
    """
)


def test_concurrent_writers_of_settings_never_collide(tmp_path):
    """Item 8: concurrent first runs raced on a fixed `settings.yaml.tmp` (FileNotFoundError in
    2 of 60 trials). Six processes now each write settings.yaml 40 times at once: all succeed,
    the file is always one writer's whole text, and no temporary file is left behind."""
    path = tmp_path / "home" / "settings.yaml"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(me)], stderr=subprocess.PIPE)
        for me in range(1, 7)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    settings = load_settings(path)
    assert settings.new_cards_per_day % 100 == 39  # someone's last write, whole
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.yaml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipes_loops_and_folder_links_in_decks_are_warnings_and_nothing_hangs(run, studyctl_home, tmp_path):
    """Item 10: symlink loops, FIFOs and directory links in decks/ were skipped without a word.
    Now `validate` names each (a warning: the other decks still load); no command opens a pipe."""
    decks = studyctl_home / "content" / "decks"
    write(decks / "good.yaml", GOOD_DECK)
    os.mkfifo(decks / "pipe.yaml")
    os.symlink("loop-b.yaml", decks / "loop-a.yaml")
    os.symlink("loop-a.yaml", decks / "loop-b.yaml")
    os.symlink(tmp_path, decks / "folder.yaml")
    os.symlink(tmp_path / "nowhere.yaml", decks / "dangling.yaml")
    result = run("validate")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if ": warning: skipped: " in line]
    assert sorted(line.split(": warning: ")[0].rsplit("/", 1)[1] for line in warnings) == [
        "dangling.yaml",
        "folder.yaml",
        "loop-a.yaml",
        "loop-b.yaml",
        "pipe.yaml",
    ]
    assert any("a named pipe (FIFO), not a deck file" in line for line in warnings)
    assert any("a symbolic link that loops" in line for line in warnings)
    assert any("a link to a folder" in line for line in warnings)
    assert run("validate", str(decks / "pipe.yaml")).exit_code in (0, 2)  # named, still never opened
    assert run("today", "--plain").exit_code == 0
    assert "good" in run("decks").stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_reading_a_pipe_named_as_content_is_an_error_not_a_hang(tmp_path):
    from studyctl.content.issues import ContentError
    from studyctl.content.yamlfile import read_yaml

    pipe = tmp_path / "deck.yaml"
    os.mkfifo(pipe)
    with pytest.raises(ContentError, match="not a regular file"):
        read_yaml(pipe)


def test_an_output_file_in_a_missing_folder_is_refused(tmp_path):
    """Item 10: `export anki -o /nonexistent/dir/x.apkg` created the folders. The check lives in
    fsutil (`require_parent_dir`) for the export command to call."""
    with pytest.raises(StudyctlError, match="does not exist"):
        require_parent_dir(tmp_path / "nonexistent" / "dir" / "x.apkg")
    write(tmp_path / "a-file", "x")
    with pytest.raises(StudyctlError, match="is not a folder"):
        require_parent_dir(tmp_path / "a-file" / "x.apkg")
    require_parent_dir(tmp_path / "x.apkg")  # an existing folder is fine


def test_export_refuses_a_missing_output_folder(run, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.apkg"
    result = run("export", "anki", "--deck", "dl-fundamentals", "-o", str(target))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "nonexistent").exists()
