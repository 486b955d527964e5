"""`studyctl review`: a line-mode review session for any terminal, reading answers from stdin
(so it can be scripted and tested). The TUI drives the same ReviewSession.

A line is an answer unless it starts with ':' (`:u` undo, `:s` suspend, `:b` bury, `:f` flag,
`:i` card info, `:q` quit): a typed answer of "b" is an answer, never a bury."""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import DATE, listing, state_label, type_label
from studyctl.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from studyctl.service.home import Home
    from studyctl.srs.session import ReviewSession
    from studyctl.store.reviewing import ReviewCard

# The commands keep their letters in every language; the words after them are translated at use.
PROMPT_KEYS = N_(":u undo · :s suspend · :b bury · :f flag · :i info · :q quit")
COMMAND_PREFIX = ":"


@click.command()
@click.option("--deck", "decks", multiple=True, help=_("Only this deck (repeatable)."))
@click.option("--limit", type=click.IntRange(1), help=_("Stop after this many answers."))
@click.option("--cram", is_flag=True, help=_("Practise cards that are not due, without changing their schedule."))
@click.option(
    "--date", "on", type=DATE, help=_("Review the queue `today --date` counted for that day (default: today).")
)
@click.pass_obj
def review(home: Home, decks: tuple[str, ...], limit: int | None, cram: bool, on: dt.date | None) -> None:
    """Review today's cards: due reviews first, then new cards in your roadmap's order.

    Basic and cloze cards: press Enter to see the answer, then rate 1 Again, 2 Hard, 3 Good,
    4 Easy (the interval each gives is shown). Choice and typed cards are graded for you;
    press Enter to accept the grade or 1-4 to override it. Every answer is saved at once.

    A whole line is your answer; commands start with a colon: :u undo, :s suspend, :b bury,
    :f flag, :i card info, :q quit.
    """
    from studyctl.service.reviews import open_session

    opened = open_session(home, decks=list(decks), limit=limit, cram=cram, on=on)
    for message in opened.messages:
        click.echo(message, err=True)
    session = opened.session
    try:
        LineReview(home, session).run()
    finally:
        _summary(session)


class Quit(Exception):
    pass


