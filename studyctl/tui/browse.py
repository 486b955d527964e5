"""The browse screen (`/` from any screen): `studyctl cards` by keys. Type to search (the same words, "phrases",
deck:, tag: and is: filters), move through the cards, `i` (or enter) for a card's info with
every review, `e` to edit it in $EDITOR, `@` to suspend or unsuspend it.

Also here, for the review screen too: the card info dialog and `edit_card`, which runs the
editor with the app suspended. Textual's `suspend` does not resume the app when an exception
leaves it, so the command is checked before (no editor, one that can't be run: a message) and
nothing raised inside the `with` block escapes it.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input

from studyctl.errors import StudyctlError
from studyctl.i18n import N_, _, ngettext
from studyctl.service import card_edit, cards
from studyctl.tui.cardtext import card_word
from studyctl.tui.screen import LocalizedBindings, StudyScreen
from studyctl.tui.today import fit
from studyctl.tui.widgets import Panel, StudyFooter, key_hint

if TYPE_CHECKING:
    from textual.app import App

    from studyctl.service.card_edit import Edited
    from studyctl.tui.app import StudyApp

MARK_STYLE = {"suspended": "yellow", "buried": "dim", "flagged": "magenta", "leech": "red"}


class BrowseScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("Search"), id="browse.search"),
        Binding("i", "info", N_("Card info"), id="browse.info"),
        Binding("e", "edit", N_("Edit"), id="browse.edit"),
        Binding("at", "toggle_suspend", N_("Suspend/unsuspend"), id="browse.suspend"),
        Binding("escape", "back", N_("Back"), id="browse.back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.rows: dict[str, cards.CardRow] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            value=self.initial_query,
            placeholder=_('search: words, "a phrase", deck:ID, tag:NAME, is:due / is:suspended / is:new ...'),
            id="browse-query",
        )
        table: DataTable[Text | str] = DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Panel("", id="browse-count", classes="plain")
        yield Panel("", title=_("Card"), id="browse-detail")
        yield StudyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Cards")
        table = self.query_one("#browse-table", DataTable)
        table.add_columns(_("card"), _("type"), _("state"), _("front"))
        self.query_one("#browse-query", Input).focus()
        self.search(self.initial_query)

    # -- searching -------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#browse-table", DataTable).focus()

    def search(self, query: str) -> None:
        self.run_worker(self.load(query), exclusive=True, group="browse", exit_on_error=False)

    async def load(self, query: str, keep: str | None = None) -> None:
        try:
            found = await self.app.backend.call(cards.find_cards, query)
        except StudyctlError as exc:  # e.g. an unknown is: filter while typing
            self.query_one("#browse-count", Panel).show(Text(str(exc), style="yellow"))
            return
        self.rows = {card.key: card for card in found.cards}
        table = self.query_one("#browse-table", DataTable)
        table.clear()
        for card in found.cards:
            table.add_row(card.key, card_word(card.type), state_text(card), _excerpt(card.front), key=card.key)
        shown, total = len(found.cards), found.total
        count = ngettext("{count} card", "{count} cards", total).format(count=total)
        if shown < total:
            count = ngettext(
                "{shown} of {total} card shown: narrow the search",
                "{shown} of {total} cards shown: narrow the search",
                total,
            ).format(shown=shown, total=total)
        hint = key_hint([("i", _("info")), ("e", _("edit")), ("@", _("suspend/unsuspend"))])
        self.query_one("#browse-count", Panel).show(Text.assemble((count, "bold"), "   ", hint))
        if keep in self.rows:
            table.move_cursor(row=list(self.rows).index(keep))
        await self.show_detail(self.selected())

    def selected(self) -> str | None:
        table = self.query_one("#browse-table", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return list(self.rows)[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()  # moving fast through the list: only the card the cursor stops on is read
        self.run_worker(
            self.show_detail(event.row_key.value), exclusive=True, group="browse-detail", exit_on_error=False
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    async def show_detail(self, key: str | None) -> None:
        detail = self.query_one("#browse-detail", Panel)
        if key is None:
            detail.show(_("No cards match.") if not self.rows else "")
            return
        found = await self.app.backend.call(cards.card_info, key)
        detail.border_title = key
        detail.show(info_text(found, self.app.clock(), brief=True))

    # -- actions -----------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#browse-query", Input).focus()

    def action_info(self) -> None:
        key = self.selected()
        if key is not None:
            self.app.push_screen(CardInfoScreen(key))

    def action_edit(self) -> None:
        key = self.selected()
        if key is not None:
            self.run_worker(self.edit(key), group="browse-edit", exit_on_error=False)

    async def edit(self, key: str) -> None:
        await edit_card(self.app, key)
        await self.load(self.query_one("#browse-query", Input).value, keep=key)

    def action_toggle_suspend(self) -> None:
        key = self.selected()
        if key is not None:
            self.run_worker(self.toggle_suspend(key), group="browse-edit", exit_on_error=False)

    async def toggle_suspend(self, key: str) -> None:
        suspend = not self.rows[key].suspended
        changed = await self.app.backend.call(cards.set_suspended, key, suspend)
        said = _("Suspended {card}.") if changed.suspended else _("Unsuspended {card}.")
        self.app.say(said.format(card=changed.key))
        await self.load(self.query_one("#browse-query", Input).value, keep=key)

    def action_back(self) -> None:
        if self.query_one("#browse-query", Input).has_focus and self.rows:
            self.query_one("#browse-table", DataTable).focus()
            return
        self.app.action_today()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("info", "edit", "toggle_suspend"):  # letters type into the search box
            return not self.query_one("#browse-query", Input).has_focus
        return True


class CardInfoScreen(LocalizedBindings, ModalScreen[None]):
    """`card info` in a dialog: the card, its schedule and every review."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,i,q", "dismiss", N_("Close"))]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-info") as box:
            box.border_title = self.key
            yield Panel(_("Loading..."), id="card-info-text", classes="plain")
            yield Panel(_("esc: close"), classes="plain dim")

    def on_mount(self) -> None:
        self.run_worker(self.load(), exit_on_error=False)

    async def load(self) -> None:
        app: StudyApp = self.app  # type: ignore[assignment]
        found = await app.backend.call(cards.card_info, self.key)
        self.query_one("#card-info-text", Panel).show(info_text(found, app.clock()))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()


