"""Issue 19's torture, part two: Hypothesis throws hostile text at the YAML loaders, the
settings and the grader. The promise: a file is either used or refused with file:line messages
(ContentError), the grader always answers, and settings that validate never crash a review or
a plan later (the issue's "settings that validate but crash")."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyctl.content.issues import ContentError
from studyctl.content.yamlfile import parse_yaml

SCALE = int(os.environ.get("STUDYCTL_FUZZ_SCALE", "1"))  # by hand: STUDYCTL_FUZZ_SCALE=50
FIXTURES_OK = [HealthCheck.function_scoped_fixture]  # the fixtures used hold nothing an example changes
fuzz = settings(deadline=None, max_examples=120 * SCALE, suppress_health_check=FIXTURES_OK)
slow_fuzz = settings(deadline=None, max_examples=30 * SCALE, suppress_health_check=FIXTURES_OK)

PATH = Path("fuzzed.yaml")
YAML_CHARACTERS = st.sampled_from([*"abcxyz019 -:,.[]{}&*!|>'\"#%@`?~=<\\\n\t", "\u00e9", "\u4e2d", "\x00", "\ufeff"])

# Plain YAML values that PyYAML turns into something surprising, or that overflow later.
TRICKY = [
    "2026-02-30",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "2026-01-01",
    "2026-01-01 10:00:00",
    "10:30",
    "1:2:3",
    "=",
    "<<",
    "~",
    "yes",
    "off",
    ".nan",
    "-.inf",
    "1e400",
    "0x1F",
    "0o17",
    "017",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999",
    "-1",
    "0",
    "''",
    '"hostile\\n"',
    "[]",
    "{}",
    "[1, 2, 3]",
    "[/etc/passwd, 5]",
    "!!binary aGVsbG8=",
    "!!python/object:os.system x",
    "!!str 5",
    "!!int abc",
    "&a [*a]",
    "*undefined",
]


def yaml_values(depth: int = 2):
    """Text of one YAML value: a tricky literal, a number, a word, or a flow list/mapping."""
    leaf = st.one_of(
        st.sampled_from(TRICKY),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(YAML_CHARACTERS, max_size=12).map(lambda s: repr(s).replace("\\x00", "")),
        st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
    )
    if depth == 0:
        return leaf
    inner = yaml_values(depth - 1)
    return st.one_of(
        leaf,
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=3).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
    )


def documents(keys: list[str], nested: dict[str, list[str]] | None = None):
    """A YAML mapping document over `keys` (plus a stray one), values from yaml_values."""
    nested = nested or {}

    def render(chosen: dict[str, str], inner: dict[str, dict[str, str]]) -> str:
        lines = [f"{key}: {value}" for key, value in chosen.items()]
        for key, values in inner.items():
            lines.append(f"{key}:")
            lines += [f"  {k}: {v}" for k, v in values.items()]
        return "\n".join(lines) + "\n"

    plain = st.dictionaries(st.sampled_from([*keys, "stray_key"]), yaml_values(), max_size=len(keys) + 1)
    inner = st.fixed_dictionaries(
        {},
        optional={
            key: st.dictionaries(st.sampled_from([*subkeys, "stray"]), yaml_values(), max_size=len(subkeys))
            for key, subkeys in nested.items()
        },
    )
    return st.builds(render, plain, inner)


def assert_refused_with_lines(error: ContentError) -> None:
    assert error.issues
    for issue in error.issues:
        assert issue.message and "\n" not in str(issue.line or "")


@fuzz
@given(st.text(YAML_CHARACTERS, max_size=300))
def test_the_yaml_parser_uses_or_refuses_any_text(text):
    try:
        parse_yaml(text, PATH)
    except ContentError as error:
        assert_refused_with_lines(error)


def loaded(text: str, build):
    try:
        data = parse_yaml(text, PATH)
    except ContentError:
        return None
    try:
        return build(data, PATH)
    except ContentError as error:
        assert_refused_with_lines(error)
        return None


CARD = "\n".join(
    [
        "  - id: {id}",
        "    type: {type}",
        "    front: {front}",
        "    back: {back}",
        "    answer: {answer}",
        "    choices: {choices}",
        "    accept: {accept}",
        "    tolerance: {tolerance}",
        "    text: {text}",
    ]
)


@fuzz
@given(
    st.fixed_dictionaries(
        {name: yaml_values(1) for name in ("id", "front", "back", "answer", "choices", "accept", "tolerance", "text")},
        optional={},
    ),
    st.sampled_from(["basic", "cloze", "choice", "typed", "other", "[]"]),
    documents(["id", "title", "tags", "description"]),
)
def test_the_deck_loader_uses_or_refuses_any_deck(card, card_type, head):
    from studyctl.content.decks import deck_from_data

    text = head + "cards:\n" + CARD.format(type=card_type, **card) + "\n"
    loaded(text, deck_from_data)


@fuzz
@given(
    documents(["id", "title", "deadline", "duration_days", "budget", "summary"]),
    st.lists(
        st.fixed_dictionaries({"id": yaml_values(0), "kind": yaml_values(0), "minutes": yaml_values(0)}),
        max_size=4,
    ),
)
def test_the_roadmap_loader_uses_or_refuses_any_roadmap(head, tasks):
    from studyctl.content.roadmaps import roadmap_from_data

    lines = ["phases:", "  - id: p", "    title: P", "    tasks:"]
    lines += [f"      - {{id: {t['id']}, title: T, kind: {t['kind']}, minutes: {t['minutes']}}}" for t in tasks]
    roadmap = loaded(head + "\n".join(lines) + "\n", roadmap_from_data)
    if roadmap is not None:
        item, _ = roadmap
        assert item.deadline is None or isinstance(item.deadline, dt.date)


SETTINGS_KEYS = ["roadmap", "start_date", "deadline", "budget", "new_cards_per_day", "rollover_hour"]
SETTINGS_KEYS += ["content_dirs", "days_off"]
REVIEW_KEYS = ["desired_retention", "learning_steps", "relearning_steps", "maximum_interval", "fuzz"]
REVIEW_KEYS += ["max_reviews_per_day", "easy_days", "leech_threshold", "fsrs_parameters"]


def fsrs_parameter_lists():
    from fsrs.scheduler import DEFAULT_PARAMETERS

    def render(values: list[float]) -> str:
        return "[" + ", ".join(repr(v) for v in values) + "]"

    size = len(DEFAULT_PARAMETERS)
    near_defaults = st.lists(st.floats(-0.5, 0.5), min_size=size, max_size=size)
    return st.one_of(
        near_defaults.map(lambda deltas: render([p + d for p, d in zip(DEFAULT_PARAMETERS, deltas, strict=True)])),
        st.lists(st.floats(0, 10), max_size=25).map(render),
        st.just(render(list(DEFAULT_PARAMETERS))),
        st.just(render(list(DEFAULT_PARAMETERS))),
    )


def rendered(strategy):
    return strategy.map(lambda value: "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else str(value))


def plausible_or_tricky(strategy):
    """Mostly values of the right kind (edges included), sometimes anything at all."""
    return st.one_of(*[rendered(strategy)] * 7, yaml_values(1))


def mostly(valid, edges):
    return st.one_of(*[valid] * 5, edges)


DATES = mostly(
    st.dates(dt.date(1970, 1, 1), dt.date(2999, 12, 31)), st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31))
).map(dt.date.isoformat)
HUGE = st.one_of(st.integers(-3, 50), st.integers(), st.sampled_from([2**31, 2**63, 2**64, 10**30]))
SETTINGS_VALUES = {
    "roadmap": st.sampled_from(["nlp-90-days", "small", "none-such"]),
    "start_date": DATES,
    "deadline": DATES,
    "budget": st.sampled_from(["{weekday: 60, weekend: 120}", "{mon: 0}", "{weekday: 1440}", "{weekday: 1441}"]),
    "new_cards_per_day": mostly(st.integers(0, 10_000), HUGE),
    "rollover_hour": mostly(st.integers(0, 23), st.integers(-2, 30)),
    "content_dirs": st.lists(st.sampled_from(["/tmp", "/nonexistent", "~", "/etc/passwd", "5", "''"]), max_size=3),
    "days_off": st.lists(DATES, max_size=3),
}
REVIEW_VALUES = {
    "desired_retention": mostly(st.floats(0.7, 0.99), st.floats(0.5, 1.2)),
    "learning_steps": st.lists(mostly(st.integers(1, 1439), HUGE), max_size=3),
    "relearning_steps": st.lists(mostly(st.integers(1, 1439), HUGE), max_size=3),
    "maximum_interval": mostly(st.integers(1, 36_500), HUGE),
    "fuzz": st.booleans().map(lambda b: "true" if b else "false"),
    "max_reviews_per_day": mostly(st.integers(1, 100_000), HUGE),
    "easy_days": st.lists(mostly(st.sampled_from(["sat", "sun", "mon"]), st.just("someday")), max_size=2),
    "leech_threshold": mostly(st.integers(1, 1000), HUGE),
}


@st.composite
def settings_files(draw) -> str:
    lines = [
        f"{key}: {draw(plausible_or_tricky(values))}"
        for key, values in SETTINGS_VALUES.items()
        if draw(st.integers(0, 3)) == 0
    ]
    review = [
        f"  {key}: {draw(plausible_or_tricky(values))}"
        for key, values in REVIEW_VALUES.items()
        if draw(st.integers(0, 3)) == 0
    ]
    if draw(st.booleans()):
        review.append(f"  fsrs_parameters: {draw(fsrs_parameter_lists())}")
    if review:
        lines += ["review:", *review]
    return "\n".join(lines) + "\n"


@fuzz
@given(settings_files())
def test_settings_are_used_or_refused_with_a_line(text):
    from studyctl.settings import settings_from_data

    loaded(text, settings_from_data)


@pytest.fixture(scope="module")
def study_home(tmp_path_factory):
    """A home with one small deck (its own content folder) synced: each example reuses it."""
    from conftest import GOOD_DECK, write

    home = tmp_path_factory.mktemp("fuzz-home")
    write(home / "content" / "decks" / "good.yaml", GOOD_DECK)
    return home


@slow_fuzz
@given(settings_files())
def test_settings_that_validate_never_crash_a_review_or_a_plan(study_home, monkeypatch, text):
    """The issue's item 9: wrong-length or out-of-bounds FSRS parameters, 2**63 new cards a day
    validated, then crashed `review` (ValueError, OverflowError). Whatever validates now must
    carry a review session (every rating) and a week's plan through."""
    from studyctl.service import reviews
    from studyctl.service.home import Home
    from studyctl.service.today import plan_days, today
    from studyctl.settings import load_settings

    settings_path = study_home / "settings.yaml"
    settings_path.write_text(text, encoding="utf-8")
    try:
        load_settings(settings_path)
    except ContentError as error:
        assert_refused_with_lines(error)
        return
    monkeypatch.setenv("STUDYCTL_HOME", str(study_home))
    home = Home(clock=lambda: dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.timezone.utc))
    try:
        opened = reviews.open_session(home, decks=["good"], cram=True)
        shown = reviews.next_card(opened.session)
        for rating in (1, 2, 3, 4):
            if shown is None:
                break
            shown = reviews.answer(
                opened.session, shown.card, rating, duration_ms=1000, grading="self", response=None
            ).next
        today(home)
        plan_days(home, 7)
    finally:
        home.close()


@fuzz
@given(
    st.text(max_size=60),
    st.text(max_size=30),
    st.lists(st.text(max_size=20), max_size=3),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    st.lists(st.text(max_size=15), min_size=1, max_size=5),
)
def test_the_grader_always_answers(given_text, key, accept, tolerance, choices):
    """Never raises on anything typed (the grading properties are in test_grading_properties.py)."""
    from studyctl.srs.grading import grade_choice, grade_typed, rating_for

    typed = grade_typed(given_text, key, accept, tolerance)
    chosen = grade_choice(given_text, choices, choices[0])
    assert rating_for(typed, "typed", 5000) in (1, 2, 3, 4)
    assert rating_for(chosen, "choice", None) in (1, 2, 3, 4)
