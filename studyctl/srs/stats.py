"""Study statistics: answers per day, true retention, the due forecast, the streak."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from studyctl.clock import day_end_utc, iso_utc
from studyctl.store import stats as queries

if TYPE_CHECKING:
    import sqlite3


@dataclass
class Stats:
    day: str
    reviews_today: int
    reviews_per_day: dict[str, int]  # the last 30 study days, oldest first, zeros included
    retention_30d: float | None  # passed / answered, over review-state cards; None if none
    retention_reviews: int
    due_next_7: dict[str, int]  # today first; today includes overdue cards
    due_next_30_total: int
    streak: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compute(conn: sqlite3.Connection, today: dt.date, rollover_hour: int) -> Stats:
    month_ago = day_end_utc(today - dt.timedelta(days=31), rollover_hour)
    per_day = queries.reviews_per_day(conn, iso_utc(month_ago), rollover_hour)
    days = [(today - dt.timedelta(days=n)).isoformat() for n in range(29, -1, -1)]
    passed, total = queries.retention(conn, iso_utc(month_ago))
    due = queries.due_per_day(conn, iso_utc(day_end_utc(today + dt.timedelta(days=29), rollover_hour)), rollover_hour)
    overdue = sum(count for day, count in due.items() if day < today.isoformat())
    next_week = {(today + dt.timedelta(days=n)).isoformat(): 0 for n in range(7)}
    for day, count in due.items():
        if day in next_week:
            next_week[day] += count
    next_week[today.isoformat()] += overdue
    return Stats(
        day=today.isoformat(),
        reviews_today=per_day.get(today.isoformat(), 0),
        reviews_per_day={day: per_day.get(day, 0) for day in days},
        retention_30d=passed / total if total else None,
        retention_reviews=total,
        due_next_7=next_week,
        due_next_30_total=sum(due.values()),
        streak=_streak(
            queries.study_days(
                conn, iso_utc(day_end_utc(today - dt.timedelta(days=366), rollover_hour)), rollover_hour
            ),
            today,
        ),
    )


def _streak(days: list[str], today: dt.date) -> int:
    """Consecutive study days ending today (or yesterday: today isn't over yet)."""
    studied = set(days)
    day = today if today.isoformat() in studied else today - dt.timedelta(days=1)
    count = 0
    while day.isoformat() in studied:
        count += 1
        day -= dt.timedelta(days=1)
    return count
