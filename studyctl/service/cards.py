"""Cards one at a time: find them (`studyctl cards`, the TUI's browse screen), see one with its
schedule and every review (`studyctl card info`), and unsuspend it (`studyctl unsuspend`).

A card is named DECK/NOTE (every card of the note: a cloze note has one per deletion) or
DECK/NOTE/ORD (one of them); NOTE is the card's id in the deck file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from studyctl.errors import NotFound, StudyctlError
from studyctl.i18n import _
from studyctl.service.home import Home

SEARCH_LIMIT = 200


@dataclass(frozen=True)
class CardKey:
    deck: str
    note: str
    ord: int | None = None  # None: every card of the note

    def __str__(self) -> str:
        return f"{self.deck}/{self.note}" + ("" if self.ord is None else f"/{self.ord}")


def parse_key(text: str) -> CardKey:
    """DECK/NOTE or DECK/NOTE/ORD; anything else is refused with the expected form."""
    parts = text.strip().strip("/").split("/")
    if len(parts) == 3 and parts[2].isdigit():
        return CardKey(parts[0], parts[1], int(parts[2]))
    if len(parts) == 2 and all(parts):
        return CardKey(parts[0], parts[1])
    raise StudyctlError(
        _("'{text}' is not a card: name it DECK/CARD (e.g. dl-fundamentals/backprop-chain-rule)").format(text=text)
    )


def resolve(home: Home, text: str) -> tuple[CardKey, list[int]]:
    """The key and the live card ids it names; NotFound (with close matches) when none."""
    from studyctl.store.queries import deck_ids
    from studyctl.store.search import card_ids, note_keys

    key = parse_key(text)
    home.sync_decks()
    decks = deck_ids(home.conn)
    if key.deck not in decks:
        raise NotFound("deck", key.deck, decks, listing="studyctl decks")  # i18n: not shown (a command)
    ids = card_ids(home.conn, key.deck, key.note, key.ord)
    if not ids:
        raise NotFound(
            "card",
            str(key),
            note_keys(home.conn, key.deck),
            listing=f"studyctl cards deck:{key.deck}",  # i18n: not shown
        )  # i18n: not shown
    return key, ids


# -- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardRow:
    """One card in a search result."""

    id: int
    deck: str
    note: str
    ord: int
    type: str
    front: str
    state: str
    due: str | None
    suspended: bool
    buried: bool
    flagged: bool
    leech: bool

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.note}" + (f"/{self.ord}" if self.type == "cloze" else "")

    @property
    def marks(self) -> list[str]:
        names = ("suspended", "buried", "flagged", "leech")
        return [name for name in names if getattr(self, name)]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, **asdict(self), "marks": self.marks}


@dataclass(frozen=True)
class CardList:
    cards: tuple[CardRow, ...]
    total: int  # matching in all; `cards` stops at the limit
    issues: tuple[str, ...]  # from syncing the deck files

    def to_dict(self) -> list[dict[str, Any]]:
        return [card.to_dict() for card in self.cards]


def find_cards(
    home: Home,
    query: str = "",
    *,
    deck: str | None = None,
    state: str | None = None,
    limit: int | None = SEARCH_LIMIT,
) -> CardList:
    """Cards matching `query` (words and phrases over front, back, zh and tags; deck:, tag:,
    is: filters, see store/search.py), of `deck`, in `state`."""
    from studyctl.clock import day_end_utc, iso_utc
    from studyctl.store.search import STATES, parse_query, search_cards

    issues = tuple(
        _("skipped: {issue}").format(issue=issue) if issue.is_error else str(issue) for issue in home.sync_decks()
    )
    if state is not None and state not in STATES:
        raise StudyctlError(
            _("unknown state '{state}'; use one of: {states}").format(state=state, states=", ".join(STATES))
        )
    try:
        parsed = parse_query(" ".join(part for part in (query, f"deck:{deck}" if deck else "") if part))
    except ValueError as exc:
        raise StudyctlError(str(exc)) from None
    if state:
        from dataclasses import replace

        parsed = replace(parsed, states=(*parsed.states, state))
    now = home.clock()
    day_end = iso_utc(day_end_utc(home.today(), home.settings.rollover_hour))
    rows, total = search_cards(home.conn, parsed, now=iso_utc(now), day_end=day_end, limit=limit)
    cards = tuple(
        CardRow(
            id=row["id"],
            deck=row["deck"],
            note=row["note"],
            ord=row["ord"],
            type=row["type"],
            front=row["front"],
            state=row["state"] or "new",
            due=row["due"],
            suspended=bool(row["suspended"]),
            buried=bool(row["buried_until"] and row["buried_until"] > iso_utc(now)),
            flagged=row["flagged_at"] is not None,
            leech=bool(row["leech"]),
        )
        for row in rows
    )
    return CardList(cards, total, issues)


# -- one card --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEntry:
    reviewed_at: str
    rating: int
    duration_ms: int | None
    kind: str  # the state before: new | learning | review | relearning | cram
    grading: str | None  # self | auto | override
    answer: str | None
    due_after: str | None


@dataclass(frozen=True)
class CardInfo:
    """A card as `card info` shows it: its text, where it lives, its schedule, every review."""

    key: str
    id: int
    deck: str
    note: str
    ord: int
    type: str
    front: str
    back: str
    zh: str
    refs: tuple[str, ...]
    tags: tuple[str, ...]
    extra: dict[str, Any]
    file: str | None
    line: int | None
    state: str
    due: str | None
    stability: float | None  # days
    difficulty: float | None
    retrievability: float | None  # the chance of recalling it now
    reps: int
    lapses: int
    suspended: bool
    buried_until: str | None
    leech: bool
    flag_note: str | None
    reviews: tuple[ReviewEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reviews"] = [asdict(entry) for entry in self.reviews]
        return data


@dataclass(frozen=True)
class NoteInfo:
    cards: tuple[CardInfo, ...]  # one per card of the note (cloze: per deletion)

    def to_dict(self) -> list[dict[str, Any]]:
        return [card.to_dict() for card in self.cards]


def card_info(home: Home, key: str) -> NoteInfo:
    """Everything about DECK/NOTE (each of its cards) or DECK/NOTE/ORD."""
    from studyctl.store import reviewing

    parsed, ids = resolve(home, key)
    file, line = locate(home, parsed.deck, parsed.note)
    now = home.clock()
    infos = []
    for card_id in ids:
        card = reviewing.card(home.conn, card_id)
        assert card is not None  # resolve() found it
        marks = reviewing.marks(home.conn, card_id) or dict(reviewing.NO_MARKS)
        tags_row = home.conn.execute("SELECT tags FROM cards WHERE id = ?", (card_id,)).fetchone()
        infos.append(
            CardInfo(
                key=f"{card.deck}/{card.note}" + (f"/{card.ord}" if card.type == "cloze" else ""),
                id=card.id,
                deck=card.deck,
                note=card.note,
                ord=card.ord,
                type=card.type,
                front=card.front,
                back=card.back,
                zh=card.zh,
                refs=tuple(card.refs),
                tags=tuple(json.loads(tags_row[0] or "[]")),
                extra=card.extra,
                file=str(file) if file else None,
                line=line,
                state=card.state or "new",
                due=card.due,
                stability=card.stability,
                difficulty=card.difficulty,
                retrievability=retrievability(home, card, now),
                reps=card.reps,
                lapses=card.lapses,
                suspended=bool(marks["suspended"]),
                buried_until=marks["buried_until"] if (marks["buried_until"] or "") > _iso(now) else None,
                leech=bool(marks["leech"]),
                flag_note=marks["flag_note"],
                reviews=tuple(ReviewEntry(**entry) for entry in reviewing.review_log(home.conn, card_id)),
            )
        )
    return NoteInfo(tuple(infos))


def retrievability(home: Home, card: Any, now: dt.datetime) -> float | None:
    """FSRS's chance of recalling the card now (None for a card never reviewed)."""
    if card.state in (None, "new") or card.stability is None or not card.last_review:
        return None
    from studyctl.srs.replay import from_row
    from studyctl.srs.scheduling import make_scheduler
    from studyctl.store.reviewing import state_row

    state = from_row(state_row(home.conn, card.id))
    if state is None:
        return None
    scheduler = make_scheduler(home.settings.review)
    return float(scheduler.get_card_retrievability(state.to_fsrs(card.id), now))


