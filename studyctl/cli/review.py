"""`studyctl review`: a line-mode review session for any terminal, reading answers from stdin
(so it can be scripted and tested). The TUI drives the same ReviewSession."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from studyctl.service.home import Home
    from studyctl.srs.session import ReviewSession
    from studyctl.store.reviewing import ReviewCard

PROMPT_KEYS = "u undo · s suspend · b bury · f flag · q quit"


@click.command()
@click.option("--deck", "decks", multiple=True, help="Only this deck (repeatable).")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many answers.")
@click.option("--cram", is_flag=True, help="Practise cards that are not due, without changing their schedule.")
@click.pass_obj
def review(home: Home, decks: tuple[str, ...], limit: int | None, cram: bool) -> None:
    """Review today's cards: due reviews first, then new cards in your roadmap's order.

    Basic and cloze cards: press Enter to see the answer, then rate 1 Again, 2 Hard, 3 Good,
    4 Easy (the interval each gives is shown). Choice and typed cards are graded for you;
    press Enter to accept the grade or 1-4 to override it. Every answer is saved at once.
    """
    from studyctl.service.reviews import open_session

    opened = open_session(home, decks=list(decks), limit=limit, cram=cram)
    for message in opened.messages:
        click.echo(message, err=True)
    session = opened.session
    try:
        LineReview(session).run()
    finally:
        _summary(session)


class Quit(Exception):
    pass


class LineReview:
    """The conversation for one session: show, read, grade, rate; until the queue is empty."""

    def __init__(self, session: ReviewSession):
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

    def show(self, card) -> None:
        from studyctl.srs import render

        left = self.session.remaining()
        state = "cram" if self.session.cram else card.state
        click.echo(f"\n[{card.deck} · {card.type} · {state}]  {left['review']} reviews and {left['new']} new left")
        click.echo(render.question(card))
        started = time.monotonic()
        if card.type in ("choice", "typed"):
            self.auto_graded(card, started)
        else:
            self.self_graded(card, started)

    def self_graded(self, card, started: float) -> None:
        from studyctl.srs import render

        if self.command(self.read(f"(Enter: show answer · {PROMPT_KEYS}) > "), card):
            return
        click.echo("---")
        click.echo(render.answer(card))
        self.rate(card, started, suggested=None, response=None)

    def auto_graded(self, card: ReviewCard, started: float) -> None:
        from studyctl.service.reviews import judge
        from studyctl.srs import render

        extra = card.extra
        if card.type == "choice":
            for number, choice in enumerate(extra["choices"], 1):
                click.echo(f"  {number}. {choice}")
            given = self.read(f"choice 1-{len(extra['choices'])} ({PROMPT_KEYS}) > ")
        else:
            given = self.read(f"answer ({PROMPT_KEYS}) > ")
        if self.command(given, card):
            return
        judged = judge(card, given, int((time.monotonic() - started) * 1000))
        click.echo("right" if judged.grade.correct else "wrong")
        if judged.grade.diff:
            click.echo(judged.grade.diff)
        click.echo(render.answer(card))
        self.rate(card, started, suggested=judged.suggested, response=given)

    def rate(self, card: ReviewCard, started: float, *, suggested: int | None, response: str | None) -> None:
        from studyctl.presentation.reviews import answer_message
        from studyctl.service.reviews import rating_from
        from studyctl.srs.scheduling import RATING_NAMES

        intervals = self.session.preview(card)
        click.echo("  ".join(f"{r} {RATING_NAMES[r]} {intervals[r]}" for r in RATING_NAMES))
        while True:
            hint = f"Enter = {suggested} {RATING_NAMES[suggested]}, 1-4 to override" if suggested else "rating 1-4"
            choice = self.read(f"{hint} ({PROMPT_KEYS}) > ")
            if choice == "" and suggested:
                pressed = None
            elif choice in ("1", "2", "3", "4"):
                pressed = int(choice)
            elif self.command(choice, card):
                return
            else:
                click.echo("Type 1, 2, 3 or 4.")
                continue
            rating, how = rating_from(pressed, suggested)
            duration = int((time.monotonic() - started) * 1000)
            result = self.session.answer(card, rating, duration_ms=duration, grading=how, response=response)
            click.echo(f"-> {answer_message(result, self.session.clock())}")
            return

    def command(self, text: str, card) -> bool:
        """Handle u/s/b/f/q; True when the current card is done with (or the session ends)."""
        key = text.lower()
        if key == "q":
            raise Quit
        if key == "u":
            from studyctl.presentation.reviews import undone_message
            from studyctl.service.reviews import take_back

            undone = take_back(self.session, card)
            if undone is None:
                click.echo("Nothing to undo.")
                return False
            click.echo(undone_message(undone))
            return undone.action != "flag"
        if key == "s":
            self.session.suspend(card)
            click.echo("Suspended.")
            return True
        if key == "b":
            self.session.bury(card)
            click.echo("Buried until tomorrow.")
            return True
        if key == "f":
            note = self.read("What is wrong or unclear? > ")
            self.session.flag(card, note)
            click.echo("Flagged; `studyctl flags` lists it.")
            return False
        return False


def _summary(session: ReviewSession) -> None:
    from studyctl.srs.scheduling import RATING_NAMES

    tally = session.tally
    if not tally.answered:
        click.echo("Nothing to review right now." if session.next_card() is None else "No answers this time.", err=True)
        return
    ratings = ", ".join(f"{RATING_NAMES[r]} {n}" for r, n in tally.by_rating.items() if n)
    click.echo(f"\nAnswered {tally.answered} cards in {tally.seconds / 60:.1f} min ({ratings}).", err=True)
    for leech in tally.leeches:
        click.echo(f"Suspended leech: {leech}", err=True)
