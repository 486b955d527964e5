"""The street-view-digits lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages
name the likely cause, and its hidden cases catch code fitted to the visible one."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import FAIL


@pytest.fixture(scope="module")
def lab():
    return repo_lab("street-view-digits")


def test_mistake_messages_name_the_cause(lab, tmp_path):
    kept = judge(lab, tmp_path / "a", "blank-kept").step("decode").message
    assert "'310710'" in kept and "The BLANKs are still in" in kept
    zero = judge(lab, tmp_path / "b", "blank-as-zero").step("encode-labels").message
    assert "which is the digit zero" in zero and "BLANK = 10" in zero


def test_hidden_cases_catch_four_positions_written_in(lab, tmp_path):
    result = judge(lab, tmp_path, replace=("[BLANK] * (positions - len(s))", "[BLANK] * (4 - len(s))"))
    step = result.step("encode-labels")
    assert step.status == FAIL and "hidden case" in step.message