def locate(home: Home, deck: str, note: str) -> tuple[Path | None, int | None]:
    """The deck file a note comes from and the line its entry starts on (None when the file
    no longer loads)."""
    from studyctl.content.decks import load_deck
    from studyctl.content.issues import ContentError
    from studyctl.store.queries import deck_paths

    path = deck_paths(home.conn).get(deck)
    if path is None:
        return None, None
    file = Path(path)
    try:
        loaded, _warnings = load_deck(file)  # not through the parse cache: it keeps no line numbers
    except ContentError:
        return file, None
    line = next((card.line for card in loaded.cards if card.id == note), None)
    return file, line


# -- marks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suspension:
    """What a suspend or unsuspend changed."""

    key: str
    cards: int  # how many cards changed (the others already were as asked)
    suspended: bool  # what they are now

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def set_suspended(home: Home, key: str, suspended: bool) -> Suspension:
    """Suspend or unsuspend DECK/CARD outside a review (the browse screen); returns how many
    cards changed."""
    if not suspended:
        return unsuspend(home, key)
    from studyctl.store import reviewing
    from studyctl.store.db import write_transaction

    parsed, ids = resolve(home, key)
    changed = 0
    with write_transaction(home.conn):
        for card_id in ids:
            if not (reviewing.marks(home.conn, card_id) or {}).get("suspended"):
                reviewing.write_marks(home.conn, card_id, {"suspended": 1}, at=_iso(home.clock()))
                changed += 1
    return Suspension(str(parsed), changed, True)


def unsuspend(home: Home, key: str) -> Suspension:
    """Bring a suspended card (or every card of a note) back into review; a leech mark stays
    (so `flags` still lists it) until `flags --clear`."""
    from studyctl.store import reviewing

    parsed, ids = resolve(home, key)
    uids = reviewing.unsuspend(home.conn, ids, at=_iso(home.clock()))
    return Suspension(str(parsed), len(uids), False)


def _iso(moment: dt.datetime) -> str:
    from studyctl.clock import iso_utc

    return iso_utc(moment)
