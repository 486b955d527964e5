"""Study statistics for `studyctl stats` and the TUI: answers per day, true retention, the due
forecast, the streak, retention week by week, and the activity heatmap of the today screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from studyctl.clock import day_end_utc, iso_utc
from studyctl.service.home import Home
from studyctl.srs.stats import Stats

HEATMAP_WEEKS = 12
RETENTION_WEEKS = 8


@dataclass(frozen=True)
class WeekRetention:
    start: dt.date
    share: float | None  # passed / answered; None: no reviews that week
    reviews: int


@dataclass(frozen=True)
class StatsView:
    stats: Stats
    retention_by_week: tuple[WeekRetention, ...]  # oldest first
    desired_retention: float

    def to_dict(self) -> dict[str, Any]:
        return self.stats.to_dict()


def stats(home: Home, day: dt.date | None = None) -> StatsView:
    """`studyctl stats` plus true retention per week against the target."""
    from studyctl.srs.stats import compute
    from studyctl.store.stats import retention

    day = day or home.today()
    rollover = home.settings.rollover_hour
    result = compute(home.conn, day, rollover)
    starts = [day - dt.timedelta(days=7 * n + 6) for n in range(RETENTION_WEEKS)]  # newest first
    since = [retention(home.conn, iso_utc(day_end_utc(start - dt.timedelta(days=1), rollover))) for start in starts]
    weeks = []
    for n, start in enumerate(starts):
        passed, total = since[n]
        if n:  # counts since a start include the newer weeks: take them off
            passed, total = passed - since[n - 1][0], total - since[n - 1][1]
        weeks.append(WeekRetention(start, passed / total if total else None, total))
    return StatsView(result, tuple(reversed(weeks)), home.settings.review.desired_retention)


@dataclass(frozen=True)
class Activity:
    """The streak and answers per day for the today screen's heatmap."""

    streak: int
    reviews_today: int
    per_day: dict[dt.date, int]  # the last HEATMAP_WEEKS weeks, zeros included

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["per_day"] = {day.isoformat(): count for day, count in self.per_day.items()}
        return data


def activity(home: Home, day: dt.date) -> Activity:
    from studyctl.srs.stats import compute
    from studyctl.store.stats import reviews_per_day

    rollover = home.settings.rollover_hour
    result = compute(home.conn, day, rollover)
    first = day - dt.timedelta(days=day.weekday() + 7 * (HEATMAP_WEEKS - 1))
    counts = reviews_per_day(home.conn, iso_utc(day_end_utc(first - dt.timedelta(days=1), rollover)), rollover)
    per_day = {
        first + dt.timedelta(days=n): counts.get((first + dt.timedelta(days=n)).isoformat(), 0)
        for n in range((day - first).days + 1)
    }
    return Activity(result.streak, result.reviews_today, per_day)
