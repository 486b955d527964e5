"""One day's plan: due reviews, new cards from the unlocked decks, then roadmap tasks in blocks.

Everything comes out of one budget. Cards first (they are what keeps knowledge alive), sized
from the user's own median answer time; a backlog (reviews that would take more than
REVIEW_SHARE of the day) is spread over the next days, and new cards pause until it is
cleared. Deck tasks get no minutes of their own: the card time spent on their deck is their
progress. What is left goes to tasks in order (see tasks.priority), each in one block (see
chunks.block_size); a task finished today unlocks the tasks waiting for it, today.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from studyctl.content.model.roadmap import Roadmap, Task, fits_slot
from studyctl.planner.chunks import STRETCH, block_size, part_label
from studyctl.planner.forecast import Forecast
from studyctl.planner.model import NOTHING_DONE, DeckStock, Preferences, TaskProgress, note
from studyctl.planner.tasks import (
    Readiness,
    index_of,
    length,
    minutes_left,
    new_card_source,
    priority,
    readiness,
)

DEFAULT_SECONDS_PER_REVIEW = 10  # until the user has history; Anki users average 8-12 s a card
NEW_CARD_FACTOR = 4  # a new card is seen 3-4 times on its first day (learning steps)
REVIEW_SHARE = 0.5  # at most this share of a day goes to a review backlog
MAX_TASKS_PER_DAY = 5  # open blocks: 2 on a weekday evening, up to 5 on a long weekend day; focus beats variety


@dataclass(frozen=True)
class PlannedTask:
    id: str
    title: str
    kind: str
    phase: str
    minutes_today: int
    minutes_total: int
    minutes_done: int
    url: str = ""
    lab: str = ""
    deck: str = ""
    title_zh: str = ""
    notes: str = ""
    optional: bool = False
    parts: str = ""  # the named parts today's block covers ("P8, P9")
    phase_title: str = ""
    phase_goal: str = ""
    phase_title_zh: str = ""
    notes_zh: str = ""
    phase_goal_zh: str = ""

    @property
    def is_partial(self) -> bool:
        return self.minutes_done + self.minutes_today < self.minutes_total

    @property
    def finishes(self) -> bool:
        return not self.is_partial


@dataclass
class DayPlan:
    day: dt.date
    budget_minutes: int
    roadmap_id: str = ""
    roadmap_title: str = ""
    day_number: int | None = None
    day_off: bool = False
    studied_minutes: int = 0  # already studied today (answers and logged task minutes)
    reviews_due: int = 0
    reviews_planned: int = 0
    review_minutes: int = 0
    backlog_days: int = 0  # >0: the due reviews are spread over this many days
    new_cards: int = 0
    new_available: int = 0  # unseen cards in the decks new cards may come from
    new_minutes: int = 0
    new_from: dict[str, int] = field(default_factory=dict)  # deck -> new cards planned from it
    deck_tasks: list[PlannedTask] = field(default_factory=list)  # done in card time, inside the card minutes
    tasks: list[PlannedTask] = field(default_factory=list)
    forecast: Forecast | None = None
    notes: list[str] = field(default_factory=list)  # model.Note: in the interface language, English in JSON
    roadmap_title_zh: str = ""

    @property
    def left_minutes(self) -> int:
        """The budget minus what was already studied today."""
        return max(0, self.budget_minutes - self.studied_minutes)

    @property
    def task_minutes(self) -> int:
        return sum(task.minutes_today for task in self.tasks)

    @property
    def card_minutes(self) -> int:
        return self.review_minutes + self.new_minutes

    @property
    def planned_minutes(self) -> int:
        """What is still planned today (deck tasks are inside the card minutes)."""
        return self.card_minutes + self.task_minutes

    @property
    def labs(self) -> list[PlannedTask]:
        return [task for task in self.tasks if task.kind == "lab"]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["planned_minutes"] = self.planned_minutes
        data["left_minutes"] = self.left_minutes
        data["notes"] = [getattr(text, "english", text) for text in self.notes]
        if self.forecast:
            data["forecast"] = self.forecast.to_dict()
        return data


@dataclass(frozen=True)
class CardDay:
    """The card side of a day: reviews due, what the user did already, the decks' unseen cards."""

    due: int = 0
    new_seen: int = 0
    seconds: float = DEFAULT_SECONDS_PER_REVIEW
    answers_first_day: float = NEW_CARD_FACTOR
    stocks: Mapping[str, DeckStock] = field(default_factory=dict)
    own_decks: tuple[str, ...] = ()
    showable: Mapping[str, int] | None = None  # new cards the queue can show today, per deck (None: any)