def info_text(found: cards.NoteInfo, now, *, brief: bool = False) -> Text:
    """Every card of the note, as `studyctl card info` prints it (brief: without the reviews)."""
    from studyctl.presentation.cards import info_lines

    text = Text()
    for number, one in enumerate(found.cards):
        if number:
            text.append("\n\n")
        lines = info_lines(one, now)
        if brief:
            lines = [line for line in lines if not line.startswith("  ")]
        text.append(lines[0] + "\n", style="bold")
        text.append("\n".join(lines[1:]))
    return text


def state_text(card: cards.CardRow) -> Text:
    if card.marks:
        return Text(", ".join(card_word(mark) for mark in card.marks), style=MARK_STYLE.get(card.marks[0], ""))
    return Text(card_word(card.state), style="dim" if card.state == "new" else "")


def _excerpt(text: str, width: int = 60) -> str:
    """The text on one line, cut to `width` terminal columns (a Chinese character takes two)."""
    return fit(" ".join(text.split()), width)


# -- editing -----------------------------------------------------------------------------------


async def edit_card(app: StudyApp, key: str) -> Edited | None:
    """Open DECK/CARD in $EDITOR with the app suspended, then sync and say how it went; None
    when the editor never ran (the message says why and where the card is)."""
    try:
        target = await app.backend.call(card_edit.edit_target, key)
        command = card_edit.editor_command(target.file, target.line)
    except StudyctlError as exc:
        app.say(str(exc), severity="warning", timeout=12)
        return None
    if target.copied_from:
        app.say(
            _("Copied the built-in deck to {file}; your copy replaces it from now on.").format(file=target.file),
            timeout=8,
        )
    ran, failure = run_suspended(app, command)
    if not ran:
        where = _("{failure} The card is at {file}:{line}.").format(
            failure=failure, file=target.file, line=target.line or 1
        )
        app.say(where, severity="error", timeout=12)
        return None
    edited = await app.backend.call(card_edit.after_edit, target)
    message = edited.message() + (f"\n{failure}" if failure else "")
    app.say(message, severity="information" if edited.ok and not failure else "warning", timeout=12)
    return edited


def run_suspended(app: App, command: list[str]) -> tuple[bool, str | None]:
    """Run `command` on the terminal while the app is suspended: (whether it ran, what went
    wrong). Nothing may raise inside `suspend()`: the app would never come back."""
    from textual.app import SuspendNotSupported

    ran, failure = False, None
    try:
        with app.suspend():
            try:
                finished = subprocess.run(command, check=False)
                ran = True
                if finished.returncode:
                    failure = _("{editor} exited with status {status}.").format(
                        editor=command[0], status=finished.returncode
                    )
            except (OSError, ValueError) as exc:
                failure = _("Could not run {editor}: {error}.").format(editor=command[0], error=exc)
    except SuspendNotSupported:
        failure = _("This terminal can't hand the screen to an editor; open the file yourself.")
    return ran, failure
