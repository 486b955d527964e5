"""The tensors-autograd lab: the example that proves the lab protocol. Beyond what every lab
gets (tests/test_labkit_labs.py), its messages teach and its hidden cases catch code that
only fits the visible examples."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.mistakes import load_mistakes
from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP

STEPS = ["shapes", "center-columns", "pairwise-distances", "autograd", "manual-step", "fit-line"]


@pytest.fixture(scope="module")
def lab():
    return repo_lab("tensors-autograd")


def test_manifest_sizes_the_lab(lab):
    assert 20 <= lab.minutes <= 30 and lab.files == ("tensors.py",)
    assert len(load_mistakes(lab)) >= 2 and len(lab.hints) >= 3


def test_solution_passes_all_six_steps_and_fits_the_line(lab, tmp_path):
    result = judge(lab, tmp_path)
    assert [s.name for s in result.steps] == STEPS and result.passed
    assert result.metrics["slope"] == pytest.approx(3, abs=0.05)
    assert result.metrics["intercept"] == pytest.approx(2, abs=0.05)
    assert result.metrics["grad_rel_error"] < 1e-6


def test_starter_says_what_is_not_done_yet(lab, tmp_path):
    result = judge(lab, tmp_path, "starter")
    assert [s.status for s in result.steps] == [ERROR] * 5 + [SKIP]
    assert "flatten_images() still raises NotImplementedError" in result.step("shapes").message


def test_mistake_messages_teach(lab, tmp_path):
    flat = judge(lab, tmp_path / "a", "flatten-all").step("shapes").message
    assert "expected shape (2, 48), got (96,)" in flat and "Keep the batch dimension" in flat
    accumulate = judge(lab, tmp_path / "b", "no-zero-grad").step("manual-step").message
    assert "w after call 2" in accumulate and "Call 1 matched torch.optim.SGD" in accumulate
    in_place = judge(lab, tmp_path / "c", "update-outside-no-grad").step("manual-step").message
    assert "Traceback (your code" in in_place and "w -= lr * w.grad" in in_place


def test_hidden_cases_catch_code_tuned_to_the_visible_case(lab, tmp_path):
    result = judge(lab, tmp_path, replace=("return x.reshape(x.shape[0], -1)", "return x.reshape(2, -1)"))
    message = result.step("shapes").message
    assert result.step("shapes").status == FAIL and "hidden case" in message


def test_loop_instead_of_broadcasting_still_passes(lab, tmp_path):
    """The check judges results, not style: a correct double loop is still correct."""
    loop = (
        "    diff = a[:, None, :] - b[None, :, :]  # (n, 1, d) - (1, m, d) -> (n, m, d)\n"
        "    return (diff**2).sum(dim=-1)\n"
    )
    slow = (
        "    out = torch.empty(a.shape[0], b.shape[0], device=a.device)\n"
        "    for i in range(a.shape[0]):\n"
        "        for j in range(b.shape[0]):\n"
        "            out[i, j] = ((a[i] - b[j]) ** 2).sum()\n"
        "    return out\n"
    )
    assert judge(lab, tmp_path, replace=(loop, slow)).step("pairwise-distances").status == PASS