@dataclass
class DayResult:
    plan: DayPlan
    progress: dict[str, TaskProgress]  # after the day, as planned
    stocks: dict[str, DeckStock]  # after the day's new cards


def plan_day(
    day: dt.date,
    roadmap: Roadmap | None,
    progress: Mapping[str, TaskProgress],
    cards: CardDay,
    prefs: Preferences,
    *,
    available: int | None = None,
    studied: float = 0.0,
    dropped: Collection[str] = frozenset(),
) -> DayResult:
    """Plan one day. `progress` has deck tasks folded in (tasks.with_decks). `available`
    overrides the budget (a short evening); `studied` minutes are taken off it."""
    budget = prefs.minutes_on(day) if available is None else available
    plan = DayPlan(day=day, budget_minutes=budget, studied_minutes=round(studied), reviews_due=cards.due)
    progress = dict(progress)
    stocks = dict(cards.stocks)
    if roadmap is not None:
        plan.roadmap_id, plan.roadmap_title, plan.roadmap_title_zh = roadmap.id, roadmap.title, roadmap.title_zh
        if prefs.start is not None:
            plan.day_number = (day - prefs.start).days + 1
    state = readiness(roadmap, progress, dropped) if roadmap is not None else None
    source = new_card_source(roadmap, progress, cards.own_decks, prefs.own_decks, dropped, state)
    pool = [deck for deck in source.deck_order] if source.new_decks is not None else sorted(stocks)
    plan.new_available = sum(stocks[deck].unseen for deck in pool if deck in stocks)
    if budget == 0:
        plan.day_off = True
        due = cards.due
        plan.notes.append(
            note(
                lambda _, ngettext: (
                    ngettext(
                        "Day off: nothing planned. {count} review will wait for tomorrow.",
                        "Day off: nothing planned. {count} reviews will wait for tomorrow.",
                        due,
                    ).format(count=due)
                    if due
                    else _("Day off.")
                )
            )
        )
        return DayResult(plan, progress, stocks)
    room = max(0, budget - round(studied))
    _plan_cards(plan, cards, room, prefs.new_per_day, pool, stocks)
    if roadmap is not None and state is not None:
        if _advance_deck_tasks(plan, roadmap, progress, stocks, cards, state):
            state = readiness(roadmap, progress, dropped)  # a deck task finished: what waited for it may start
        free = room - plan.card_minutes
        _plan_tasks(plan, roadmap, progress, free, round(budget * STRETCH), dropped, prefs.start, state)
    return DayResult(plan, progress, stocks)


def _plan_cards(
    plan: DayPlan, cards: CardDay, room: int, new_per_day: int, pool: list[str], stocks: dict[str, DeckStock]
) -> None:
    seconds = cards.seconds
    cap = max(1, math.floor(REVIEW_SHARE * max(room, 1) * 60 / seconds))
    plan.reviews_planned = min(cards.due, cap)
    if cards.due > cap:
        plan.backlog_days = math.ceil(cards.due / cap)
        due, planned, days = cards.due, plan.reviews_planned, plan.backlog_days
        plan.notes.append(
            note(
                lambda _, ngettext: _(
                    "Backlog: {due} reviews due. Do {planned} today (half your time), spread over about {days} "
                    "days; new cards pause until it is cleared."
                ).format(due=due, planned=planned, days=days)
            )
        )
    plan.review_minutes = math.ceil(plan.reviews_planned * seconds / 60)
    if plan.backlog_days or room <= plan.review_minutes:
        return
    per_card = seconds * cards.answers_first_day / 60
    fit = math.floor((room - plan.review_minutes) / per_card)
    wanted = max(0, min(new_per_day - cards.new_seen, plan.new_available, fit))
    for deck in pool:
        stock = stocks.get(deck)
        if wanted <= 0 or stock is None or stock.unseen == 0:
            continue
        take = min(wanted, stock.unseen, cards.showable.get(deck, 0) if cards.showable is not None else wanted)
        if take <= 0:
            continue
        plan.new_from[deck] = take
        stocks[deck] = replace(stock, unseen=stock.unseen - take, minutes=stock.minutes + take * per_card)
        wanted -= take
    plan.new_cards = sum(plan.new_from.values())
    plan.new_minutes = math.ceil(plan.new_cards * per_card)


