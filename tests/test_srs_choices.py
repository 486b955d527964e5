"""Choice options are shown shuffled: the same order all day for a card (undo, a second session
and the log agree), a new order on other days, and the answer's place in the file no longer
tells it: over the built-in choice cards it is option 1 about as often as chance says."""

import datetime as dt

from studyctl.service.home import Home
from studyctl.srs.choices import shuffled_choices
from studyctl.store import reviewing

DAY = dt.date(2026, 11, 23)


def choice_card(choices, answer="b", note="pick") -> reviewing.ReviewCard:
    return reviewing.ReviewCard(
        id=1, deck="d", note=note, ord=0, type="choice", front="?", back="", zh="", refs=[],
        extra={"choices": list(choices), "answer": answer}, state="new", step=None, stability=None,
        difficulty=None, due=None, last_review=None, reps=0, lapses=0,
    )  # fmt: skip


def test_same_order_all_day_and_a_permutation():
    card = choice_card("abcdef")
    first = shuffled_choices(card, DAY)
    assert first == shuffled_choices(card, DAY) and sorted(first) == list("abcdef")
    orders = {tuple(shuffled_choices(card, DAY + dt.timedelta(days=n))) for n in range(10)}
    assert len(orders) > 5  # other days, other orders


def test_other_cards_get_other_orders():
    orders = {tuple(shuffled_choices(choice_card("abcdef", note=f"n{n}"), DAY)) for n in range(10)}
    assert len(orders) > 5


def test_builtin_answers_are_no_longer_mostly_option_one(studyctl_home):
    home = Home()
    home.sync_decks()
    cards = [
        reviewing.card(home.conn, row[0]) for row in home.conn.execute("SELECT id FROM cards WHERE type = 'choice'")
    ]
    home.close()
    assert len(cards) >= 40
    in_file = sum(card.extra["choices"][0] == card.extra["answer"] for card in cards) / len(cards)
    shown = [shuffled_choices(card, DAY) for card in cards]
    first = sum(order[0] == card.extra["answer"] for order, card in zip(shown, cards, strict=True)) / len(cards)
    chance = sum(1 / len(card.extra["choices"]) for card in cards) / len(cards)
    assert first < max(in_file - 0.15, chance + 0.15), (in_file, first, chance)
