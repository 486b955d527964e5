"""Card rendering per type, and the roadmap order in which new decks are introduced."""

from pathlib import Path

from conftest import SMALL_ROADMAP

from studyctl.content.roadmaps import roadmap_from_data
from studyctl.content.yamlfile import parse_yaml
from studyctl.planner.model import TaskProgress
from studyctl.planner.tasks import deck_order
from studyctl.srs.render import answer, cloze_answer, cloze_question, question
from studyctl.store.reviewing import ReviewCard

TEXT = "{{c1::Adam}} keeps {{c2::two::how many?}} moving averages."


def card(**fields) -> ReviewCard:
    base = dict(
        id=1,
        deck="d",
        note="n",
        ord=0,
        type="basic",
        front="F",
        back="B",
        zh="词",
        refs=[],
        extra={},
        state=None,
        step=None,
        stability=None,
        difficulty=None,
        due=None,
        last_review=None,
        reps=0,
        lapses=0,
    )
    return ReviewCard(**{**base, **fields})


def test_cloze_hides_only_the_active_deletion():
    assert cloze_question(TEXT, 1) == "[...] keeps two moving averages."
    assert cloze_question(TEXT, 2) == "Adam keeps [how many?] moving averages."
    assert cloze_answer(TEXT, 2) == "Adam keeps [two] moving averages."


def test_question_and_answer_per_type():
    assert question(card(type="cloze", front=TEXT, ord=1)).startswith("[...]")
    assert answer(card(type="cloze", front=TEXT, ord=2)).startswith("Adam keeps **[two]** moving")  # highlighted
    typed = card(type="typed", front="Q?", back="Because.", extra={"answer": "28"}, refs=["d2l 5.1", "NNDL ch4"])
    assert question(typed) == "Q?"
    assert answer(typed) == "Answer: 28\n\nBecause.\n\n中文: 词\n\nRefs: d2l 5.1; NNDL ch4"
    assert "[red]x[/red]" in question(card(front="[red]x[/red]"))  # literal, never markup


def test_nested_and_repeated_clozes_render_as_anki_does():
    """Issue 13: `{{c1::A {{c2::is all}} B}}` came out as `[is all] you need}}`."""
    nested = "{{c1::Attention {{c2::is all}} you}} need"
    assert cloze_question(nested, 1) == "[...] need"
    assert cloze_question(nested, 2) == "Attention [...] you need"
    assert cloze_answer(nested, 1) == "[Attention is all you] need"
    assert cloze_answer(nested, 2) == "Attention [is all] you need"
    same = "{{c1::Adam}} and {{c1::RMSprop::an optimizer}} scale by {{c2::second moments}}"
    assert cloze_question(same, 1) == "[...] and [an optimizer] scale by second moments"


def test_a_reversed_card_asks_the_back():
    forward, backward = card(front="F?", back="B!", ord=0), card(front="F?", back="B!", ord=1)
    assert (question(forward), question(backward)) == ("F?", "B!")
    assert answer(backward).startswith("F?")


def test_new_cards_come_from_the_current_phase_first():
    path = Path("small.yaml")
    roadmap, _ = roadmap_from_data(parse_yaml(SMALL_ROADMAP + EXTRA_PHASE, path), path)
    assert deck_order(roadmap, {}) == ["good", "later"]
    progress = {t: TaskProgress(0, done=True) for t in ("read-a", "watch-b", "lab-c", "deck-d")}
    assert deck_order(roadmap, progress) == ["later", "good"]


EXTRA_PHASE = """
  - id: third
    title: Third phase
    tasks:
      - {id: deck-e, title: Cards E, kind: deck, deck: later, minutes: 20}
"""
