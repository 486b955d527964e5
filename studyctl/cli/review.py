"""`studyctl review`: a line-mode review session for any terminal, reading answers from stdin
(so it can be scripted and tested). The TUI drives the same ReviewSession."""

from __future__ import annotations

import sys
import time

import click

PROMPT_KEYS = "u undo · s suspend · b bury · f flag · q quit"


@click.command()
@click.option("--deck", "decks", multiple=True, help="Only this deck (repeatable).")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many answers.")
@click.option("--cram", is_flag=True, help="Practise cards that are not due, without changing their schedule.")
@click.pass_obj
def review(ctx, decks: tuple[str, ...], limit: int | None, cram: bool) -> None:
    """Review today's cards: due reviews first, then new cards in your roadmap's order.

    Basic and cloze cards: press Enter to see the answer, then rate 1 Again, 2 Hard, 3 Good,
    4 Easy (the interval each gives is shown). Choice and typed cards are graded for you;
    press Enter to accept the grade or 1-4 to override it. Every answer is saved at once.
    """
    from studyctl.srs.session import ReviewSession

    for issue in ctx.sync():
        if issue.is_error:
            click.echo(f"skipped: {issue}", err=True)
    session = ReviewSession(
        ctx.conn, ctx.settings, decks=list(decks) or None, deck_order=_deck_order(ctx), limit=limit, cram=cram
    )
    try:
        LineReview(session).run()
    finally:
        _summary(session)


def _deck_order(ctx) -> list[str]:
    from studyctl.planner.tasks import deck_order
    from studyctl.store.queries import task_progress
    from studyctl.today import active_roadmap

    roadmap = active_roadmap(ctx, ctx.settings.roadmap, [])
    return deck_order(roadmap, task_progress(ctx.conn, roadmap.id)) if roadmap else []


class Quit(Exception):
    pass


class LineReview:
    """The conversation for one session: show, read, grade, rate; until the queue is empty."""

    def __init__(self, session):
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
        self.rate(card, started, default=None, grading="self", response=None)

    def auto_graded(self, card, started: float) -> None:
        from studyctl.srs import grading, render

        extra = card.extra
        if card.type == "choice":
            for number, choice in enumerate(extra["choices"], 1):
                click.echo(f"  {number}. {choice}")
            given = self.read(f"choice 1-{len(extra['choices'])} ({PROMPT_KEYS}) > ")
            if self.command(given, card):
                return
            grade = grading.grade_choice(given, extra["choices"], extra["answer"])
        else:
            given = self.read(f"answer ({PROMPT_KEYS}) > ")
            if self.command(given, card):
                return
            grade = grading.grade_typed(given, extra["answer"], extra.get("accept", []), extra.get("tolerance"))
        elapsed = int((time.monotonic() - started) * 1000)
        click.echo("right" if grade.correct else "wrong")
        if grade.diff:
            click.echo(grade.diff)
        click.echo(render.answer(card))
        suggested = grading.rating_for(grade, card.type, elapsed)
        self.rate(card, started, default=suggested, grading="auto", response=given)

    def rate(self, card, started: float, *, default: int | None, grading: str, response: str | None) -> None:
        from studyctl.srs.scheduling import RATING_NAMES

        intervals = self.session.preview(card)
        click.echo("  ".join(f"{r} {RATING_NAMES[r]} {intervals[r]}" for r in RATING_NAMES))
        while True:
            hint = f"Enter = {default} {RATING_NAMES[default]}, 1-4 to override" if default else "rating 1-4"
            choice = self.read(f"{hint} ({PROMPT_KEYS}) > ")
            if choice == "" and default:
                rating, how = default, grading
            elif choice in ("1", "2", "3", "4"):
                rating = int(choice)
                how = "override" if default and rating != default else grading
            elif self.command(choice, card):
                return
            else:
                click.echo("Type 1, 2, 3 or 4.")
                continue
            duration = int((time.monotonic() - started) * 1000)
            result = self.session.answer(card, rating, duration_ms=duration, grading=how, response=response)
            if result.after is not None:
                click.echo(f"-> {RATING_NAMES[rating]}: next in {_until(result.after.due)}")
            if result.leech:
                click.echo(
                    f"Leech: {card.deck}/{card.note} failed {result.after.lapses} times; suspended. "
                    "Rewrite or split it, then unsuspend it with `studyctl flags`."
                )
            return

    def command(self, text: str, card) -> bool:
        """Handle u/s/b/f/q; True when the current card is done with (or the session ends)."""
        key = text.lower()
        if key == "q":
            raise Quit
        if key == "u":
            undone = self.session.undo()
            click.echo(f"Undid the last answer ({undone.deck}/{undone.note})." if undone else "Nothing to undo.")
            if undone:
                self.session.requeue(card)  # the undone card comes first, then this one again
            return bool(undone)
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


def _until(due) -> str:
    import datetime as dt

    from studyctl.srs.scheduling import describe_interval

    return describe_interval(due - dt.datetime.now(dt.timezone.utc))


def _summary(session) -> None:
    from studyctl.srs.scheduling import RATING_NAMES

    tally = session.tally
    if not tally.answered:
        click.echo("Nothing to review right now." if session.next_card() is None else "No answers this time.", err=True)
        return
    ratings = ", ".join(f"{RATING_NAMES[r]} {n}" for r, n in tally.by_rating.items() if n)
    click.echo(f"\nAnswered {tally.answered} cards in {tally.seconds / 60:.1f} min ({ratings}).", err=True)
    for leech in tally.leeches:
        click.echo(f"Suspended leech: {leech}", err=True)
