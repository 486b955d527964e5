"""Changing cards: edit one in its deck file (`studyctl edit`, `e` in the TUI) and capture a new
one into the user's own deck (`studyctl add`).

A built-in deck is never edited where it is installed: it is first copied into the user's own
content folder, where it replaces the built-in one (same deck id, same card ids, so every card
keeps its history). The faces run the editor; the command line to run comes from here, checked
before anything starts, so a bad $EDITOR is a message, never a stuck screen.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from studyctl import paths
from studyctl.errors import StudyctlError
from studyctl.i18n import _
from studyctl.service.home import Home

DEFAULT_DECK = "inbox"
ID_LENGTH = 40
# Editors that take FILE:LINE (with a flag) instead of the +LINE FILE most terminal editors read.
COLON_LINE = {"code": ["-g"], "code-insiders": ["-g"], "codium": ["-g"], "subl": [], "zed": [], "hx": []}


@dataclass(frozen=True)
class EditTarget:
    """Where to edit a card: the file (the user's own), the card's line, and the built-in file
    it was copied from (None when it already was the user's)."""

    key: str
    file: Path
    line: int | None
    copied_from: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: str(value) if isinstance(value, Path) else value for key, value in asdict(self).items()}


def edit_target(home: Home, key: str) -> EditTarget:
    """The file and line to open for DECK/CARD, copying a built-in deck into the user's own
    content folder first."""
    from studyctl.service.cards import locate, resolve

    parsed, _ids = resolve(home, key)
    file, _line = locate(home, parsed.deck, parsed.note)
    if file is None:  # pragma: no cover - a synced deck always has a file
        raise StudyctlError(_("deck '{deck}' has no file").format(deck=parsed.deck))
    copied_from = None
    if _is_builtin(file):
        copied_from, file = file, own_copy(home, file)
    _file, line = locate(home, parsed.deck, parsed.note)
    return EditTarget(f"{parsed.deck}/{parsed.note}", file, line, copied_from)


def _is_builtin(file: Path) -> bool:
    return file.resolve().is_relative_to(paths.builtin_content_root().resolve())


def own_copy(home: Home, file: Path) -> Path:
    """Copy a built-in deck file into the user's content folder (where it replaces the
    built-in one) and sync, so the deck now reads from the copy."""
    target = paths.user_content_dir() / "decks" / file.name
    if not target.exists():
        from studyctl.fsutil import atomic_write_bytes

        atomic_write_bytes(target, file.read_bytes())
    home.sync_decks()
    return target


def editor_command(file: Path, line: int | None, environ: Mapping[str, str] | None = None) -> list[str]:
    """The command that opens `file` at `line` in $EDITOR (or $VISUAL). Refuses (StudyctlError,
    naming the file and line to open by hand) when none is set or it can't be run."""
    env = os.environ if environ is None else environ
    editor = (env.get("EDITOR") or env.get("VISUAL") or "").strip()
    where = f"{file}:{line}" if line else str(file)
    if not editor:
        raise StudyctlError(
            _("no editor: set $EDITOR (e.g. export EDITOR=nano); the card is at {where}").format(where=where)
        )
    try:
        argv = shlex.split(editor)
    except ValueError as exc:
        raise StudyctlError(
            _("$EDITOR {editor} can't be read ({error}); the card is at {where}").format(
                editor=repr(editor), error=exc, where=where
            )
        ) from None
    if not argv or shutil.which(argv[0]) is None:
        raise StudyctlError(
            _("$EDITOR {editor} is not a program that can be run; the card is at {where}").format(
                editor=repr(editor), where=where
            )
        )
    name = Path(argv[0]).name
    if line is None:
        return [*argv, str(file)]
    if name in COLON_LINE:
        return [*argv, *COLON_LINE[name], f"{file}:{line}"]
    return [*argv, f"+{line}", str(file)]


@dataclass(frozen=True)
class Edited:
    """What an edit did: the problems the file has now (its cards keep their last good text
    until they are fixed), and whether the card is still there."""

    key: str
    issues: tuple[str, ...]
    still_there: bool

    @property
    def ok(self) -> bool:
        return not self.issues and self.still_there

    def message(self) -> str:
        if self.issues:
            problems = _("The deck file has problems (its cards keep their last good text until fixed):")
            return problems + "\n" + "\n".join(self.issues)
        if not self.still_there:
            return _("{card} is gone from its deck: it is retired, its history kept.").format(card=self.key)
        return _("Saved {card}.").format(card=self.key)


def after_edit(home: Home, target: EditTarget) -> Edited:
    """Sync the edited file and say how it went."""
    from studyctl.store.search import card_ids

    issues = home.sync_decks()
    problems = tuple(str(issue) for issue in issues if issue.is_error and Path(issue.path) == target.file)
    deck, _slash, note = target.key.partition("/")
    return Edited(target.key, problems, bool(card_ids(home.conn, deck, note)))


# -- add -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCard:
    """A card to add, as the user gave it (validated by the deck loader before it is saved)."""

    type: str = "basic"
    front: str = ""  # the question; for a cloze card the text with {{c1::...}} deletions
    back: str = ""
    zh: str = ""
    choices: tuple[str, ...] = ()
    answer: str = ""
    accept: tuple[str, ...] = ()
    tolerance: float | None = None
    tags: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    id: str = ""  # default: made from the front

    def entry(self, card_id: str) -> dict[str, Any]:
        """The card as a deck file entry, keys in the order decks are written in."""
        data: dict[str, Any] = {"id": card_id, "type": self.type}
        data["text" if self.type == "cloze" else "front"] = self.front
        for name in ("back", "choices", "answer", "accept", "tolerance", "zh", "tags", "refs"):
            value = getattr(self, name)
            if value not in ("", (), None):
                data[name] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True)
