"""What a review answer did, in words both faces show."""

from __future__ import annotations

import datetime as dt

from studyctl.i18n import _, ngettext
from studyctl.srs.session import Answer, Undone


def answer_message(answer: Answer, now: dt.datetime) -> str:
    """What an answer did: "Good: next in 10m", plus the leech warning when it made one."""
    from studyctl.srs.scheduling import describe_interval, rating_name

    rating = rating_name(answer.rating)
    if answer.after is None:
        return rating
    interval = describe_interval(answer.after.due - now)
    if not answer.leech:
        return _("{rating}: next in {interval}").format(rating=rating, interval=interval)
    card = f"{answer.card.deck}/{answer.card.note}"
    lapses = answer.after.lapses
    return ngettext(
        "{rating}: next in {interval}. Leech: {card} failed {lapses} time and is suspended; rewrite or split it "
        "(`studyctl edit {card}`), then `studyctl unsuspend` it.",
        "{rating}: next in {interval}. Leech: {card} failed {lapses} times and is suspended; rewrite or split it "
        "(`studyctl edit {card}`), then `studyctl unsuspend` it.",
        lapses,
    ).format(rating=rating, interval=interval, card=card, lapses=lapses)


def leech_line(key: str) -> str:
    """The session summary's line for a card suspended as a leech, with the way back."""
    return _("Suspended leech: {key} (fix it with `studyctl edit {key}`, then `studyctl unsuspend {key}`)").format(
        key=key
    )


def undone_message(undone: Undone) -> str:
    """What an undo took back."""
    card = f"{undone.card.deck}/{undone.card.note}"
    if undone.action == "answer":
        return _("Undid the last answer ({card}).").format(card=card)
    if undone.action == "suspend":
        return _("Unsuspended {card}.").format(card=card)
    if undone.action == "bury":
        return _("Unburied {card}.").format(card=card)
    if undone.action == "flag":
        return _("Removed the flag of {card}.").format(card=card)
    raise KeyError(undone.action)