def _advance_deck_tasks(
    plan: DayPlan,
    roadmap: Roadmap,
    progress: dict[str, TaskProgress],
    stocks: dict[str, DeckStock],
    cards: CardDay,
    state: Readiness,
) -> bool:
    """Deck tasks move with the new cards of their deck: shown inside the card minutes. True
    when one of them finished."""
    per_card = cards.seconds * cards.answers_first_day / 60
    ready = {task.id for task in state.ready}
    finished_any = False
    credited: set[str] = set()  # a deck's new cards count for its first open deck task only
    for task in roadmap.tasks:
        if task.kind != "deck" or task.id not in ready:
            continue
        p = progress.get(task.id, NOTHING_DONE)
        stock = stocks.get(task.deck)
        if stock is None or (stock.unseen == 0 and not plan.new_from.get(task.deck)):
            progress[task.id] = replace(p, done=True)  # nothing left to learn from it
            finished_any = True
            continue
        count = 0 if task.deck in credited else plan.new_from.get(task.deck, 0)
        credited.add(task.deck)
        today = min(math.ceil(count * per_card), minutes_left(task, progress))
        plan.deck_tasks.append(_planned(roadmap, task, p, today, length(task, p)))
        if today:
            spent = p.minutes + today
            finished = spent >= length(task, p) or stock.unseen == 0
            progress[task.id] = replace(p, minutes=spent, done=finished, last_day=plan.day)
            finished_any = finished_any or finished
    return finished_any


def _plan_tasks(
    plan: DayPlan,
    roadmap: Roadmap,
    progress: dict[str, TaskProgress],
    room: int,
    stretch: int,
    dropped: Collection[str],
    start: dt.date | None,
    state: Readiness,
) -> None:
    planned: set[str] = set()
    positions = index_of(roadmap).position
    most = max(2, min(MAX_TASKS_PER_DAY, plan.budget_minutes // 90 + 1))
    opened = 0  # blocks that neither end a task nor are a habit: what splits an evening
    while room > 0 and opened < most:
        candidates = sorted(
            (
                task
                for task in state.ready
                if task.kind != "deck" and task.id not in planned and _on_its_day(task, progress, plan.day, start)
            ),
            key=lambda t: priority(t, state.group[t.id], progress.get(t.id, NOTHING_DONE), positions[t.id]),
        )
        chosen = None
        for task in candidates:
            p = progress.get(task.id, NOTHING_DONE)
            left = minutes_left(task, progress)
            if task.is_habit:
                left = min(left, task.blocks.max)
            over = stretch if p.minutes or not task.optional else 0  # run over to finish, not to squeeze in extras
            minutes = block_size(task, p.minutes, left, room, over)
            if minutes:
                chosen = (task, p, minutes)
                break
        if chosen is None:
            return
        task, p, minutes = chosen
        planned.add(task.id)
        left = minutes_left(task, progress)
        plan.tasks.append(_planned(roadmap, task, p, minutes, max(length(task, p), p.minutes + left)))
        room -= minutes
        stretch = max(0, stretch + min(0, room))  # running over uses the stretch up
        progress[task.id] = replace(p, minutes=p.minutes + minutes, done=minutes >= left, last_day=plan.day)
        opened += 0 if task.is_habit or minutes >= left else 1
        if minutes >= left:
            state = readiness(roadmap, progress, dropped)  # finished today: what waited for it can start today


def _on_its_day(task: Task, progress: Mapping[str, TaskProgress], day: dt.date, start: dt.date | None) -> bool:
    """A slot task only on its kind of day; a habit at most once every `every` days, the first
    time `every` days after the start (a note on two days of study, a weekly review after a week)."""
    if not fits_slot(task.slot, day):
        return False
    if task.every is not None:
        last = progress.get(task.id, NOTHING_DONE).last_day or start
        return last is None or (day - last).days >= task.every
    return True


def _planned(roadmap: Roadmap, task: Task, p: TaskProgress, minutes_today: int, total: int) -> PlannedTask:
    phase = next(phase for phase in roadmap.phases if phase.id == task.phase)
    return PlannedTask(
        id=task.id,
        title=task.title,
        kind=task.kind,
        phase=task.phase,
        minutes_today=max(0, minutes_today),
        minutes_total=total,
        minutes_done=p.minutes,
        url=task.url,
        lab=task.lab,
        deck=task.deck,
        title_zh=task.title_zh,
        notes=task.notes,
        optional=task.optional,
        parts=part_label(task, p.minutes, minutes_today) if minutes_today else "",
        phase_title=phase.title,
        phase_goal=phase.goal,
        phase_title_zh=phase.title_zh,
        notes_zh=task.notes_zh,
        phase_goal_zh=phase.goal_zh,
    )