class LineReview:
    """The conversation for one session: show, read, grade, rate; until the queue is empty."""

    def __init__(self, home: Home, session: ReviewSession):
        self.home = home
        self.session = session
        self.stdin = sys.stdin

    def read(self, prompt: str) -> str:
        click.echo(prompt, nl=False)
        line = self.stdin.readline()
        if not line:  # end of input: stop, everything answered is already saved
            click.echo()
            raise Quit
        return line.strip()

    def run(self) -> None:
        try:
            while (card := self.session.next_card()) is not None:
                self.show(card)
        except Quit:
            return
        session = self.session
        limited = session.limit is not None and session.tally.answered >= session.limit
        if not session.cram and not limited and (later := session.queue().learning_later):
            due_later = ngettext(
                "{n} learning card is due later today: review again then.",
                "{n} learning cards are due later today: review again then.",
                later,
            )
            click.echo("\n" + due_later.format(n=later), err=True)

    def show(self, card: ReviewCard) -> None:
        from studyctl.service.reviews import question_text

        left = self.session.remaining()
        state = "cram" if self.session.cram else card.state
        click.echo(f"\n[{card.deck} · {type_label(card.type)} · {state_label(state)}]  {left_text(left)}")
        click.echo(question_text(self.session, card))
        started = time.monotonic()
        if card.type in ("choice", "typed"):
            self.auto_graded(card, started)
        else:
            self.self_graded(card, started)

    def self_graded(self, card: ReviewCard, started: float) -> None:
        from studyctl.service.reviews import answer_text

        if self.command(self.read(_("(Enter: show answer · {keys}) > ").format(keys=_(PROMPT_KEYS))), card):
            return
        click.echo("---")
        click.echo(answer_text(self.session, card))
        self.rate(card, started, suggested=None, response=None)

    def auto_graded(self, card: ReviewCard, started: float) -> None:
        from studyctl.service.reviews import answer_text, judge

        choices = tuple(self.session.choices(card))
        for number, choice in enumerate(choices, 1):
            click.echo(f"  {number}. {choice}")
        prompt = _("choice 1-{count}").format(count=len(choices)) if card.type == "choice" else _("answer")
        while True:
            given = self.read(_("{prompt} ({keys}) > ").format(prompt=prompt, keys=_(PROMPT_KEYS)))
            if self.command(given, card):
                return
            if is_command(given):
                continue  # a command that leaves the card on screen (flag, info): ask again
            judged = judge(card, given, int((time.monotonic() - started) * 1000), choices)
            if not judged.grade.not_an_option:
                break
            click.echo(_("Type a number from 1 to {count}, or an option's text.").format(count=len(choices)))
        click.echo(_("right") if judged.grade.correct else _("wrong"))
        if judged.grade.diff:
            click.echo(judged.grade.diff)
        click.echo(answer_text(self.session, card))
        self.rate(card, started, suggested=judged.suggested, response=judged.response)

    def rate(self, card: ReviewCard, started: float, *, suggested: int | None, response: str | None) -> None:
        from studyctl.presentation.reviews import answer_message
        from studyctl.service.reviews import rating_from
        from studyctl.srs.scheduling import RATING_NAMES

        intervals = self.session.preview(card)
        click.echo("  ".join(f"{r} {_(RATING_NAMES[r])} {intervals[r]}" for r in RATING_NAMES))
        while True:
            hint = (
                _("Enter = {rating} {name}, 1-4 to override").format(rating=suggested, name=_(RATING_NAMES[suggested]))
                if suggested
                else _("rating 1-4")
            )
            choice = self.read(_("{prompt} ({keys}) > ").format(prompt=hint, keys=_(PROMPT_KEYS)))
            if choice == "" and suggested:
                pressed = None
            elif choice in ("1", "2", "3", "4"):
                pressed = int(choice)
            elif self.command(choice, card):
                return
            else:
                if not is_command(choice):
                    click.echo(_("Type 1, 2, 3 or 4 (commands start with {prefix}).").format(prefix=COMMAND_PREFIX))
                continue
            rating, how = rating_from(pressed, suggested)
            duration = int((time.monotonic() - started) * 1000)
            result = self.session.answer(card, rating, duration_ms=duration, grading=how, response=response)
            click.echo(f"-> {answer_message(result, self.session.clock())}")
            return

    def command(self, text: str, card: ReviewCard) -> bool:
        """Handle a `:` command; True when the current card is done with (or the session ends).
        Anything without the prefix is not a command (False)."""
        if not is_command(text):
            return False
        key = text[len(COMMAND_PREFIX) :].strip().lower()
        if key == "q":
            raise Quit
        if key == "u":
            from studyctl.presentation.reviews import undone_message
            from studyctl.service.reviews import take_back

            undone = take_back(self.session, card)
            if undone is None:
                click.echo(_("Nothing to undo."))
                return False
            click.echo(undone_message(undone))
            return undone.action != "flag"
        if key == "s":
            self.session.suspend(card)
            click.echo(
                _("Suspended; `studyctl unsuspend {key}` brings it back.").format(key=f"{card.deck}/{card.note}")
            )
            return True
        if key == "b":
            self.session.bury(card)
            click.echo(_("Buried until tomorrow."))
            return True
        if key == "f":
            note = self.read(_("What is wrong or unclear? > "))
            self.session.flag(card, note)
            click.echo(_("Flagged; `studyctl flags` lists it."))
            return False
        if key == "i":
            from studyctl.cli.cards import print_info
            from studyctl.service.cards import card_info

            print_info(card_info(self.home, f"{card.deck}/{card.note}/{card.ord}"), self.session.clock())
            return False
        click.echo(_("Unknown command {command}: {keys}.").format(command=repr(text), keys=_(PROMPT_KEYS)))
        return False


def is_command(text: str) -> bool:
    return text.startswith(COMMAND_PREFIX)


def left_text(left: dict[str, int]) -> str:
    """'2 learning · 5 reviews · 3 new left' (the card on screen included)."""
    text = ngettext(
        "{learning} learning · {review} review · {new} new left",
        "{learning} learning · {review} reviews · {new} new left",
        left["review"],
    )
    return text.format(learning=left["learning"], review=left["review"], new=left["new"])


def _summary(session: ReviewSession) -> None:
    from studyctl.presentation.reviews import leech_line
    from studyctl.srs.scheduling import RATING_NAMES

    tally = session.tally
    if not tally.answered:
        click.echo(
            _("Nothing to review right now.") if session.next_card() is None else _("No answers this time."), err=True
        )
        return
    ratings = listing(f"{_(RATING_NAMES[r])} {n}" for r, n in tally.by_rating.items() if n)
    answered = ngettext(
        "Answered {n} card in {minutes:.1f} min ({ratings}).",
        "Answered {n} cards in {minutes:.1f} min ({ratings}).",
        tally.answered,
    )
    click.echo("\n" + answered.format(n=tally.answered, minutes=tally.seconds / 60, ratings=ratings), err=True)
    for leech in tally.leeches:
        click.echo(leech_line(leech), err=True)
