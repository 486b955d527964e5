"""Grading of typed and choice answers, and the grade -> rating mapping."""

import pytest

from studyctl.srs.grading import grade_choice, grade_typed, normalize, rating_for


@pytest.mark.parametrize(
    ("given", "answer", "accept", "tolerance", "correct"),
    [
        ("ReLU", "relu", [], None, True),
        ("  (32,  10) ", "(32, 10)", [], None, True),
        ("32 10", "(32, 10)", [], None, True),
        ("max(0,x)", "max(0, x)", [], None, True),
        ("rectifier", "relu", ["rectified linear unit", "rectifier"], None, True),
        ("sigmoid", "relu", ["rectifier"], None, False),
        ("28", 28, [], None, True),
        ("28.0", "28", [], None, True),
        ("1,000", "1000", [], None, True),
        ("0.31", "0.3333", [], 0.05, True),
        ("0.25", "0.3333", [], 0.05, False),
        ("27", "28", [], None, False),
        ("2.303", "2.302585", [], 0.001, True),
    ],
)
def test_typed_answers(given, answer, accept, tolerance, correct):
    assert grade_typed(given, answer, accept, tolerance).correct is correct


def test_wrong_typed_answer_shows_where_it_differs():
    grade = grade_typed("softmx", "softmax")
    assert not grade.correct
    assert "yours:    softm x" in grade.diff and "expected: softmax" in grade.diff
    assert "^" in grade.diff.splitlines()[2]


def test_normalize_handles_full_width_and_case():
    assert normalize("ＲｅＬＵ！") == "relu"


def test_choice_by_number_or_text():
    choices = ["SGD", "Adam", "RMSProp"]
    assert grade_choice("2", choices, "Adam").correct
    assert grade_choice("adam", choices, "Adam").correct
    assert not grade_choice("1", choices, "Adam").correct
    assert not grade_choice("9", choices, "Adam").correct


def test_rating_mapping():
    right = grade_typed("28", "28")
    wrong = grade_typed("27", "28")
    assert rating_for(wrong, "typed", 1000) == 1
    assert rating_for(right, "typed", 5000) == 3
    assert rating_for(right, "typed", 45_000) == 2  # right but slow: Hard
    assert rating_for(right, "choice", 16_000) == 2


def test_choices_that_differ_only_in_punctuation_are_told_apart_by_number():
    choices = ['["un", "##aff", "##able"]', '["un", "aff", "able"]']
    assert grade_choice("1", choices, choices[0]).correct
    assert not grade_choice("2", choices, choices[0]).correct
