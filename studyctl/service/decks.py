"""Decks and cards the user studies: the deck list with counts, flagged cards and leeches."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from studyctl.errors import NotFound
from studyctl.i18n import _
from studyctl.service.home import Home


@dataclass(frozen=True)
class DeckSummary:
    id: str
    title: str
    title_zh: str
    path: str
    cards: int
    new: int
    due: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DeckList:
    decks: tuple[DeckSummary, ...]
    issues: tuple[str, ...]  # from syncing the deck files: "skipped: file:line: ..." and warnings

    def to_dict(self) -> list[dict[str, Any]]:
        return [deck.to_dict() for deck in self.decks]


def deck_list(home: Home) -> DeckList:
    """Every deck with its live card count, new cards and cards due today."""
    from studyctl.clock import day_end_utc, iso_utc
    from studyctl.store.queries import deck_summaries

    issues = tuple(
        _("skipped: {issue}").format(issue=issue) if issue.is_error else str(issue) for issue in home.sync_decks()
    )
    until = iso_utc(day_end_utc(home.today(), home.settings.rollover_hour))
    rows = deck_summaries(home.conn, until)
    return DeckList(tuple(DeckSummary(**row) for row in rows), issues)


@dataclass(frozen=True)
class FlaggedCard:
    deck: str
    note: str
    ord: int
    type: str
    front: str
    flag_note: str | None
    flagged_at: str | None
    leech: bool
    suspended: bool
    file: str | None  # the deck file to fix
    line: int | None = None  # where the card starts in it

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.note}"

    @property
    def status(self) -> str:
        """'flagged', 'leech (suspended)', 'suspended', ... in words (English: --json carries it)."""
        parts = ["flagged"] if self.flagged_at else []
        if self.leech:
            parts.append("leech (suspended)" if self.suspended else "leech")  # i18n: not shown (JSON)
        elif self.suspended:
            parts.append("suspended")
        return ", ".join(parts)

    @property
    def status_text(self) -> str:
        """`status` in the interface language, for display."""
        parts = [_("flagged")] if self.flagged_at else []
        if self.leech:
            parts.append(_("leech (suspended)") if self.suspended else _("leech"))
        elif self.suspended:
            parts.append(_("suspended"))
        return _(", ").join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def flagged(home: Home) -> list[FlaggedCard]:
    """Cards flagged as wrong or unclear, leeches and suspended cards, with the file and line
    to fix (`studyctl edit DECK/CARD` opens it there)."""
    from studyctl.service.cards import locate
    from studyctl.store import reviewing

    lines: dict[tuple[str, str], tuple[str | None, int | None]] = {}
    for row in (rows := reviewing.flagged(home.conn)):
        if (row["deck"], row["note"]) not in lines:
            file, line = locate(home, row["deck"], row["note"])
            lines[(row["deck"], row["note"])] = (str(file) if file else None, line)
    return [
        FlaggedCard(
            deck=row["deck"],
            note=row["note"],
            ord=row["ord"],
            type=row["type"],
            front=row["front"],
            flag_note=row["flag_note"],
            flagged_at=row["flagged_at"],
            leech=bool(row["leech"]),
            suspended=bool(row["suspended"]),
            file=lines[(row["deck"], row["note"])][0],
            line=lines[(row["deck"], row["note"])][1],
        )
        for row in rows
    ]


def clear_flag(home: Home, key: str) -> None:
    """Remove the flag and leech mark of DECK/CARD, and unsuspend it."""
    from studyctl.clock import iso_utc
    from studyctl.store import reviewing

    deck, _slash, note = key.partition("/")
    matching = [card for card in flagged(home) if card.deck == deck and card.note == note]
    if not matching:
        raise NotFound(
            "flagged card",  # i18n: not shown (a kind: errors.KINDS words it)
            key,
            [card.key for card in flagged(home)],
            listing="studyctl flags",  # i18n: not shown
        )
    reviewing.clear_marks(home.conn, deck, note, at=iso_utc(home.clock()))
