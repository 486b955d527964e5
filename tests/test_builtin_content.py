"""The content that ships: a first-run roadmap and a real fundamentals deck."""

from studyctl import paths
from studyctl.content.library import load_library
from studyctl.settings import DEFAULT_ROADMAP


def test_builtin_content_loads_without_errors():
    library = load_library([paths.builtin_content_root()])
    assert library.errors == []
    assert DEFAULT_ROADMAP in library.roadmaps


def test_fundamentals_deck_is_substantial_and_referenced():
    library = load_library([paths.builtin_content_root()])
    deck = library.decks["dl-fundamentals"]
    assert len(deck.cards) >= 30
    assert all(card.zh and card.refs for card in deck.cards)
    assert {card.type for card in deck.cards} == {"basic", "cloze", "choice", "typed"}
    roadmap = library.roadmaps[DEFAULT_ROADMAP]
    assert any(task.deck == "dl-fundamentals" for task in roadmap.tasks)


def test_default_roadmap_follows_its_seed():
    """nlp-90-days comes from the 90-day plan: 13 weeks in three phases, 2 h weekday evenings."""
    roadmap = load_library([paths.builtin_content_root()]).roadmaps[DEFAULT_ROADMAP]
    assert roadmap.duration_days == 91
    assert len(roadmap.phases) == 3
    assert sum(phase.weeks for phase in roadmap.phases) == 13
    assert roadmap.budget.weekday == 120
