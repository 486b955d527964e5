"""Review sessions as both faces run them: open a session in the roadmap's deck order, show a
card with the interval each rating gives (and a choice card's options in today's shuffled
order), grade a typed or chosen answer into a suggested rating, record the answer, undo, set a
card aside, flag it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from studyctl.errors import StudyctlError
from studyctl.i18n import _
from studyctl.service.home import Home
from studyctl.srs.grading import Grade
from studyctl.srs.session import Answer, ReviewSession, Undone
from studyctl.store.reviewing import ReviewCard


@dataclass(frozen=True)
class Opened:
    session: ReviewSession
    messages: tuple[str, ...]  # deck files skipped for errors


def open_session(
    home: Home,
    *,
    decks: list[str] | None = None,
    limit: int | None = None,
    cram: bool = False,
    on: dt.date | None = None,
) -> Opened:
    """A session over today's queue (or study day `on`'s: what `today --date` counted): new
    cards only from the decks the active roadmap has unlocked (and the user's own), in its order;
    decks named here explicitly give new cards whatever the roadmap says. Unknown deck ids are
    refused (NotFound) rather than giving an empty session."""
    from studyctl.errors import NotFound
    from studyctl.store.queries import deck_ids

    issues = home.sync_decks()
    messages = tuple(_("skipped: {issue}").format(issue=issue) for issue in issues if issue.is_error)
    known = deck_ids(home.conn)
    for deck in decks or ():
        if deck not in known:
            raise NotFound("deck", deck, known, listing="studyctl decks")  # i18n: not shown
    from studyctl.service.queue import queue_decks

    order, new_decks = queue_decks(home)  # the decks `today` counts new cards from
    session = ReviewSession(
        home.conn,
        home.settings,
        decks=decks or None,
        deck_order=order,
        new_decks=None if decks else new_decks,  # decks named here give new cards whatever the roadmap says
        day=on,
        limit=limit,
        cram=cram,
        clock=home.clock,
    )
    return Opened(session, messages)


@dataclass(frozen=True)
class Shown:
    """A card ready to show: the card, the interval each rating would give, what is left (the
    card shown included), and a choice card's options in the order to show and number them."""

    card: ReviewCard
    intervals: dict[int, str]
    remaining: dict[str, int]
    choices: tuple[str, ...] = ()


def next_card(session: ReviewSession) -> Shown | None:
    card = session.next_card()
    if card is None:
        return None
    return show(session, card)


def show(session: ReviewSession, card: ReviewCard) -> Shown:
    """`card` as the session shows it now."""
    return Shown(card, session.preview(card), session.remaining(), tuple(session.choices(card)))


def reshow(session: ReviewSession, card: ReviewCard) -> Shown | None:
    """`card` read again (after an edit changed its text), or None when the edit retired it."""
    from studyctl.store import reviewing

    current = reviewing.card(session.conn, card.id)
    if current is None or reviewing.is_retired(session.conn, card.id):
        return None
    return show(session, current)


@dataclass(frozen=True)
class Judged:
    """An auto-graded answer: right or wrong (with a diff), and the rating it suggests."""

    grade: Grade
    suggested: int
    response: str  # what to log as the answer: the text typed, or the chosen option's text


def judge(card: ReviewCard, given: str, elapsed_ms: int | None, choices: tuple[str, ...] | None = None) -> Judged:
    """Grade a typed or chosen answer (`given` as typed; for a choice, its number in `choices`,
    the order shown, or an option's text) and suggest a rating: wrong -> Again; right -> Good,
    or Hard when slow. A choice that names no option has `grade.not_an_option`: ask again."""
    from studyctl.srs import grading

    extra = card.extra
    if card.type == "choice":
        grade = grading.grade_choice(given, list(choices or extra["choices"]), extra["answer"])
    elif card.type == "typed":
        grade = grading.grade_typed(given, extra["answer"], extra.get("accept", []), extra.get("tolerance"))
    else:
        raise StudyctlError(_("a {type} card is rated by the learner, not graded").format(type=card.type))
    response = grade.given if card.type == "choice" and not grade.not_an_option else given
    return Judged(grade, grading.rating_for(grade, card.type, elapsed_ms), response)


def rating_from(pressed: int | None, suggested: int | None) -> tuple[int, str]:
    """The rating to record and how it was decided: `pressed` None accepts the suggestion
    (auto); a different key overrides it; with no suggestion (basic, cloze) it is self-graded."""
    if suggested is None:
        if pressed is None:
            raise StudyctlError(_("rate the card 1-4"))
        return pressed, "self"
    if pressed is None or pressed == suggested:
        return suggested, "auto"
    return pressed, "override"


@dataclass(frozen=True)
class Answered:
    answer: Answer
    next: Shown | None


def answer(
    session: ReviewSession, card: ReviewCard, rating: int, *, duration_ms: int, grading: str, response: str | None
) -> Answered:
    """Record the answer (committed before this returns) and fetch the next card."""
    result = session.answer(card, rating, duration_ms=duration_ms, grading=grading, response=response)
    return Answered(result, next_card(session))


def take_back(session: ReviewSession, current: ReviewCard | None) -> Undone | None:
    """Take back the last answer, suspend, bury or flag. The card it was about comes next, then
    `current` again (a flag leaves the card on screen where it is)."""
    undone = session.undo()
    if undone is not None and undone.action != "flag" and current is not None and current.id != undone.card.id:
        session.requeue(current)
    return undone


def undo(session: ReviewSession, current: ReviewCard | None) -> tuple[Undone | None, Shown | None]:
    """`take_back`, then the card to show (None after a flag: the same card stays)."""
    undone = take_back(session, current)
    if undone is None or undone.action == "flag":
        return undone, None
    return undone, next_card(session)


def set_aside(session: ReviewSession, card: ReviewCard, how: str) -> Shown | None:
    """Suspend or bury `card`, then fetch the next one."""
    if how == "suspend":
        session.suspend(card)
    elif how == "bury":
        session.bury(card)
    else:
        raise ValueError(how)
    return next_card(session)


def flag(session: ReviewSession, card: ReviewCard, note: str) -> None:
    session.flag(card, note)


def question_text(session: ReviewSession, card: ReviewCard) -> str:
    """The card's question as both faces show it (the Chinese term under it with `chinese_term: first`)."""
    from studyctl.srs import render

    return render.question(card, session.settings.chinese_term)


def answer_text(session: ReviewSession, card: ReviewCard) -> str:
    """The card's answer side as both faces show it (the Chinese term with it unless the setting
    puts it first or hides it)."""
    from studyctl.srs import render

    return render.answer(card, session.settings.chinese_term)
