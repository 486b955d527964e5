"""Grading of typed and choice answers, and the grade -> rating mapping."""

import pytest

from studyctl.srs.grading import answer_diff, grade_choice, grade_typed, normalize, parse_choice, rating_for


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


def test_typed_choice_text_picks_an_option_only_when_exactly_one_matches():
    choices = ['["un", "##aff", "##able"]', '["un", "aff", "able"]']
    assert parse_choice('["un","aff","able"]', choices) == 1  # spacing differs, punctuation does not
    assert grade_choice('["un","##aff","##able"]', choices, choices[0]).correct
    assert not grade_choice('["un","aff","able"]', choices, choices[0]).correct
    assert parse_choice("un aff able", choices) is None  # the old normaliser matched both


def test_text_naming_several_options_or_none_is_not_an_option():
    ambiguous = grade_choice("relu", ["ReLU", "relu", "tanh"], "ReLU")
    assert not ambiguous.correct and ambiguous.not_an_option
    unknown = grade_choice("swish", ["ReLU", "tanh"], "ReLU")
    assert not unknown.correct and unknown.not_an_option
    out_of_range = grade_choice("9", ["SGD", "Adam"], "Adam")
    assert out_of_range.not_an_option
    wrong = grade_choice("1", ["SGD", "Adam"], "Adam")
    assert not wrong.correct and not wrong.not_an_option
    assert parse_choice("２", ["SGD", "Adam"]) == 1  # a full-width digit is still the number


def test_diff_aligns_chinese_by_terminal_columns():
    lines = grade_typed("交叉熵", "交叉熵损失").diff.splitlines()
    assert lines[0] == "yours:    交叉熵" and lines[1] == "expected: 交叉熵损失"
    assert lines[2] == " " * 10 + " " * 6 + "^" * 4  # 交叉熵 is six columns wide, 损失 four
    lines = grade_typed("均方误差", "交叉熵").diff.splitlines()
    assert lines[2].strip() == "^" * 8


def test_diff_of_a_long_answer_wraps_and_elides_what_is_equal():
    expected = "the gradient of the loss with respect to every weight, computed layer by layer backwards"
    given = expected.replace("every weight", "each weight").replace("backwards", "forwards")
    lines = grade_typed(given, expected).diff.splitlines()
    assert len(lines) % 3 == 0 and all(len(line) <= 10 + 64 for line in lines)
    assert "…" in lines[0]  # long equal stretches are cut to their ends
    assert lines[0].startswith("yours:    ") and lines[1].startswith("expected: ")
    marks = "".join(lines[2::3])
    assert marks.count("^") >= 4


def test_diff_of_a_long_change_wraps_into_blocks_of_three_lines():
    lines = answer_diff("a" * 150, "b" * 150).splitlines()
    assert len(lines) == 9  # 150 columns: three lines of at most 64
    assert all(len(line) <= 10 + 64 for line in lines)
    assert [line[:10] for line in lines[:3]] == ["yours:    ", "expected: ", " " * 10]
