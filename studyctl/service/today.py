"""Today's plan and the days ahead (`studyctl today`, `studyctl plan`, the TUI's today screen):
read the planner's inputs once from settings, content, the store and FSRS, then call the pure
planner, whose one projection gives today's plan, the days ahead and the forecast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from studyctl.clock import day_end_utc, iso_utc
from studyctl.content.model.roadmap import Budget, Roadmap
from studyctl.i18n import _
from studyctl.planner.day import DayPlan
from studyctl.planner.forecast import HORIZON_DAYS, PACE_DAYS
from studyctl.planner.model import CardOutlook, Preferences, ReviewLoad, TaskProgress
from studyctl.planner.progress import RoadmapView
from studyctl.planner.tasks import NewCardSource
from studyctl.service import roadmaps
from studyctl.service.home import Home
from studyctl.service.queue import today_queue
from studyctl.store import queries

CURVE_KEY = "planner/review-curve"
LOAD_KEY = "planner/review-load"


@dataclass(frozen=True)
class PlanInputs:
    day: dt.date
    roadmap: Roadmap | None
    progress: dict[str, TaskProgress]  # the task log up to `day`
    load: ReviewLoad
    prefs: Preferences
    messages: tuple[str, ...]  # for stderr: problems, first-run notes
    deck_order: tuple[str, ...] = ()  # the decks new cards come from today, in order
    new_decks: frozenset[str] | None = None  # ... and only from these (None: any deck, no roadmap)


@dataclass(frozen=True)
class Today:
    plan: DayPlan
    messages: tuple[str, ...]
    roadmap: RoadmapView | None  # the active roadmap with progress (the TUI's bars)

    def to_dict(self) -> dict[str, Any]:
        return self.plan.to_dict()


def today(home: Home, *, on: dt.date | None = None, minutes: int | None = None) -> Today:
    from studyctl.planner.progress import roadmap_view
    from studyctl.planner.project import project
    from studyctl.planner.tasks import with_decks

    inputs = gather(home, on=on)
    projection = project(inputs.day, inputs.roadmap, inputs.progress, inputs.load, inputs.prefs, minutes_today=minutes)
    view = None
    if inputs.roadmap is not None:
        per_card = (inputs.load.seconds_per_review or 10) * inputs.load.outlook.answers_first_day / 60
        folded = with_decks(inputs.roadmap, inputs.progress, inputs.load.stocks(), per_card)
        view = roadmap_view(inputs.roadmap, folded)
    return Today(projection.today, inputs.messages, view)


@dataclass(frozen=True)
class Days:
    plans: tuple[DayPlan, ...]
    messages: tuple[str, ...]

    def to_dict(self) -> list[dict[str, Any]]:
        return [plan.to_dict() for plan in self.plans]


def plan_days(home: Home, days: int, *, on: dt.date | None = None) -> Days:
    """The first `days` days of the projection that today's forecast comes from."""
    from studyctl.planner.project import project

    inputs = gather(home, on=on)
    projection = project(inputs.day, inputs.roadmap, inputs.progress, inputs.load, inputs.prefs, days=days)
    return Days(projection.days[:days], inputs.messages)


def new_card_source(home: Home) -> NewCardSource:
    """The decks new cards may come from now, in order: the roadmap's unlocked decks and the
    user's own (the review queue's side of the plan)."""
    from studyctl.planner.tasks import new_card_source as source
    from studyctl.planner.tasks import with_decks

    roadmap = roadmaps.active_roadmap_or_none(home, [])
    stocks = roadmaps.deck_stocks(home, roadmap)
    own = own_decks(home, roadmap)
    if roadmap is None:
        return source(None, {}, own, home.settings.own_decks)
    progress = with_decks(
        roadmap, roadmaps.progress_of(home, roadmap.id), stocks, roadmaps.card_minutes_per_new_card(home)
    )
    return source(roadmap, progress, own, home.settings.own_decks)


def own_decks(home: Home, roadmap: Roadmap | None) -> tuple[str, ...]:
    """The user's own decks: not built in, and not named by the roadmap (those it unlocks)."""
    from pathlib import Path

    from studyctl import paths

    builtin = paths.builtin_content_root().resolve()
    named = {task.deck for task in roadmap.tasks if task.deck} if roadmap else set()
    own = []
    for deck, path in sorted(queries.deck_paths(home.conn).items()):
        if deck in named:
            continue
        try:
            Path(path).resolve().relative_to(builtin)
        except ValueError:
            own.append(deck)
    return tuple(own)


