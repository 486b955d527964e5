"""Every lab in labs/ (found by folder, so new labs are covered without editing this file):
its reference solution and every correct alternative in alternatives/ pass every step, its
untouched starter fails, and each mistake in mistakes/mistakes.yaml fails at the step it names,
with every step before it passing.
All through the real runner (a child process), on the CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyctl.content.labs import load_lab
from studyctl.labkit.mistakes import load_alternatives, load_mistakes, prepare
from studyctl.labkit.result import ERROR, FAIL, PASS
from studyctl.labkit.runner import run_check

LABS_DIR = Path(__file__).resolve().parent.parent / "labs"
MANIFESTS = sorted(LABS_DIR.glob("*/lab.yaml"))


def _variants() -> list:
    cases = []
    for manifest in MANIFESTS:
        lab_id = manifest.parent.name
        cases += [pytest.param(manifest, "solution", id=f"{lab_id}-solution")]
        cases += [pytest.param(manifest, "starter", id=f"{lab_id}-starter")]
        try:
            lab = load_lab(manifest)[0]
            mistakes, alternatives = load_mistakes(lab), load_alternatives(lab)
        except Exception:  # a broken lab fails test_lab_folder_is_complete, not the whole collection
            mistakes, alternatives = [], []
        for mistake in mistakes:
            cases.append(pytest.param(manifest, mistake.name, id=f"{lab_id}-mistake-{mistake.name}"))
        for alternative in alternatives:
            variant = f"alternatives/{alternative.name}"
            cases.append(pytest.param(manifest, variant, id=f"{lab_id}-alternative-{alternative.name}"))
    return cases


def judge(manifest: Path, variant: str, tmp_path: Path):
    lab, _ = load_lab(manifest)
    workspace = prepare(lab, variant, tmp_path / "ws")
    return lab, run_check(lab, workspace, device="cpu")


def explain(result) -> str:
    lines = [f"{s.status}  {s.name}: {s.message}" for s in result.steps]
    return "\n".join([*lines, f"problem: {result.problem} {result.problem_message}", result.output[-2000:]])


def test_there_are_labs():
    assert MANIFESTS, f"no labs under {LABS_DIR}"


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.parent.name for m in MANIFESTS])
def test_lab_folder_is_complete(manifest):
    lab, _ = load_lab(manifest)  # raises on a missing check.py, starter or solution file
    assert (manifest.parent / "README.md").is_file(), "each lab has instructions in README.md"
    mistakes = load_mistakes(lab)  # raises when mistakes.yaml and its folders disagree
    assert mistakes, "each lab has at least one plausible wrong answer in mistakes/"
    load_alternatives(lab)  # raises when alternatives.yaml and its folders disagree
    assert lab.hints and lab.criteria, "each lab has hints and pass criteria"


@pytest.mark.parametrize(("manifest", "variant"), _variants())
def test_check_judges_variant(manifest, variant, tmp_path):
    lab, result = judge(manifest, variant, tmp_path)
    assert result.ran, explain(result)
    if variant == "solution" or variant.startswith("alternatives/"):
        assert result.passed and all(s.status == PASS for s in result.steps), explain(result)
    elif variant == "starter":
        assert not result.passed, explain(result)
    else:
        mistake = next(m for m in load_mistakes(lab) if m.name == variant)
        names = [s.name for s in result.steps]
        assert mistake.fails in names, f"mistakes.yaml names step '{mistake.fails}', the check has {names}"
        at = names.index(mistake.fails)
        assert result.steps[at].status in (FAIL, ERROR), f"'{variant}' should fail at '{mistake.fails}'\n" + explain(
            result
        )
        assert all(s.status == PASS for s in result.steps[:at]), (
            f"'{variant}' failed before '{mistake.fails}'\n" + explain(result)
        )
