"""Property tests of the grader: a number written any supported way is that number and no
other, a shape is its tuple and not a permutation of it, and no input makes a parser raise or
run away."""

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studyctl.srs.answer_diff import answer_diff
from studyctl.srs.grading import grade_choice, grade_typed, normalize, parse_choice
from studyctl.srs.numbers import parse_number
from studyctl.srs.shapes import parse_shape

grader_settings = settings(deadline=None, max_examples=150)  # no timing assertions

magnitudes = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e12))
numbers = st.builds(lambda m, negative: -m if negative else m, magnitudes, st.booleans())
tolerances = st.one_of(st.none(), st.just(0.0), st.floats(min_value=1e-6, max_value=1e3))


def spellings(x: float) -> list[str]:
    """Every supported way to write x (up to float rounding far below any tolerance)."""
    mantissa, exponent = f"{x:.16e}".split("e")
    forms = [
        repr(x),
        f"{x:.17e}",
        f"{x:.17E}",
        f"{mantissa}×10^{int(exponent)}",
        f"{mantissa}*10**{int(exponent)}",
        f"{x * 100!r}%",
        f"{x / 1e3!r}k",
        f"{x / 1e6!r}M",
        f"{x / 1e9!r}B",
        f"{x / 1e6!r} million",
        f"({x!r})",
        f"tensor({x!r})",
        f"tensor([{x!r}])",
        f"np.float64({x!r})",
        f"{x!r}.",
    ]
    if x >= 0:
        forms.append(f"+{x!r}")
    if x == int(x) and abs(x) < 1e15:
        forms += [f"{int(x):,}", f"{int(x):,}".replace(",", " "), f"{int(x):_}"]
    return forms


@grader_settings
@given(numbers, tolerances)
def test_the_key_written_any_supported_way_is_right(x, tolerance):
    for spelling in spellings(x):
        assert grade_typed(spelling, repr(x), [], tolerance).correct, spelling


@grader_settings
@given(numbers, tolerances, st.floats(min_value=0, max_value=1e6), st.booleans())
def test_a_number_outside_the_tolerance_written_any_way_is_wrong(x, tolerance, extra, above):
    margin = 1e-6 * max(1.0, abs(x), tolerance or 0.0)
    gap = (tolerance or 0.0) + margin + extra
    y = x + gap if above else x - gap
    assume(math.isfinite(y) and abs(y) < 1e13 and (y == 0 or abs(y) >= 1e-6))
    for spelling in spellings(y):
        assert not grade_typed(spelling, repr(x), [], tolerance).correct, spelling


@grader_settings
@given(st.floats(min_value=1e-6, max_value=1e12), tolerances)
def test_the_negated_number_is_wrong(x, tolerance):
    assume(x > (tolerance or 0.0) * 0.5 + 1e-6 * x)
    for spelling in spellings(-x):
        assert not grade_typed(spelling, repr(x), [], tolerance).correct, spelling


shapes = st.lists(st.integers(min_value=1, max_value=4096), min_size=2, max_size=5).map(tuple)


def shape_spellings(shape: tuple) -> list[str]:
    inside = ", ".join(map(str, shape))
    return [
        f"({inside})",
        f"[{inside}]",
        f"torch.Size([{inside}])",
        "x".join(map(str, shape)),
        " × ".join(map(str, shape)),
        "*".join(map(str, shape)),
        ",".join(map(str, shape)),
        " ".join(map(str, shape)),
    ]


@grader_settings
@given(shapes)
def test_a_shape_written_any_way_is_right(shape):
    key = str(shape)
    for spelling in shape_spellings(shape):
        assert grade_typed(spelling, key).correct, spelling


@grader_settings
@given(shapes, st.data())
def test_a_permuted_shape_is_wrong(shape, data):
    permuted = tuple(data.draw(st.permutations(shape)))
    assume(permuted != shape)
    for spelling in shape_spellings(permuted):
        assert not grade_typed(spelling, str(shape)).correct, spelling


expression_characters = st.text(alphabet="0123456789.,_ eE+-*/^()%√πxlnogsqrtpikKMGBTiB万亿×·tensor[]", max_size=60)


@grader_settings
@given(st.one_of(st.text(max_size=300), expression_characters))
def test_parsers_never_raise_and_stay_in_bounds(text):
    number = parse_number(text)
    assert number is None or math.isfinite(number)
    shape = parse_shape(text)
    assert shape is None or (shape and all(isinstance(d, int) and d >= 0 for d in shape))
    assert isinstance(normalize(text), str)
    grade = grade_typed(text, "2.30", ["ln 10"], 0.01)
    assert isinstance(grade.correct, bool)
    if shape is not None and len(text) <= 800:
        assert grade_typed(text, "(4, 192)").correct is (shape == (4, 192))
    answer_diff(text, "交叉熵")


@grader_settings
@given(st.text(max_size=40), st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_a_typed_choice_names_one_option_or_none(text, choices):
    index = parse_choice(text, choices)
    assert index is None or 0 <= index < len(choices)
    grade = grade_choice(text, choices, choices[0])
    assert grade.not_an_option is (index is None)
    if index is not None and not text.strip().isdigit():
        assert [normalize(c) for c in choices].count(normalize(text)) == 1


def test_runaway_inputs_come_back_as_not_numbers():
    """Each of these would hang or blow up a naive evaluator; here each is simply not a number
    (the test would hang, not fail, if a limit were missing)."""
    for text in ["9**9**9", "9^9^9^9^9", "e^e^e^e^e^e", "10**400", "(" * 10_000 + "1" + ")" * 10_000]:
        assert parse_number(text) is None, text[:20]
    assert parse_number("1" * 10_000_000) is None
    assert parse_shape("4x" * 5_000_000 + "4") is None
    assert not grade_typed("1" * 10_000_000, "1").correct
