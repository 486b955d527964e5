"""Roadmaps as the user follows them: which one is active, when it started and is due, what has
been done of it, and recording progress on its tasks the way Taskwarrior does: `done` (with
the day it happened and a new estimate of what is left), `skip`, `undo` of the last entry and
`reopen`, with a warning for a task done twice or done while it was still waiting."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from studyctl.content.model.roadmap import Roadmap, Task
from studyctl.errors import NotFound, StudyctlError
from studyctl.i18n import _, current, short_date
from studyctl.planner.model import DeckStock, TaskProgress
from studyctl.planner.progress import RoadmapView, roadmap_view
from studyctl.service.home import Home

STATUSES = ("progress", "done", "skipped")


def find_roadmap(home: Home, roadmap_id: str) -> Roadmap:
    """The roadmap `roadmap_id`, parsed through the cache. Raises NotFound (with close matches)
    or ContentError (file:line) when its file is broken."""
    from studyctl.content.roadmaps import load_roadmap

    files = home.files("roadmap")
    if roadmap_id not in files:
        raise NotFound("roadmap", roadmap_id, files, listing="studyctl roadmap list")  # i18n: not shown
    roadmap, _warnings = load_roadmap(files[roadmap_id], cache=home.parse_cache)
    return roadmap


def active_roadmap(home: Home) -> Roadmap:
    """The roadmap settings.yaml names (raises like find_roadmap)."""
    return find_roadmap(home, home.settings.roadmap)


def active_roadmap_or_none(home: Home, messages: list[str]) -> Roadmap | None:
    """The active roadmap, or None with a line in `messages` saying why it can't be used: the
    plan still shows cards when the roadmap is missing or broken."""
    try:
        return active_roadmap(home)
    except StudyctlError as exc:
        messages.extend(str(exc).splitlines() or [""])  # the lines of exc.lines() without "error: "
        return None


def progress_of(home: Home, roadmap_id: str, until: dt.date | None = None) -> dict[str, TaskProgress]:
    """What the task log says of each task, counting only entries for study days up to `until`."""
    from studyctl.planner.model import LogEntry, fold_log
    from studyctl.store.queries import task_log

    log = task_log(home.conn, roadmap_id, until.isoformat() if until else None)
    return fold_log([LogEntry(task, status, minutes, dt.date.fromisoformat(day)) for task, status, minutes, day in log])


def deck_stocks(home: Home, roadmap: Roadmap | None, until: dt.date | None = None) -> dict[str, DeckStock]:
    """Every synced deck's unseen cards, and the card time spent on the roadmap's decks up to
    the end of the study day `until` (default: now). Callers sync the decks first."""
    from studyctl.clock import day_end_utc, iso_utc
    from studyctl.store import queries

    unseen = queries.unseen_per_deck(home.conn)
    decks = sorted({task.deck for task in roadmap.tasks if task.deck} & set(unseen)) if roadmap else []
    until_utc = iso_utc(day_end_utc(until, home.settings.rollover_hour) if until else home.clock())
    minutes = queries.card_minutes_by_deck(home.conn, decks, until_utc)
    return {deck: DeckStock(count, minutes.get(deck, 0.0)) for deck, count in unseen.items()}


def card_minutes_per_new_card(home: Home) -> float:
    """A new card's first day in minutes, at the user's median answer time."""
    from studyctl.planner.day import DEFAULT_SECONDS_PER_REVIEW, NEW_CARD_FACTOR
    from studyctl.store.queries import median_answer_seconds

    return (median_answer_seconds(home.conn) or DEFAULT_SECONDS_PER_REVIEW) * NEW_CARD_FACTOR / 60


def full_progress(home: Home, roadmap: Roadmap, until: dt.date | None = None) -> dict[str, TaskProgress]:
    """Progress with deck tasks' card time folded in (what the roadmap view and warnings use).
    The deck files are synced first: `roadmap show` may be a new home's first command, and a deck
    the store doesn't know yet would count its task as finished. (`today` and `review` sync on
    their own, so their path checks the files once.)"""
    from studyctl.planner.tasks import with_decks

    home.sync_decks()
    stocks = deck_stocks(home, roadmap, until)
    return with_decks(roadmap, progress_of(home, roadmap.id, until), stocks, card_minutes_per_new_card(home))


def view_of(home: Home, roadmap: Roadmap) -> RoadmapView:
    return roadmap_view(roadmap, full_progress(home, roadmap))


def active_view(home: Home) -> RoadmapView | None:
    """The active roadmap with progress, or None when none loads (the screen says so)."""
    roadmap = active_roadmap_or_none(home, [])
    return view_of(home, roadmap) if roadmap is not None else None


# -- start and deadline, kept per roadmap ------------------------------------------------------


@dataclass(frozen=True)
class RoadmapDates:
    start: dt.date | None
    deadline: dt.date | None


def dates_of(home: Home, roadmap: Roadmap) -> RoadmapDates:
    """When `roadmap` was started and is due. Kept per roadmap in machine state, so switching to
    another roadmap and back keeps both; settings.yaml's start_date / deadline, when set, apply
    to the active roadmap and win. A roadmap with no deadline of its own is due its
    duration_days after the start."""
    settings = home.settings
    record = home.state(f"roadmaps/{roadmap.id}", {}) or {}
    start = _date(record.get("start"))
    deadline = _date(record.get("deadline"))
    if roadmap.id == settings.roadmap:
        start = settings.start_date or start
        deadline = settings.deadline or deadline
    if deadline is None:
        deadline = roadmap.deadline
    if deadline is None and start is not None and roadmap.duration_days:
        deadline = start + dt.timedelta(days=roadmap.duration_days - 1)
    return RoadmapDates(start, deadline)


def set_start(home: Home, roadmap_id: str, start: dt.date) -> None:
    record = dict(home.state(f"roadmaps/{roadmap_id}", {}) or {})
    home.remember(f"roadmaps/{roadmap_id}", {**record, "start": start.isoformat()})


def set_deadline(home: Home, roadmap_id: str, deadline: dt.date | None) -> None:
    """Keep `deadline` for this roadmap (None: back to the roadmap's own)."""
    record = dict(home.state(f"roadmaps/{roadmap_id}", {}) or {})
    record.pop("deadline", None)
    if deadline is not None:
        record["deadline"] = deadline.isoformat()
    home.remember(f"roadmaps/{roadmap_id}", record)


def _date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) and text else None
    except (TypeError, ValueError):
        return None