def gather(home: Home, *, on: dt.date | None = None) -> PlanInputs:
    """Everything the planner needs for a day, read once: settings, deck sync, the active
    roadmap (the first plan starts it), progress up to that day, the decks, the review load
    ahead, the time studied that day and the pace before it."""
    settings = home.settings
    day = on or home.today()
    messages: list[str] = []
    sync_issues = home.sync_decks()
    broken = sorted({str(issue.path) for issue in sync_issues if issue.is_error})
    messages += [_("skipped: {issue}").format(issue=issue) for issue in sync_issues if issue.is_error]
    if broken:
        messages.append(
            _("{count} deck file(s) have errors and were skipped; run `studyctl validate`.").format(count=len(broken))
        )
    roadmap = roadmaps.active_roadmap_or_none(home, messages)
    conn = home.conn
    rollover = settings.rollover_hour
    day_start, day_end = (iso_utc(day_end_utc(d, rollover)) for d in (day - dt.timedelta(days=1), day))
    roadmap_id = roadmap.id if roadmap else ""
    logged = queries.task_minutes_by_day(
        conn, roadmap_id, (day - dt.timedelta(days=PACE_DAYS)).isoformat(), day.isoformat()
    )
    by_day = {dt.date.fromisoformat(d): minutes for d, minutes in logged.items()}
    stocks = roadmaps.deck_stocks(home, roadmap, day)
    queue = today_queue(home, on=on)  # exactly what `review` will show
    load = ReviewLoad(
        due=queue.learning + queue.review,
        # the planner offers new_per_day - new_seen_today new cards: tell it the part of the
        # allowance the queue can't offer (already answered, or siblings, buries, suspensions)
        new_seen_today=max(0, settings.new_cards_per_day - queue.new),
        new_today=queue.new_by_deck,
        seconds_per_review=queries.median_answer_seconds(conn),
        unseen={deck: stock.unseen for deck, stock in stocks.items()},
        deck_minutes={deck: stock.minutes for deck, stock in stocks.items()},
        own_decks=own_decks(home, roadmap),
        studied_today=queries.answer_minutes_between(conn, day_start, day_end) + by_day.get(day, 0),
        task_minutes_by_day=by_day,
        outlook=outlook(home, day),
    )
    start = deadline = None
    if roadmap is not None:
        if on is None:
            roadmaps.ensure_started(home, roadmap, messages)
        dates = roadmaps.dates_of(home, roadmap)
        start, deadline = dates.start, dates.deadline
    prefs = Preferences(
        budget=settings.budget_over(roadmap.budget if roadmap else Budget()),
        new_per_day=settings.new_cards_per_day,
        start=start,
        deadline=deadline,
        days_off=frozenset(settings.days_off),
        own_decks=settings.own_decks,
    )
    from studyctl.srs.optimize_record import optimize_hint  # one small state row and one COUNT

    if hint := optimize_hint(conn):
        messages.append(hint)
    progress = roadmaps.progress_of(home, roadmap.id, day) if roadmap else {}
    source = _source(roadmap, progress, load, settings.own_decks)
    return PlanInputs(day, roadmap, progress, load, prefs, tuple(messages), source.deck_order, source.new_decks)


def _source(roadmap: Roadmap | None, progress: dict[str, TaskProgress], load: ReviewLoad, policy: str) -> NewCardSource:
    from studyctl.planner.tasks import new_card_source as source
    from studyctl.planner.tasks import with_decks

    if roadmap is None:
        return source(None, {}, load.own_decks, policy)
    per_card = (load.seconds_per_review or 10) * load.outlook.answers_first_day / 60
    return source(roadmap, with_decks(roadmap, progress, load.stocks(), per_card), load.own_decks, policy)


def outlook(home: Home, day: dt.date) -> CardOutlook:
    """The review load FSRS expects after `day`: the cards already seen, on the review curve of
    the user's scheduler (kept in machine state: FSRS is imported only when settings change)."""
    import json

    from studyctl.srs.outlook import ReviewCurve, review_curve

    review = home.settings.review
    key = json.dumps(review.to_data(), sort_keys=True, default=str)
    cached = home.state(CURVE_KEY) or {}
    if cached.get("settings") == key:
        curve = ReviewCurve.from_dict(cached["curve"])
    else:
        curve = review_curve(review)
        home.remember(CURVE_KEY, {"settings": key, "curve": curve.to_dict()})
    return CardOutlook(
        due_on=future_load(home, day, curve, key),
        comeback_days=curve.comeback_days,
        answers_first_day=curve.answers_first_day,
        answers_per_review=curve.answers_per_review,
    )


def future_load(home: Home, day: dt.date, curve: Any, curve_key: str) -> dict[dt.date, int]:
    """Reviews per day after `day` of the cards already seen. Kept in machine state until an
    answer, a card mark or the day changes: reading every card's schedule is the costliest
    query of a plan on a large collection."""
    from studyctl.srs.outlook import future_reviews

    conn = home.conn
    stamp = f"{day.isoformat()}|{queries.last_review_id(conn)}|{queries.marks_stamp(conn)}|{curve_key}"
    cached = home.state(LOAD_KEY) or {}
    if cached.get("stamp") == stamp:
        return {dt.date.fromisoformat(d): int(n) for d, n in cached.get("due_on", {}).items()}
    rollover = home.settings.rollover_hour
    after = iso_utc(day_end_utc(day, rollover))
    offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta()
    shift = round(offset.total_seconds() / 60) - 60 * rollover
    rows = queries.seen_card_schedule(conn, after, shift, list(curve.stabilities))
    cards = [(dt.date.fromisoformat(due), stage, count) for due, stage, count in rows]
    due_on = future_reviews(cards, curve, day + dt.timedelta(days=HORIZON_DAYS))
    home.remember(LOAD_KEY, {"stamp": stamp, "due_on": {d.isoformat(): n for d, n in sorted(due_on.items())}})
    return due_on
