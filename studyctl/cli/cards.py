"""Cards one at a time: `studyctl cards` (search), `card info`, `edit`, `add` and `unsuspend`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import TYPE_LABELS, json_option, listing, print_json, state_label, type_label
from studyctl.i18n import _, ljust, ngettext, width

if TYPE_CHECKING:
    from studyctl.service.cards import CardRow, NoteInfo
    from studyctl.service.home import Home

STATE_CHOICES = ("new", "learning", "review", "relearning", "due", "suspended", "buried", "flagged", "leech")


@click.command(context_settings={"ignore_unknown_options": True})  # `-word` leaves a word out
@click.argument("query", nargs=-1)
@click.option("--deck", help=_("Only this deck (* as a wildcard, e.g. 'dl-*')."))
@click.option("--state", type=click.Choice(STATE_CHOICES), help=_("Only cards in this state or with this mark."))
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True, help=_("Show at most this many."))
@json_option
@click.pass_obj
def cards(home: Home, query: tuple[str, ...], deck: str | None, state: str | None, limit: int, json_: bool) -> None:
    """Find cards: words or "a phrase" anywhere in the front, back, Chinese term or tags.

    Filters work inside QUERY too: deck:ID (* wildcard), tag:NAME, is:new, is:due,
    is:learning, is:review, is:suspended, is:buried, is:flagged, is:leech; -word leaves a
    word out. Each line starts with the card's key for `card info`, `edit` and `unsuspend`.
    """
    from studyctl.service.cards import find_cards

    found = find_cards(home, " ".join(query), deck=deck, state=state, limit=limit)
    for issue in found.issues:
        click.echo(issue, err=True)
    if json_:
        print_json(found.to_dict())
        return
    if not found.cards:
        click.echo(_("No cards match."), err=True)
        return
    now = home.clock()
    keys = min(max(len(card.key) for card in found.cards), 48)
    types = max(6, *(width(type_label(name)) for name in TYPE_LABELS))
    for card in found.cards:
        click.echo(
            f"{card.key:<{keys}}  {ljust(type_label(card.type), types)}  {ljust(_status(card, now), 22)}"
            f"  {_excerpt(card.front)}"
        )
    shown = len(found.cards)
    if shown < found.total:
        message = ngettext(
            "{shown} of {total} card shown; narrow the search or raise --limit.",
            "{shown} of {total} cards shown; narrow the search or raise --limit.",
            found.total,
        )
        click.echo(message.format(shown=shown, total=found.total), err=True)
    else:
        click.echo(ngettext("{n} card", "{n} cards", found.total).format(n=found.total), err=True)


def _status(card: CardRow, now: dt.datetime) -> str:
    from studyctl.presentation.cards import due_text

    if card.marks:
        return listing(state_label(mark) for mark in card.marks)
    if card.state == "new" or not card.due:
        return state_label(card.state)
    return f"{state_label(card.state)} {due_text(card.due, now)}"


def _excerpt(text: str, width: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


# -- card info -------------------------------------------------------------------------------


@click.group()
def card() -> None:
    """One card: `card info DECK/CARD` shows it with its schedule and every review."""


@card.command()
@click.argument("key", metavar="DECK/CARD")
@json_option
@click.pass_obj
def info(home: Home, key: str, json_: bool) -> None:
    """Show a card: its text, file and line, state, next due date, stability, retrievability
    and every review (DECK/CARD shows each card of a cloze note; DECK/CARD/ORD one of them)."""
    from studyctl.service.cards import card_info

    found = card_info(home, key)
    if json_:
        print_json(found.to_dict())
        return
    print_info(found, home.clock())


def print_info(found: NoteInfo, now: dt.datetime | None = None) -> None:
    from studyctl.presentation.cards import info_lines

    for number, one in enumerate(found.cards):
        if number:
            click.echo()
        for line in info_lines(one, now or dt.datetime.now(dt.timezone.utc)):
            click.echo(line)


# -- edit, add, unsuspend --------------------------------------------------------------------


@click.command()
@click.argument("key", metavar="DECK/CARD")
@click.pass_obj
def edit(home: Home, key: str) -> None:
    """Open a card's deck file in $EDITOR at the card's line, then sync it.

    A built-in deck is first copied into your own content folder, where it replaces the
    built-in one; the card ids stay, so every card keeps its history."""
    import subprocess

    from studyctl.errors import StudyctlError
    from studyctl.service.card_edit import after_edit, edit_target, editor_command

    target = edit_target(home, key)
    if target.copied_from:
        click.echo(
            _("Copied the built-in deck to {file}; your copy replaces it from now on.").format(file=target.file),
            err=True,
        )
    command = editor_command(target.file, target.line)
    try:
        finished = subprocess.run(command, check=False)
    except OSError as exc:
        raise StudyctlError(
            _("could not run {command}: {reason}").format(command=command[0], reason=exc.strerror)
        ) from None
    if finished.returncode:
        click.echo(_("The editor exited with status {status}.").format(status=finished.returncode), err=True)
    edited = after_edit(home, target)
    if not edited.ok:
        raise StudyctlError(edited.message())
    click.echo(edited.message())


CARD_TYPES = ("basic", "cloze", "choice", "typed")


@click.command()
@click.option("--deck", help=_("The deck to add to (default: inbox, your own, made on first use)."))
@click.option("--type", "card_type", type=click.Choice(CARD_TYPES), help=_("The card type (default: basic)."))
@click.option("--front", help=_("The question (for a cloze card: the text with {{c1::...}} deletions)."))
@click.option("--back", help=_("The answer or explanation shown after answering."))
@click.option("--choice", "choices", multiple=True, help=_("An option of a choice card (repeatable, or 'a | b')."))
@click.option("--answer", help=_("The right option (choice) or the key (typed)."))
@click.option("--accept", multiple=True, help=_("Another right answer of a typed card (repeatable)."))
@click.option("--tolerance", type=float, help=_("How far a typed numeric answer may be off."))
@click.option("--zh", help=_("The Chinese term."))
@click.option("--tag", "tags", multiple=True, help=_("A tag (repeatable)."))
@click.option("--ref", "refs", multiple=True, help=_("A reference, e.g. 'nndl ch4' (repeatable)."))
@click.option("--id", "card_id", help=_("The card's id in the deck file (default: made from the front)."))
@json_option
@click.pass_obj
def add(
    home: Home,
    deck: str | None,
    card_type: str | None,
    front: str | None,
    back: str | None,
    choices: tuple[str, ...],
    answer: str | None,
    accept: tuple[str, ...],
    tolerance: float | None,
    zh: str | None,
    tags: tuple[str, ...],
    refs: tuple[str, ...],
    card_id: str | None,
    json_: bool,
) -> None:
    """Add a card to your own deck file, checked before it is saved.

    With --front it adds at once (scripts, tests); without, it asks for the fields. The card
    is in your next review."""
    from studyctl.service.card_edit import NewCard, add_card, split_list

    if card_type is None:
        card_type = "basic" if front else click.prompt(_("Type"), type=click.Choice(CARD_TYPES), default="basic")
    if front is None:
        label = _("Text with {{c1::deletions}}") if card_type == "cloze" else _("Front (the question)")
        front = click.prompt(label)
        if card_type == "choice" and not choices:
            choices = (click.prompt(_("Options, separated by ' | '")),)
        if card_type in ("choice", "typed") and answer is None:
            answer = click.prompt(_("Answer"))
        if back is None:
            label = _("Back") if card_type == "basic" else _("Back (Enter for none)")
            back = click.prompt(label, default="", show_default=False)
    new = NewCard(
        type=card_type,
        front=front,
        back=back or "",
        zh=zh or "",
        choices=split_list(choices),
        answer=answer or "",
        accept=tuple(accept),
        tolerance=tolerance,
        tags=tuple(tags),
        refs=tuple(refs),
        id=card_id or "",
    )
    added = add_card(home, new, deck)
    if json_:
        print_json(added.to_dict())
        return
    if added.copied_from:
        click.echo(
            _("Copied the built-in deck to {file}; your copy replaces it from now on.").format(file=added.file),
            err=True,
        )
    for warning in added.warnings:
        click.echo(warning, err=True)
    added_text = _("Added {key} to {place} (a new deck file).") if added.new_deck else _("Added {key} to {place}.")
    click.echo(added_text.format(key=added.key, place=f"{added.file}:{added.line}"))


@click.command()
@click.argument("key", metavar="DECK/CARD")
@click.pass_obj
def unsuspend(home: Home, key: str) -> None:
    """Bring a suspended card back into review (DECK/CARD: every card of the note)."""
    from studyctl.service.cards import unsuspend as bring_back

    done = bring_back(home, key)
    if not done.cards:
        click.echo(_("{key} was not suspended.").format(key=done.key))
        return
    unsuspended = ngettext("Unsuspended {key} ({n} card).", "Unsuspended {key} ({n} cards).", done.cards)
    click.echo(unsuspended.format(key=done.key, n=done.cards))