# -- choosing a roadmap ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapSummary:
    id: str
    title: str
    title_zh: str
    active: bool
    phases: int
    tasks: int
    hours: int
    duration_days: int | None
    weekday_minutes: int
    weekend_minutes: int
    path: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RoadmapList:
    roadmaps: tuple[RoadmapSummary, ...]
    problems: tuple[str, ...]  # broken roadmap files, file:line

    def to_dict(self) -> list[dict[str, Any]]:
        return [roadmap.to_dict() for roadmap in self.roadmaps]


def list_roadmaps(home: Home) -> RoadmapList:
    """Every roadmap in the content folders that loads (a broken one is named in `problems`)."""
    from studyctl.content.issues import ContentError
    from studyctl.content.roadmaps import load_roadmap
    from studyctl.planner.tasks import task_minutes

    rows, problems = [], []
    active = home.settings.roadmap
    for path in home.files("roadmap").values():
        try:
            roadmap, _warnings = load_roadmap(path, cache=home.parse_cache)
        except ContentError as exc:
            problems += [str(issue) for issue in exc.issues if issue.is_error]
            continue
        rows.append(
            RoadmapSummary(
                id=roadmap.id,
                title=roadmap.title,
                title_zh=roadmap.title_zh,
                active=roadmap.id == active,
                phases=len(roadmap.phases),
                tasks=len(roadmap.tasks),
                hours=round(sum(task_minutes(t) for t in roadmap.tasks) / 60),
                duration_days=roadmap.duration_days,
                weekday_minutes=roadmap.budget.weekday,
                weekend_minutes=roadmap.budget.weekend,
                path=str(path),
            )
        )
    return RoadmapList(tuple(sorted(rows, key=lambda r: r.id)), tuple(problems))


