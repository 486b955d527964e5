"""The planner's own input types: what the user has done of a roadmap's tasks, what the store
says about cards, and the review load FSRS expects. The service layer builds them from the
store and the scheduler, so the planner never imports either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from studyctl import i18n
from studyctl.content.model.roadmap import Budget

OWN_DECK_POLICIES = ("first", "interleave", "after")


@dataclass(frozen=True)
class TaskProgress:
    minutes: int = 0
    done: bool = False
    skipped: bool = False
    estimate: int | None = None  # the learner's own estimate of the whole task (`done --left`)
    last_day: dt.date | None = None  # the last day minutes were logged on it (for `every`)

    @property
    def finished(self) -> bool:
        return self.done or self.skipped


NOTHING_DONE = TaskProgress()  # the progress of a task with no log entry


Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


class Note(str):
    """A note of a day plan, for the user to read: the text in the interface language; the
    same note in English is `english`, which the plan's --json gives (JSON stays English)."""

    english: str


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def note(render: Callable[[Gettext, Ngettext], str]) -> Note:
    """A note rendered twice by `render(_, ngettext)`: with the interface language's catalog,
    then in English. Call it with a lambda whose parameters are named `_` and `ngettext`, so
    the catalog extraction finds the literals: `note(lambda _, ngettext: _("Day off."))`."""
    text = Note(render(i18n._, i18n.ngettext))
    text.english = render(_english, _english_plural)
    return text


@dataclass(frozen=True)
class DeckStock:
    """One deck as the planner sees it: cards never seen, and card time spent on it so far."""

    unseen: int = 0
    minutes: float = 0.0


@dataclass(frozen=True)
class CardOutlook:
    """The review load ahead, from FSRS: the planner takes it off each day's budget first."""

    due_on: Mapping[dt.date, int] = field(default_factory=dict)  # reviews of cards already seen, per later day
    comeback_days: tuple[int, ...] = (1, 3, 8, 20, 50)  # days after its first day a new card comes back
    answers_first_day: float = 4.0  # a new card is seen 3-4 times on its first day (learning steps)
    answers_per_review: float = 1.1  # a forgotten card is relearned: a few more answers


@dataclass(frozen=True)
class ReviewLoad:
    """What the store says about cards and study time, on the first day planned."""

    due: int = 0
    new_seen_today: int = 0
    seconds_per_review: float | None = None  # the user's median answer time; None: no history
    unseen: Mapping[str, int] = field(default_factory=dict)  # cards never seen, per deck (every deck)
    deck_minutes: Mapping[str, float] = field(default_factory=dict)  # card time per deck so far
    own_decks: tuple[str, ...] = ()  # the user's own decks (not built in, not in the roadmap)
    studied_today: float = 0.0  # minutes already studied on the first day: answers and logged tasks
    task_minutes_by_day: Mapping[dt.date, int] = field(default_factory=dict)  # logged task minutes (pace)
    outlook: CardOutlook = field(default_factory=CardOutlook)
    # new cards the review queue can show on the first day, per deck (a cloze sibling or a buried
    # card waits): the first day plans no more than this; None: no limit beyond the decks' stock
    new_today: Mapping[str, int] | None = None

    def stocks(self) -> dict[str, DeckStock]:
        decks = set(self.unseen) | set(self.deck_minutes)
        return {deck: DeckStock(self.unseen.get(deck, 0), self.deck_minutes.get(deck, 0.0)) for deck in decks}


@dataclass(frozen=True)
class Preferences:
    """The learner's settings the plan follows."""

    budget: Budget = field(default_factory=Budget)
    new_per_day: int = 20
    start: dt.date | None = None
    deadline: dt.date | None = None
    days_off: frozenset[dt.date] = frozenset()
    own_decks: str = "interleave"  # where the user's own decks go among new cards: first | interleave | after

    def minutes_on(self, day: dt.date) -> int:
        return 0 if day in self.days_off else self.budget.minutes_on(day)


@dataclass(frozen=True)
class LogEntry:
    """One entry of the task log, as the service reads it from the store."""

    task: str
    status: str  # progress | done | skipped | estimate | reopened
    minutes: int
    day: dt.date


def fold_log(entries: list[LogEntry]) -> dict[str, TaskProgress]:
    """Each task's progress from its log entries, in the order they were written: minutes add
    up, done and skipped finish a task, reopened opens it again (the minutes stay), estimate is
    the learner's new idea of the whole task's length."""
    progress: dict[str, TaskProgress] = {}
    for entry in entries:
        p = progress.get(entry.task, TaskProgress())
        if entry.status in ("progress", "done"):
            last = entry.day if entry.minutes else p.last_day
            p = TaskProgress(p.minutes + entry.minutes, p.done or entry.status == "done", p.skipped, p.estimate, last)
        elif entry.status == "skipped":
            p = TaskProgress(p.minutes, p.done, True, p.estimate, p.last_day)
        elif entry.status == "estimate":
            p = TaskProgress(p.minutes, p.done, p.skipped, entry.minutes, p.last_day)
        elif entry.status == "reopened":
            p = TaskProgress(p.minutes, False, False, p.estimate, p.last_day)
        progress[entry.task] = p
    return progress
