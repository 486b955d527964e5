"""Every built-in typed card against the grader: its key and accepted answers are right in every
spelling the grader supports, and the classic wrong answers are wrong: the negated number, the
number off by a factor of 100 either way, and a transposed shape."""

import pytest

from studyctl import paths
from studyctl.content.library import load_library
from studyctl.srs.grading import grade_typed
from studyctl.srs.numbers import parse_quantity, within
from studyctl.srs.shapes import shape_key


def typed_cards():
    library = load_library([paths.builtin_content_root()])
    return [
        (f"{deck.id}/{card.id}", card) for deck in library.decks.values() for card in deck.cards if card.type == "typed"
    ]


CARDS = typed_cards()


def grade(card, typed: str) -> bool:
    return grade_typed(typed, card.answer, list(card.accept), card.tolerance).correct


def numeric_keys(card) -> list[str]:
    return [key for key in (card.answer, *card.accept) if shape_key(key) is None and parse_quantity(key) is not None]


def shape_keys(card) -> list[tuple]:
    return [shape for key in (card.answer, *card.accept) if (shape := shape_key(key)) is not None]


def number_spellings(key: str) -> list[str]:
    value = parse_quantity(key).value
    forms = [key, f" {key} ", f"{key}.", f"({key})" if key[0].isdigit() else key]
    if parse_quantity(key).is_bytes:
        return forms
    scientific = f"{value:.{len(repr(value))}e}"  # every digit kept: a rounded form is another number
    forms += [repr(value), scientific, f"{value * 100!r}%", f"tensor({value!r})", f"np.float64({value!r})"]
    if value == int(value) and abs(value) >= 1000:
        forms += [f"{int(value):,}", f"{int(value):_}", f"{int(value):,}".replace(",", " ")]
    if value == int(value) and value and value % 1000 == 0:
        forms.append(f"{int(value) // 1000}k")
    return forms


def shape_spellings(shape: tuple) -> list[str]:
    inside = ", ".join(map(str, shape))
    forms = [f"({inside})", f"[{inside}]", f"torch.Size([{inside}])", ",".join(map(str, shape))]
    forms += [separator.join(map(str, shape)) for separator in ("x", " x ", "×", " × ", "*", " ")]
    return [*forms, f"({inside},)"] if len(shape) == 1 else forms


def wrong_numbers(key: str) -> list[str]:
    value = parse_quantity(key).value
    forms = [f"({key})*100", f"({key})/100"]
    if value != 0:
        forms += [f"-{key}", f"-({key})"]
        if not parse_quantity(key).is_bytes:
            forms += [repr(-value), repr(value * 100), repr(value / 100)]
    return forms if value != 0 else []


def transposed(shape: tuple) -> list[tuple]:
    swaps = {shape[::-1], (*shape[:-2], shape[-1], shape[-2]) if len(shape) > 1 else shape}
    return [candidate for candidate in swaps if candidate != shape]


def test_there_are_typed_cards_of_every_kind():
    assert len(CARDS) >= 100
    assert sum(1 for _, card in CARDS if numeric_keys(card)) >= 60
    assert sum(1 for _, card in CARDS if any(len(s) >= 2 for s in shape_keys(card))) >= 20


@pytest.mark.parametrize(("where", "card"), CARDS, ids=[where for where, _ in CARDS])
def test_key_and_accepted_answers_are_right_in_every_spelling(where, card):
    assert grade(card, card.answer), where
    for alternative in card.accept:
        assert grade(card, alternative), f"{where}: {alternative!r}"
    for key in numeric_keys(card):
        for spelling in number_spellings(key):
            assert grade(card, spelling), f"{where}: {spelling!r} for {key!r}"
    for shape in shape_keys(card):
        for spelling in shape_spellings(shape):
            assert grade(card, spelling), f"{where}: {spelling!r} for {shape}"


def ambiguous(card, typed: str) -> bool:
    """Is a classic wrong answer genuinely within the tolerance of one of the card's keys? Then
    the card's key is ambiguous (none is, today)."""
    given = parse_quantity(typed)
    keys = [parse_quantity(key) for key in numeric_keys(card)]
    return given is not None and any(within(given, key, card.tolerance) for key in keys)


@pytest.mark.parametrize(("where", "card"), CARDS, ids=[where for where, _ in CARDS])
def test_classic_wrong_answers_are_wrong(where, card):
    keys = numeric_keys(card)
    for key in keys:
        others = [other for other in keys if parse_quantity(other).value != parse_quantity(key).value]
        for typed in wrong_numbers(key):
            if any(within(parse_quantity(typed), parse_quantity(other), card.tolerance) for other in others):
                continue  # "40" x 1/100 is the card's own "40%": the same quantity, another key
            assert not ambiguous(card, typed), f"{where}: {typed!r} is within the tolerance of a key"
            assert not grade(card, typed), f"{where}: {typed!r} graded right"
    for shape in shape_keys(card):
        for wrong in transposed(shape):
            for typed in shape_spellings(wrong):
                assert not grade(card, typed), f"{where}: {typed!r} graded right for {shape}"
    assert not grade(card, "certainly not this"), where
