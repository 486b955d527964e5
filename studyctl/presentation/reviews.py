"""What a review answer did, in words both faces show."""

from __future__ import annotations

import datetime as dt

from studyctl.srs.session import Answer, Undone


def answer_message(answer: Answer, now: dt.datetime) -> str:
    """What an answer did: "Good: next in 10m", plus the leech warning when it made one."""
    from studyctl.srs.scheduling import RATING_NAMES, describe_interval

    message = RATING_NAMES[answer.rating]
    if answer.after is not None:
        message += f": next in {describe_interval(answer.after.due - now)}"
    if answer.leech and answer.after is not None:
        card = answer.card
        message += (
            f". Leech: {card.deck}/{card.note} failed {answer.after.lapses} times and is suspended; "
            f"rewrite or split it (`studyctl edit {card.deck}/{card.note}`), then `studyctl unsuspend` it."
        )
    return message


def leech_line(key: str) -> str:
    """The session summary's line for a card suspended as a leech, with the way back."""
    return f"Suspended leech: {key} (fix it with `studyctl edit {key}`, then `studyctl unsuspend {key}`)"


def undone_message(undone: Undone) -> str:
    """What an undo took back."""
    card = f"{undone.card.deck}/{undone.card.note}"
    return {
        "answer": f"Undid the last answer ({card}).",
        "suspend": f"Unsuspended {card}.",
        "bury": f"Unburied {card}.",
        "flag": f"Removed the flag of {card}.",
    }[undone.action]
