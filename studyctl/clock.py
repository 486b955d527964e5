"""The user's study day: local time, shifted by the rollover hour (a 1 am review counts for the
evening before, as in Anki). Times are stored in UTC; only this module decides what "today" is."""

from __future__ import annotations

import datetime as dt


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def study_day(moment: dt.datetime, rollover_hour: int) -> dt.date:
    """The study day a moment belongs to, in the local time zone."""
    local = moment.astimezone()
    return (local - dt.timedelta(hours=rollover_hour)).date()


def day_end_utc(day: dt.date, rollover_hour: int) -> dt.datetime:
    """When `day` ends for the user (next day's rollover hour, local), as a UTC instant."""
    local_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(rollover_hour))
    return local_end.astimezone().astimezone(dt.timezone.utc)


def iso_utc(moment: dt.datetime) -> str:
    """Stored form of a time: UTC ISO 8601, sortable as text."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
