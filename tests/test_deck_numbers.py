"""Every numeric, shape and parameter-count key of the decks is recomputed in code
(decks/tools/check_numbers.py, the one runner, with the keys_*.py modules) and agrees with the YAML;
nothing is skipped (a key that needs a missing module is a problem)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "decks" / "tools"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_numbers", TOOLS / "check_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_computed_key_matches_its_card():
    pytest.importorskip("torch")
    result = subprocess.run(
        [sys.executable, str(TOOLS / "check_numbers.py")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 problems" in result.stdout
    assert int(result.stdout.split()[-5]) >= 380  # "N keys recomputed, 0 problems": all three families


def test_a_wrong_number_is_caught(checker):
    assert checker.compare({"answer": "0.42", "tolerance": 0.002}, 0.41997) is None
    assert checker.compare({"answer": "0.42"}, 0.41997) is not None  # a rounded key needs a tolerance
    assert checker.compare({"answer": "0.43", "tolerance": 0.002}, 0.41997) is not None
    assert checker.compare({"answer": "0.41", "tolerance": 0.05}, 0.41997) is not None  # inside, but mis-rounded
    assert checker.compare({"answer": "0.420", "tolerance": 0.002}, 0.41997) is None
    assert checker.compare({"answer": "73856"}, 73856) is None
    assert checker.compare({"answer": "73865"}, 73856) is not None


def test_a_wrong_shape_or_choice_is_caught(checker):
    assert checker.compare({"answer": "(64, 10)"}, (64, 10)) is None
    assert checker.compare({"answer": "64x10"}, (64, 10)) is None
    assert checker.compare({"answer": "(10, 64)"}, (64, 10)) is not None
    assert checker.compare({"answer": "(64, 10, 1)"}, (64, 10)) is not None
    assert checker.compare({"answer": '["una", "##ffa", "##ble"]'}, '["una", "##ffa", "##ble"]') is None
    assert checker.compare({"answer": '["un", "##aff", "##able"]'}, '["una", "##ffa", "##ble"]') is not None


def test_numeric_typed_cards_are_recognised(checker):
    assert checker.is_numeric_key({"type": "typed", "answer": "0.0625"})
    assert checker.is_numeric_key({"type": "typed", "answer": "(2, 8, 64)"})
    assert checker.is_numeric_key({"type": "typed", "answer": "1,050,624"})
    assert not checker.is_numeric_key({"type": "typed", "answer": "LEFT-ARC"})
    assert not checker.is_numeric_key({"type": "choice", "answer": "4"})
    assert checker.is_numeric_key({"type": "typed", "answer": "(0.875, 1.375)"})


def test_a_wrong_vector_is_caught(checker):
    assert checker.compare({"answer": "(0.875, 1.375)"}, (0.875, 1.375)) is None
    assert checker.compare({"answer": "(1.5, 3)"}, (1.5, 3.0)) is None
    assert checker.compare({"answer": "(1.375, 0.875)"}, (0.875, 1.375)) is not None
    assert checker.compare({"answer": "(0.86, 1.38)", "tolerance": 0.02}, (0.875, 1.375)) is not None  # mis-rounded


def test_missing_stale_and_misplaced_keys_are_reported(checker):
    cards = {
        "d/number": {"deck": "d", "type": "typed", "answer": "42"},
        "d/basic": {"deck": "d", "type": "basic", "answer": ""},
        "d/word": {"deck": "d", "type": "typed", "answer": "LEFT-ARC"},
        "e/number": {"deck": "e", "type": "typed", "answer": "7"},
    }
    report = checker.check(cards, {"d/basic": 1, "d/gone": 3}, required_decks={"d"})
    assert sorted(line.split(":")[0] for line in report.problems) == ["d/basic", "d/gone", "d/number"]
    assert checker.check(cards, {"d/number": 42}, {"d"}).problems == []


def test_a_key_that_raises_is_a_problem_not_a_skip(checker):
    def needs_a_missing_module():
        import no_such_module_for_decks  # noqa: F401

    module = type("keys_fake", (), {"KEYS": {"d/x": needs_a_missing_module}, "GROUPS": []})
    computed, problems = checker.compute([module])
    assert computed == {} and len(problems) == 1 and "ModuleNotFoundError" in problems[0]


def test_one_deck_can_be_checked_alone(checker):
    report = checker.run({"feature-engineering"})
    assert report.problems == []
    assert report.checked and all(name.startswith("feature-engineering/") for name in report.checked)
