"""The wheel carries the built-in content, and an installed copy finds it away from the checkout."""

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("studyctl-*.whl")
    return path


def test_wheel_contains_decks_roadmaps_and_labs(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "studyctl/_content/decks/dl-fundamentals.yaml" in names
    assert "studyctl/_content/schedule/nlp-90-days.yaml" in names
    assert "studyctl/cli/__init__.py" in names


def test_installed_wheel_finds_its_content_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = dict(os.environ, PYTHONPATH=str(site), STUDYCTL_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-m", "studyctl", "decks", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    decks = {deck["id"]: deck for deck in json.loads(proc.stdout)}
    assert str(site / "studyctl" / "_content") in decks["dl-fundamentals"]["path"]
    today = subprocess.run(
        [sys.executable, "-m", "studyctl", "today", "--plain"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert today.returncode == 0 and "NLP in 90 days" in today.stdout
