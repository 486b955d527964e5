"""Lab manifests: a complete lab folder loads; a missing piece is a file:line error."""

import pytest
from conftest import write

from studyctl.content.issues import ContentError
from studyctl.content.labs import load_lab

MANIFEST = """
id: demo
title: Demo lab
teaches: Something small
minutes: 20
time_limit: 60
files: [model.py]
hints: [Look at the shapes first.]
criteria: [The forward pass matches torch within 1e-6]
"""


def make_lab(root, manifest=MANIFEST, solution=True):
    folder = root / "labs" / "demo"
    write(folder / "lab.yaml", manifest)
    write(folder / "check.py", "def check(ws):\n    return []\n")
    write(folder / "starter" / "model.py", "# TODO\n")
    if solution:
        write(folder / "solution" / "model.py", "x = 1\n")
    return folder / "lab.yaml"


def test_complete_lab_loads(tmp_path):
    lab, issues = load_lab(make_lab(tmp_path))
    assert lab.id == "demo" and lab.files == ("model.py",) and lab.time_limit == 60
    assert issues == []


def test_missing_solution_file_is_an_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_lab(make_lab(tmp_path, solution=False))
    assert any("missing from solution/" in issue.message and issue.line == 6 for issue in caught.value.issues)


def test_lab_id_must_match_folder(tmp_path):
    with pytest.raises(ContentError, match="should equal its folder name"):
        load_lab(make_lab(tmp_path, MANIFEST.replace("id: demo", "id: other")))


def test_labs_appear_in_validate(run, tmp_path):
    make_lab(tmp_path)
    result = run("validate", "--json", str(tmp_path))
    assert '"labs": 1' in result.stdout and result.exit_code == 0


def test_validating_a_lab_folder_skips_its_mistakes_fixture(run, tmp_path):
    make_lab(tmp_path)
    write(tmp_path / "labs" / "demo" / "mistakes" / "mistakes.yaml", "- {name: x, fails: y, why: z}\n")
    result = run("validate", str(tmp_path / "labs" / "demo"))
    assert result.exit_code == 0, result.stdout
    assert "1 lab:" in result.stderr