def use_roadmap(
    home: Home,
    roadmap_id: str,
    *,
    start: dt.date | None = None,
    budget: dict[str, int] | None = None,
    deadline: dt.date | None = None,
) -> tuple[Roadmap, dt.date]:
    """Follow `roadmap_id` from now on. Its start is `start`, else the day it was first started
    (switching back keeps it), else today; `deadline` is kept for it (switching back keeps that
    too). settings.yaml's start_date / deadline belonged to the roadmap followed until now: they
    move into that roadmap's record."""
    roadmap = find_roadmap(home, roadmap_id)  # refused before anything is written
    settings = home.settings
    if settings.roadmap != roadmap.id and (settings.start_date or settings.deadline):
        old = dict(home.state(f"roadmaps/{settings.roadmap}", {}) or {})
        if settings.start_date:
            old["start"] = settings.start_date.isoformat()
        if settings.deadline:
            old["deadline"] = settings.deadline.isoformat()
        home.remember(f"roadmaps/{settings.roadmap}", old)
        settings = settings.with_changes(start_date=None, deadline=None)
    if settings.roadmap == roadmap.id and start is not None:
        settings = settings.with_changes(start_date=None)
    if settings.roadmap == roadmap.id and deadline is not None:
        settings = settings.with_changes(deadline=None)
    known = dates_of(home, roadmap).start if settings.roadmap == roadmap.id else None
    known = known or _date((home.state(f"roadmaps/{roadmap.id}", {}) or {}).get("start"))
    begin = start or known or home.today()
    set_start(home, roadmap.id, begin)
    if deadline is not None:
        set_deadline(home, roadmap.id, deadline)
    changes: dict[str, Any] = {"roadmap": roadmap.id}
    if budget is not None:
        changes["budget"] = budget
    home.save_settings(settings.with_changes(**changes))
    return roadmap, begin


def ensure_started(home: Home, roadmap: Roadmap, messages: list[str]) -> None:
    """The first plan of a roadmap starts it today (said in `messages`)."""
    if dates_of(home, roadmap).start is None:
        set_start(home, roadmap.id, home.today())
        today = home.today()
        date = short_date(today) if current() != "en" else f"{today:%d %b %Y}"
        messages.append(_("Starting roadmap '{roadmap}' today ({date}).").format(roadmap=roadmap.id, date=date))


# -- progress on tasks -------------------------------------------------------------------------


def find_task(roadmap: Roadmap, task_id: str) -> Task:
    tasks = {task.id: task for task in roadmap.tasks}
    if task_id not in tasks:
        where = _("roadmap '{roadmap}'").format(roadmap=roadmap.id)
        raise NotFound("task", task_id, tasks, where=where, listing="studyctl roadmap show")  # i18n: not shown
    return tasks[task_id]


@dataclass(frozen=True)
class TaskLogged:
    roadmap: str
    task: Task
    status: str
    minutes: int
    spent: int  # minutes logged on the task in all, this entry included
    total: int  # the task's estimated length (the learner's re-estimate when given)
    day: dt.date | None = None  # the study day the entry counts for
    logged: bool = True  # False: nothing was written (a task done twice)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "roadmap": self.roadmap,
            "task": self.task.id,
            "status": self.status,
            "minutes": self.minutes,
            "spent": self.spent,
            "total": self.total,
            "day": self.day.isoformat() if self.day else None,
            "logged": self.logged,
            "warnings": list(self.warnings),
        }