class Added:
    key: str
    file: Path
    line: int
    new_deck: bool  # the deck file was made for this card
    copied_from: Path | None = None  # a built-in deck copied into the user's folder first
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {key: str(value) if isinstance(value, Path) else value for key, value in asdict(self).items()}


def add_card(home: Home, card: NewCard, deck: str | None = None) -> Added:
    """Append `card` to the user's own file of `deck` (default: the inbox deck, made on first
    use; a built-in deck is copied into the user's folder first), after checking that the file
    still loads with it; then sync, so it is in the next review."""
    from studyctl.content.fields import SLUG
    from studyctl.fsutil import atomic_write_text

    deck = deck or DEFAULT_DECK
    if not SLUG.match(deck):
        raise StudyctlError(
            _("deck id {deck} should be a slug: lowercase letters, digits and '-'").format(deck=repr(deck))
        )
    home.sync_decks()
    file = home.files("deck").get(deck)
    copied_from = None
    new_deck = file is None
    if file is None:
        file = paths.user_content_dir() / "decks" / f"{deck}.yaml"
        text = _new_deck_text(deck)
    else:
        if _is_builtin(file):
            copied_from, file = file, own_copy(home, file)
        text = file.read_text(encoding="utf-8")
    taken = _card_ids(text, file)
    card_id = card.id or _unique(slug(card.front) or "card", taken)
    new_text, line = _appended(text, file, card.entry(card_id))
    warnings = _check(new_text, file, line)
    atomic_write_text(file, new_text)
    home.sync_decks()
    return Added(f"{deck}/{card_id}", file, line, new_deck, copied_from, warnings)


def _new_deck_text(deck: str) -> str:
    # The new file's text is content the user edits, in English like every deck file.
    title = "Inbox" if deck == DEFAULT_DECK else deck.replace("-", " ").capitalize()  # i18n: not shown
    head = (
        "# Your own cards, added with `studyctl add`: edit freely, "  # i18n: not shown
        "keep the card ids (they carry the history)."  # i18n: not shown
    )
    return f"{head}\nid: {deck}\ntitle: {title}\ncards:\n"  # i18n: not shown


def _card_ids(text: str, file: Path) -> set[str]:
    from studyctl.content.yamlfile import parse_yaml

    data = parse_yaml(text, file) if text.strip() else None
    cards = data.get("cards") if isinstance(data, dict) else None
    return {card["id"] for card in cards or [] if isinstance(card, dict) and isinstance(card.get("id"), str)}


def _appended(text: str, file: Path, entry: dict[str, Any]) -> tuple[str, int]:
    """`text` with `entry` added as the last item of its `cards:` list, leaving every other
    line (and comment) as it was; and the line the entry starts on. Refuses a file whose
    cards list is not the last thing in it, or not a block list."""
    from studyctl.content.yamlfile import LineDict, parse_yaml

    data = parse_yaml(text, file)
    if not isinstance(data, LineDict) or "cards" not in data:
        raise StudyctlError(_("{file}: not a deck file (no 'cards:' list)").format(file=file))
    last_key = max(data.key_lines, key=lambda name: data.key_lines[name])
    cards = data["cards"]
    lines = text.splitlines()
    if cards:
        first = lines[cards.item_lines[0] - 1]
        indent = len(first) - len(first.lstrip(" "))
        if last_key != "cards" or not first.lstrip(" ").startswith("-"):
            raise StudyctlError(
                _("{file}: can't append a card (its 'cards:' list is not the last block); edit the file").format(
                    file=file
                )
            )
    else:
        if last_key != "cards" or lines[data.key_lines["cards"] - 1].strip() != "cards:":
            raise StudyctlError(
                _("{file}: can't append a card (its 'cards:' list is not the last block); edit the file").format(
                    file=file
                )
            )
        indent = 2
    block = _yaml_entry(entry, indent)
    body = text if text.endswith("\n") else text + "\n"
    return body + block, body.count("\n") + 1


def _yaml_entry(entry: dict[str, Any], indent: int) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)  # lists inside a card indented, as decks write them

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, represent_str)
    text = yaml.dump([entry], Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)
    return "".join(" " * indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def _check(text: str, file: Path, line: int) -> tuple[str, ...]:
    """Load the deck text as studyctl will; its errors refuse the card (nothing is written)."""
    from studyctl.content.decks import deck_from_data
    from studyctl.content.issues import ContentError
    from studyctl.content.yamlfile import parse_yaml

    try:
        _deck, warnings = deck_from_data(parse_yaml(text, file), file)
    except ContentError as exc:
        mine = [issue for issue in exc.issues if issue.line is None or issue.line >= line] or exc.issues
        raise StudyctlError(_("the card was not added:") + "\n" + "\n".join(issue.message for issue in mine)) from None
    return tuple(str(issue) for issue in warnings if issue.line and issue.line >= line)


def slug(text: str, length: int = ID_LENGTH) -> str:
    """A card id from its text: lowercase ascii words joined by '-', cut at a word boundary."""
    plain = re.sub(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", r"\1", text)
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")  # i18n: not shown
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > length:
        words = words[:length].rsplit("-", 1)[0]
    return words.strip("-")


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def split_list(values: Sequence[str]) -> tuple[str, ...]:
    """Options given as repeated flags or one string with ' | ' between them."""
    items: list[str] = []
    for value in values:
        items.extend(part.strip() for part in value.split(" | ") if part.strip())
    return tuple(items)
