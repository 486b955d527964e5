"""Finding cards: full-text search (the FTS5 index of migration m004, over front, back, zh and
tags) plus filters on deck, state and marks, in a small Anki-like query language.

    backprop chain     cards with both words anywhere (any part of a word, any case)
    "chain rule"       the phrase
    -sigmoid           without the word
    deck:dl-*          deck id, * as a wildcard
    tag:interview      a tag
    is:new is:due is:learning is:review is:suspended is:buried is:flagged is:leech

The trigram index needs three characters to match; shorter words (and two-character Chinese
words) are looked up with LIKE instead, which is fine at the size of a study collection.
"""

from __future__ import annotations

import shlex
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from studyctl.i18n import _

STATES = ("new", "learning", "review", "relearning", "due", "suspended", "buried", "flagged", "leech")
MIN_INDEXED = 3  # the trigram tokenizer matches nothing shorter


@dataclass
class _Where:
    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    match: list[str] = field(default_factory=list)  # FTS5 phrases, ANDed

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"


@dataclass(frozen=True)
class Query:
    """A parsed search: the words and phrases, and the filters."""

    words: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    states: tuple[str, ...] = ()


def parse_query(text: str) -> Query:
    """Split a search into words and filters; unknown `is:` values are refused (ValueError)."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unclosed quote: take the words as they are
        tokens = text.replace('"', " ").split()
    words, excluded, decks, tags, states = [], [], [], [], []
    for token in tokens:
        lowered = token.lower()
        if lowered.startswith("deck:") and len(token) > 5:
            decks.append(lowered[5:])
        elif lowered.startswith("tag:") and len(token) > 4:
            tags.append(token[4:])
        elif lowered.startswith("is:"):
            state = lowered[3:]
            if state not in STATES:
                raise ValueError(
                    _("unknown 'is:{state}'; use one of: {states}").format(state=state, states=", ".join(STATES))
                )
            states.append(state)
        elif token.startswith("-") and len(token) > 1:
            excluded.append(token[1:])
        elif token:
            words.append(token)
    return Query(tuple(words), tuple(excluded), tuple(decks), tuple(tags), tuple(states))


def _phrase(word: str) -> str:
    """A word as an FTS5 string: quoted, so punctuation and keywords are plain text."""
    return '"' + word.replace('"', '""') + '"'


def _like(where: _Where, word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name = where.param(f"%{escaped}%")
    return (
        f"(c.front LIKE {name} ESCAPE '\\' OR c.back LIKE {name} ESCAPE '\\' "
        f"OR c.zh LIKE {name} ESCAPE '\\' OR c.tags LIKE {name} ESCAPE '\\')"
    )


def _state_clause(state: str, now: str, until: str) -> str:
    """SQL for one `is:` filter; `now` and `until` are parameter names."""
    return {
        "new": "s.state = 'new'",
        "learning": "s.state IN ('learning', 'relearning')",
        "review": "s.state = 'review'",
        "relearning": "s.state = 'relearning'",
        "due": f"s.state != 'new' AND s.due < {until}",
        "suspended": "coalesce(m.suspended, 0) = 1",
        "buried": f"coalesce(m.buried_until, '') > {now}",
        "flagged": "m.flagged_at IS NOT NULL",
        "leech": "coalesce(m.leech, 0) = 1",
    }[state]


_COLUMNS = (
    "c.id, c.deck, c.note, c.ord, c.type, c.front, c.back, c.zh, c.tags, s.state, s.due, s.stability, "
    "coalesce(m.suspended, 0) AS suspended, coalesce(m.leech, 0) AS leech, m.buried_until, m.flag_note, m.flagged_at"
)


def search_cards(
    conn: sqlite3.Connection, query: Query, *, now: str, day_end: str, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Cards matching `query` (retired ones never), best match first when there are words,
    else by deck and file order; with the number matching in all (before `limit`)."""
    where = _Where()
    for word in query.words:
        if len(word) >= MIN_INDEXED:
            where.match.append(_phrase(word))
        else:
            where.clauses.append(_like(where, word))
    for word in query.excluded:
        if len(word) >= MIN_INDEXED:
            name = where.param(_phrase(word))
            where.clauses.append(f"c.id NOT IN (SELECT rowid FROM cards_fts WHERE cards_fts MATCH {name})")
        else:
            where.clauses.append(f"NOT {_like(where, word)}")
    if query.decks:
        where.clauses.append("(" + " OR ".join(f"c.deck GLOB {where.param(deck)}" for deck in query.decks) + ")")
    for tag in query.tags:
        quoted = '"' + tag.lower() + '"'  # tags are stored as a JSON list
        where.clauses.append(f"instr(lower(c.tags), {where.param(quoted)}) > 0")
    for state in query.states:
        where.clauses.append(_state_clause(state, where.param(now), where.param(day_end)))
    source = "cards c"
    order = "c.deck, c.id"
    if where.match:
        name = where.param(" AND ".join(where.match))
        source = f"cards_fts f JOIN cards c ON c.id = f.rowid AND cards_fts MATCH {name}"
        order = "f.rank, c.deck, c.id"
    conditions = " AND ".join(["c.retired = 0", *where.clauses])
    body = (
        f"FROM {source} LEFT JOIN card_state s ON s.card_id = c.id LEFT JOIN card_marks m ON m.card_id = c.id "
        f"WHERE {conditions}"
    )
    total = int(conn.execute(f"SELECT count(*) {body}", where.params).fetchone()[0])
    rows = conn.execute(
        f"SELECT {_COLUMNS} {body} ORDER BY {order} LIMIT {where.param(-1 if limit is None else limit)}",
        where.params,
    )
    return [dict(row) for row in rows], total


def card_ids(conn: sqlite3.Connection, deck: str, note: str, ord_: int | None = None) -> list[int]:
    """The live cards of a note (one per cloze deletion), or the one with ordinal `ord_`."""
    sql = "SELECT id FROM cards WHERE deck = ? AND note = ? AND retired = 0"
    params: tuple[Any, ...] = (deck, note)
    if ord_ is not None:
        sql += " AND ord = ?"
        params += (ord_,)
    return [row[0] for row in conn.execute(sql + " ORDER BY ord", params)]


def note_keys(conn: sqlite3.Connection, deck: str | None = None) -> list[str]:
    """deck/note of every live note (of one deck): the names a mistyped key is matched against."""
    sql = "SELECT DISTINCT deck || '/' || note FROM cards WHERE retired = 0"
    params: tuple[Any, ...] = ()
    if deck is not None:
        sql += " AND deck = ?"
        params = (deck,)
    return [row[0] for row in conn.execute(sql, params)]