def record_task(
    home: Home,
    task_id: str,
    status: str,
    minutes: int | None = None,
    *,
    day: dt.date | None = None,
    left: int | None = None,
) -> TaskLogged:
    """Log progress on a task of the active roadmap: 'progress' (minutes spent), 'done' (default
    minutes: what was left of the estimate) or 'skipped', for the study day `day` (default:
    today). `left`: the learner's new estimate of the minutes still to do. A task done or
    skipped already is left alone (with a warning); one still waiting for others is logged,
    with a warning naming what it waited for."""
    from studyctl.clock import iso_utc
    from studyctl.planner.tasks import blocked_by, length
    from studyctl.store.tasks import log_entries

    if status not in STATUSES:
        raise ValueError(f"status should be one of {STATUSES}, got {status!r}")  # i18n: not shown (a bug)
    if status == "progress" and not minutes and left is None:
        raise StudyctlError(_("logging partial progress needs the minutes you worked on it (or --left)"))
    if status != "progress" and left is not None:
        raise StudyctlError(_("--left re-estimates an open task: use it with --partial"))
    roadmap = active_roadmap(home)
    task = find_task(roadmap, task_id)
    today = home.today()
    day = day or today
    if day > today:
        raise StudyctlError(_("{day} is in the future: log what you did, when you did it").format(day=day.isoformat()))
    progress = full_progress(home, roadmap)
    p = progress.get(task.id, TaskProgress())
    total = length(task, p)
    if p.finished and status != "progress":
        if p.done:
            warning = _("'{task}' is already done: nothing logged (`studyctl reopen {task}` opens it again).")
        else:
            warning = _("'{task}' is already skipped: nothing logged (`studyctl reopen {task}` opens it again).")
        warning = warning.format(task=task.id)
        return TaskLogged(roadmap.id, task, status, 0, p.minutes, total, day, logged=False, warnings=(warning,))
    warnings = []
    if p.finished:
        if p.done:
            warnings.append(_("'{task}' is already done; the minutes are logged anyway.").format(task=task.id))
        else:
            warnings.append(_("'{task}' is already skipped; the minutes are logged anyway.").format(task=task.id))
    waiting = blocked_by(roadmap, task, progress)
    if waiting and status != "skipped":
        warnings.append(
            _("'{task}' was still waiting for {tasks}; logged anyway.").format(task=task.id, tasks=", ".join(waiting))
        )
    if minutes is None:
        minutes = max(0, total - p.minutes) if status == "done" else 0
    entries = [(status, minutes)] if status != "progress" or minutes else []
    spent = p.minutes + minutes
    if left is not None:
        entries.append(("estimate", spent + left))
        total = spent + left
    elif status == "progress" and spent >= total:
        warnings.append(
            _(
                "That is past the {minutes}-minute estimate: `studyctl done {task} --partial --left M` "
                "tells the plan how much is left."
            ).format(minutes=total, task=task.id)
        )
    log_entries(home.conn, roadmap.id, task.id, entries, day.isoformat(), iso_utc(home.clock()))
    return TaskLogged(roadmap.id, task, status, minutes, spent, total, day, warnings=tuple(warnings))


@dataclass(frozen=True)
class Undone:
    roadmap: str
    task: Task | None  # None: the task is no longer in the roadmap
    task_id: str
    statuses: tuple[str, ...]
    minutes: int
    day: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "roadmap": self.roadmap,
            "task": self.task_id,
            "statuses": list(self.statuses),
            "minutes": self.minutes,
            "day": self.day.isoformat(),
        }


def undo_last(home: Home) -> Undone:
    """Take back the last done, skip, partial minutes, estimate or reopen on the active roadmap:
    an undo event in the journal for each entry, and the entries gone from the live log."""
    from studyctl.clock import iso_utc
    from studyctl.store.tasks import last_entries, undo_entries

    roadmap = active_roadmap(home)
    last = last_entries(home.conn, roadmap.id)
    if not last:
        raise StudyctlError(_("nothing to undo: no task of '{roadmap}' has been logged").format(roadmap=roadmap.id))
    undo_entries(home.conn, last, at=iso_utc(home.clock()))
    task = next((t for t in roadmap.tasks if t.id == last[0].task), None)
    minutes = sum(e.minutes for e in last if e.status in ("progress", "done"))
    return Undone(
        roadmap.id,
        task,
        last[0].task,
        tuple(e.status for e in last),
        minutes,
        dt.date.fromisoformat(last[0].day),
    )


def reopen(home: Home, task_id: str) -> TaskLogged:
    """Open a done or skipped task again: the minutes spent on it stay."""
    from studyctl.clock import iso_utc
    from studyctl.planner.tasks import length
    from studyctl.store.tasks import log_task

    roadmap = active_roadmap(home)
    task = find_task(roadmap, task_id)
    p = progress_of(home, roadmap.id).get(task.id, TaskProgress())
    if not p.finished:
        raise StudyctlError(_("'{task}' is not done or skipped: nothing to reopen").format(task=task.id))
    log_task(home.conn, roadmap.id, task.id, "reopened", 0, home.today().isoformat(), iso_utc(home.clock()))
    return TaskLogged(roadmap.id, task, "reopened", 0, p.minutes, length(task, p), home.today())
