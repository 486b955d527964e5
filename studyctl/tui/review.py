"""The review screen: the same ReviewSession `studyctl review` drives, by keys.

Basic and cloze cards: space (or enter) shows the answer, 1-4 rates it, and space or enter
again rates it Good; the interval each rating gives is on the rating bar. Choice cards: press
the number of an option (shown in today's shuffled order). Typed cards: type in the box and
press enter; a wrong answer shows a diff. Auto-graded cards suggest a rating: enter (or space)
accepts it, 1-4 overrides. u undoes the last answer, suspend, bury or flag; @ suspends (s is
Stats on the today screen), b buries, f flags the card with a note, e edits it in $EDITOR, i
shows its info and every review. The answer scrolls into view when it is shown.

Card text is Markdown (code blocks highlighted) rendered by Textual's Markdown widget, which
never reads Rich markup; every other piece of card text goes through `rich.text.Text`.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Input

from studyctl import i18n
from studyctl.i18n import N_, _, ngettext
from studyctl.service import reviews
from studyctl.srs.grading import Grade
from studyctl.srs.session import ReviewSession
from studyctl.store.reviewing import ReviewCard
from studyctl.tui.cardtext import CardMarkdown, card_word
from studyctl.tui.screen import StudyScreen
from studyctl.tui.today import styled
from studyctl.tui.widgets import Panel, StudyFooter, key_hint

RATINGS = {1: N_("Again"), 2: N_("Hard"), 3: N_("Good"), 4: N_("Easy")}  # shown with _()
RATING_STYLE = {1: "red", 2: "yellow", 3: "green", 4: "cyan"}
MAX_CHOICES = 9


class ReviewScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", N_("Show answer"), id="review.reveal"),
        Binding("enter,space", "accept", N_("Accept grade"), id="review.accept"),
        Binding("space,enter", "good", N_("Good"), id="review.good"),
        *(Binding(str(r), f"rate({r})", name, id=f"review.rate{r}") for r, name in RATINGS.items()),
        *(Binding(str(n), f"choose({n})", "", show=False) for n in range(1, MAX_CHOICES + 1)),
        Binding("u", "undo", N_("Undo"), id="review.undo"),
        Binding("at", "suspend", N_("Suspend"), id="review.suspend"),
        Binding("b", "bury", N_("Bury"), id="review.bury"),
        Binding("f", "flag", N_("Flag"), id="review.flag"),
        Binding("e", "edit", N_("Edit"), id="review.edit"),
        Binding("i", "info", N_("Card info"), id="review.info"),
        Binding("escape", "back", N_("End session"), id="review.back"),
    ]

    def __init__(self, decks: list[str] | None = None):
        super().__init__()
        self.decks = decks
        self.choices: tuple[str, ...] = ()  # the choice card's options in the order shown
        self.session: ReviewSession | None = None
        self.shown: reviews.Shown | None = None
        self.phase = "loading"  # loading | question | answer | done
        self.grade: Grade | None = None  # auto-graded cards: the grade, and the rating it suggests
        self.suggested: int | None = None
        self.response: str | None = None
        self.started = 0.0
        self.answered_ms = 0

    @property
    def in_session(self) -> bool:
        """A card is on screen: keys that would leave the session (/ for the cards) wait."""
        return self.phase in ("question", "answer", "loading")

    @property
    def live(self) -> ReviewSession:
        """The session (there is one once the screen has loaded)."""
        assert self.session is not None
        return self.session

    @property
    def current(self) -> ReviewCard:
        """The card on screen (only called while one is shown)."""
        assert self.shown is not None
        return self.shown.card

    def compose(self) -> ComposeResult:
        yield Header()
        yield Panel(_("Loading today's cards..."), id="review-status", classes="plain")
        with VerticalScroll(id="card"):
            yield CardMarkdown(id="question")
            yield Panel("", id="choices", classes="plain hidden")
            yield Input(id="typed", placeholder=_("your answer, then enter"), classes="hidden")
            yield Panel("", id="verdict", classes="plain hidden")
            yield CardMarkdown(id="answer", classes="hidden")
            yield Panel("", id="summary", classes="hidden")
        yield Panel("", id="ratings", classes="plain hidden")
        yield Panel("", id="review-message", classes="plain")
        yield StudyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Review")
        self.run_worker(self.start(), group="review", exit_on_error=False)

    async def start(self) -> None:
        backend = self.app.backend
        # the day the today screen planned (--date): the session shows what it counted
        opened = await backend.call(reviews.open_session, decks=self.decks, on=self.app.plan_on)
        self.session = opened.session
        if opened.messages:
            self.app.say("\n".join(opened.messages), severity="warning", timeout=10)
        await self.show_card(await backend.run(reviews.next_card, self.live))

    # -- showing -------------------------------------------------------------------------------

    async def show_card(self, shown: reviews.Shown | None) -> None:
        self.shown, self.grade, self.suggested, self.response = shown, None, None, None
        if shown is None:
            await self.show_summary()
            return
        card = shown.card
        self.choices = shown.choices
        self.query_one("#summary").add_class("hidden")
        self.query_one("#answer").add_class("hidden")
        self.query_one("#verdict", Panel).add_class("hidden")
        self.query_one("#ratings").add_class("hidden")
        self.update_status(shown.remaining)
        await self.query_one("#question", CardMarkdown).update(reviews.question_text(self.live, card))
        self.query_one("#question").remove_class("hidden")
        choices = self.query_one("#choices", Panel)
        choices.set_class(card.type != "choice", "hidden")
        if card.type == "choice":
            choices.show(choices_text(self.choices))
        typed = self.query_one("#typed", Input)
        typed.set_class(card.type != "typed", "hidden")
        typed.disabled = card.type != "typed"
        typed.value = ""
        self.phase = "question"
        if card.type == "typed":
            typed.focus()
            hint = [("enter", _("check")), ("esc", _("leave the box for u/@/b/f/e/i"))]
        elif card.type == "choice":
            self.query_one("#card").focus()
            hint = [(f"1-{len(self.choices)}", _("pick")), *self.card_keys()]
        else:
            self.query_one("#card").focus()
            hint = [("space", _("show answer")), *self.card_keys()]
        self.query_one("#review-message", Panel).show(key_hint(hint))
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.started = time.monotonic()
        self.refresh_bindings()

    @staticmethod
    def card_keys() -> list[tuple[str, str]]:
        return [("u", _("undo")), ("@", _("suspend")), ("b", _("bury")), ("e", _("edit"))]

    def update_status(self, left: dict[str, int]) -> None:
        status = Text()
        if self.shown is not None:
            card = self.current
            state = "cram" if self.live.cram else card.state
            status.append(f"{card.deck}", style="bold")
            status.append(f" · {card_word(card.type)} · {card_word(state)}")
            status.append("    ")
        else:
            status.append(_("Session ended") + "  ", style="bold")
        status.append(left_text(left), style="dim")
        answered = _("{count} answered").format(count=self.live.tally.answered)
        status.append(f" · {answered}", style="dim")
        self.query_one("#review-status", Panel).show(status)

    async def show_answer(self) -> None:
        answer = self.query_one("#answer", CardMarkdown)
        await answer.update(reviews.answer_text(self.live, self.current))
        answer.remove_class("hidden")
        ratings = self.query_one("#ratings", Panel)
        assert self.shown is not None
        ratings.show(ratings_text(self.shown.intervals, self.suggested))
        ratings.remove_class("hidden")
        self.phase = "answer"
        hint = [("1-4", _("rate"))]
        accepted = _(RATINGS[self.suggested or 3])
        hint.insert(
            0, ("space/enter", accepted if self.suggested is None else _("accept {rating}").format(rating=accepted))
        )
        self.query_one("#review-message", Panel).show(
            key_hint([*hint, ("u", _("undo")), ("f", _("flag")), ("i", _("info"))])
        )
        card_box = self.query_one("#card", VerticalScroll)
        card_box.focus()
        first = self.query_one("#verdict", Panel) if self.grade is not None else answer
        self.call_after_refresh(card_box.scroll_to_widget, first, top=True, animate=False)  # the answer, in view
        self.answered_ms = int((time.monotonic() - self.started) * 1000)
        self.refresh_bindings()

    async def show_summary(self) -> None:
        self.phase = "done"
        for selector in ("#question", "#choices", "#typed", "#verdict", "#answer", "#ratings"):
            self.query_one(selector).add_class("hidden")
        self.query_one("#typed", Input).disabled = True
        self.update_status(await self.app.backend.run(self.live.remaining))
        summary = self.query_one("#summary", Panel)
        summary.border_title = _("Session summary")
        summary.show(summary_text(self.live.tally))
        summary.remove_class("hidden")
        self.query_one("#review-message", Panel).show(
            key_hint([("esc", _("back to today")), ("u", _("undo the last"))])
        )
        self.query_one("#card").focus()
        self.refresh_bindings()

    # -- which keys work now ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        card = self.shown.card if self.shown else None
        if action == "reveal":
            return self.phase == "question" and card is not None and card.type in ("basic", "cloze")
        if action == "accept":
            return self.phase == "answer" and self.suggested is not None
        if action == "good":
            return self.phase == "answer" and self.suggested is None
        if action == "rate":
            return self.phase == "answer"
        if action == "choose":
            return (
                self.phase == "question"
                and card is not None
                and card.type == "choice"
                and int(str(parameters[0])) <= len(self.choices)
            )
        if action in ("suspend", "bury", "flag", "edit", "info"):
            return self.phase in ("question", "answer")
        if action == "undo":
            return self.phase != "loading"
        return True

    # -- actions ---------------------------------------------------------------------------------

    async def action_reveal(self) -> None:
        if self.phase == "question":
            await self.show_answer()

    async def action_choose(self, number: int) -> None:
        card = self.current
        self.query_one("#choices", Panel).show(choices_text(self.choices, picked=number, answer=card.extra["answer"]))
        await self.graded(card, str(number))

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase != "question" or self.shown is None or self.shown.card.type != "typed":
            return
        event.input.disabled = True
        await self.graded(self.current, event.value)

    async def graded(self, card, given: str) -> None:
        judged = reviews.judge(card, given, int((time.monotonic() - self.started) * 1000), self.choices)
        self.response, self.grade, self.suggested = judged.response, judged.grade, judged.suggested
        grade = judged.grade
        verdict = self.query_one("#verdict", Panel)
        verdict.set_class(grade.correct, "right")
        verdict.set_class(not grade.correct, "wrong")
        text = Text(_("Right.") if grade.correct else _("Not quite."), style="bold")
        if grade.diff:
            text.append("\n" + grade.diff)
        verdict.show(text)
        verdict.remove_class("hidden")
        await self.show_answer()

    async def action_accept(self) -> None:
        if self.phase == "answer" and self.suggested is not None:
            await self.rate(None)

    async def action_rate(self, rating: int) -> None:
        if self.phase == "answer":
            await self.rate(rating)

    async def action_good(self) -> None:
        """Space or enter on a self-graded answer: Good, as in Anki."""
        if self.phase == "answer" and self.suggested is None:
            await self.rate(3)

    async def rate(self, pressed: int | None) -> None:
        """Record the rating pressed (None: the suggested one) and show the next card."""
        from studyctl.presentation.reviews import answer_message

        card = self.current
        rating, how = reviews.rating_from(pressed, self.suggested)
        self.phase = "loading"
        self.refresh_bindings()
        try:
            answered = await self.app.backend.run(
                reviews.answer,
                self.live,
                card,
                rating,
                duration_ms=self.answered_ms,
                grading=how,
                response=self.response,
            )
        except Exception as error:  # a full disk, a locked database: say so, keep the card on screen
            self.phase = "answer"
            self.refresh_bindings()
            self.app.report_error(error)
            return
        await self.show_card(answered.next)
        self.message(answer_message(answered.answer, self.live.clock()), warning=answered.answer.leech)

    async def action_undo(self) -> None:
        if self.phase == "loading":
            return
        from studyctl.presentation.reviews import undone_message

        current = self.shown.card if self.shown else None
        before, self.phase = self.phase, "loading"
        undone, shown = await self.app.backend.run(reviews.undo, self.live, current)
        if undone is None or undone.action == "flag":  # nothing to show anew: the same card stays
            self.phase = before
            self.message(undone_message(undone) if undone else _("Nothing to undo."))
            self.refresh_bindings()
            return
        await self.show_card(shown)
        self.message(undone_message(undone))

    async def action_suspend(self) -> None:
        await self.set_aside("suspend", _("Suspended. ({card})"))

    async def action_bury(self) -> None:
        await self.set_aside("bury", _("Buried until tomorrow. ({card})"))

    async def set_aside(self, how: str, message: str) -> None:
        """Suspend or bury the card on screen; `message` says so, with {card} for which."""
        if self.phase not in ("question", "answer"):
            return
        card = self.current
        self.phase = "loading"
        shown = await self.app.backend.run(reviews.set_aside, self.live, card, how)
        await self.show_card(shown)
        self.message(message.format(card=f"{card.deck}/{card.note}"))

    def action_info(self) -> None:
        if self.phase not in ("question", "answer"):
            return
        from studyctl.tui.browse import CardInfoScreen

        card = self.current
        self.app.push_screen(CardInfoScreen(f"{card.deck}/{card.note}/{card.ord}"))

    def action_edit(self) -> None:
        if self.phase in ("question", "answer"):
            self.run_worker(self.edit(self.current), group="review", exit_on_error=False)

    async def edit(self, card: ReviewCard) -> None:
        """Edit the card in $EDITOR; then show it again from the question, with its new text."""
        from studyctl.tui.browse import edit_card

        edited = await edit_card(self.app, f"{card.deck}/{card.note}")
        if edited is None or self.shown is None or self.shown.card.id != card.id:
            return
        shown = await self.app.backend.run(reviews.reshow, self.live, card)
        if shown is None:  # retired by the edit: on to the next card
            shown = await self.app.backend.run(reviews.next_card, self.live)
        await self.show_card(shown)

    def action_flag(self) -> None:
        if self.phase not in ("question", "answer"):
            return
        from studyctl.tui.ask import AskScreen

        card = self.current
        self.app.push_screen(
            AskScreen(_("Flag this card"), _("What is wrong or unclear? `studyctl flags` lists flagged cards.")),
            callback=lambda note: self._flag(card, note),
        )

    def _flag(self, card, note: str | None) -> None:
        if note is None:
            return

        async def flag() -> None:
            await self.app.backend.run(reviews.flag, self.live, card, note)
            self.message(_("Flagged; `studyctl flags` lists it."))

        self.run_worker(flag(), group="review", exit_on_error=False)

    async def action_back(self) -> None:
        typed = self.query_one("#typed", Input)
        if typed.has_focus:
            self.query_one("#card").focus()
            return
        if self.phase in ("question", "answer") and self.session is not None and self.session.tally.answered:
            self.shown = None
            await self.show_summary()
            return
        self.app.pop_screen()

    def message(self, text: str, *, warning: bool = False) -> None:
        self.query_one("#review-message", Panel).show(Text(text, style="bold yellow" if warning else ""))


def left_text(left: dict[str, int]) -> str:
    """'2 learning · 5 reviews · 3 new left' (the card on screen included)."""
    learning, due, new = left.get("learning", 0), left.get("review", 0), left.get("new", 0)
    return ngettext(
        "{learning} learning · {due} review · {new} new left",
        "{learning} learning · {due} reviews · {new} new left",
        due,
    ).format(learning=learning, due=due, new=new)


def choices_text(choices: tuple[str, ...], *, picked: int | None = None, answer: str | None = None) -> Text:
    text = Text()
    for number, choice in enumerate(choices, 1):
        right = answer is not None and choice == answer
        text.append(f"{number}. ", style="bold")
        text.append(str(choice), style="bold green" if right else "bold red" if picked == number else "")
        if number < len(choices):
            text.append("\n")
    return text


def ratings_text(intervals: dict[int, str], suggested: int | None) -> Text:
    text = Text()
    for rating, name in RATINGS.items():
        reverse = " reverse" if rating == suggested else ""
        text.append(f" {rating} {_(name)} ", style=f"bold{reverse} {RATING_STYLE[rating]}")
        text.append(f" {intervals.get(rating, '?')}    ", style="dim")
    return text


def summary_text(tally) -> Text:
    from studyctl.presentation.reviews import leech_line

    text = Text()
    if not tally.answered:
        text.append(_("Nothing to review right now."), style="bold")
        return text
    took = _("under a minute") if tally.seconds < 60 else _("{minutes:.0f} min").format(minutes=tally.seconds / 60)
    answered = ngettext("Answered {count} card", "Answered {count} cards", tally.answered).format(count=tally.answered)
    text.append_text(styled(_("{answered} in {time}"), answered=(answered, "bold"), time=took))
    text.append("\n\n")
    for rating, name in RATINGS.items():
        text.append("  " + i18n.ljust(_(name), 6), style=RATING_STYLE[rating])
        text.append(f"{tally.by_rating.get(rating, 0):>4}\n")
    for leech in tally.leeches:
        text.append("\n" + leech_line(leech), style="yellow")
    return text
