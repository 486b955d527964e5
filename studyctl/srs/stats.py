"""Study statistics, as Anki shows them: answers and time studied per day, cards by maturity
(new, learning, young, mature, suspended), true retention over the window the title names
(and per deck), the reviews forecast, the streak.

Days are study days (the rollover hour decides when one ends). The window is WINDOW_DAYS
study days ending today, today included: the same days for every figure that says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from studyctl.clock import day_end_utc, iso_utc
from studyctl.store import stats as queries

if TYPE_CHECKING:
    import sqlite3

WINDOW_DAYS = 30  # "last 30 days": answers, minutes and retention all cover these days
FORECAST_DAYS = 30
MATURE_DAYS = 21  # Anki's line between a young and a mature card (its current interval)


@dataclass(frozen=True)
class DeckRetention:
    deck: str
    passed: int
    reviews: int

    @property
    def share(self) -> float:
        return self.passed / self.reviews if self.reviews else 0.0


@dataclass
class Stats:
    day: str
    reviews_today: int
    minutes_today: float
    reviews_per_day: dict[str, int]  # the last WINDOW_DAYS study days, oldest first, zeros included
    minutes_per_day: dict[str, float]  # time spent answering, same days
    retention_30d: float | None  # passed / answered over the window, review-state cards; None if none
    retention_reviews: int
    retention_by_deck: list[DeckRetention]  # over the window, decks with reviews, most reviewed first
    cards: dict[str, int]  # new, learning, young, mature, suspended (retired cards aside)
    due_next_7: dict[str, int]  # today first; today includes overdue cards
    forecast: dict[str, int]  # the next FORECAST_DAYS days, today (with overdue) first
    due_next_30_total: int
    streak: int
    window_days: int = WINDOW_DAYS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["retention_by_deck"] = [
            {"deck": deck.deck, "passed": deck.passed, "reviews": deck.reviews, "share": deck.share}
            for deck in self.retention_by_deck
        ]
        return data


def window_start(today: dt.date, rollover_hour: int, days: int = WINDOW_DAYS) -> str:
    """When the window of `days` study days ending with `today` begins (UTC)."""
    return iso_utc(day_end_utc(today - dt.timedelta(days=days), rollover_hour))


def compute(conn: sqlite3.Connection, today: dt.date, rollover_hour: int) -> Stats:
    since = window_start(today, rollover_hour)
    per_day = queries.reviews_per_day(conn, since, rollover_hour)
    seconds = queries.seconds_per_day(conn, since, rollover_hour)
    days = [(today - dt.timedelta(days=n)).isoformat() for n in range(WINDOW_DAYS - 1, -1, -1)]
    passed, total = queries.retention(conn, since)
    by_deck = [DeckRetention(deck, ok, count) for deck, (ok, count) in queries.retention_by_deck(conn, since).items()]
    forecast = _forecast(conn, today, rollover_hour)
    return Stats(
        day=today.isoformat(),
        reviews_today=per_day.get(today.isoformat(), 0),
        minutes_today=seconds.get(today.isoformat(), 0) / 60,
        reviews_per_day={day: per_day.get(day, 0) for day in days},
        minutes_per_day={day: seconds.get(day, 0) / 60 for day in days},
        retention_30d=passed / total if total else None,
        retention_reviews=total,
        retention_by_deck=sorted(by_deck, key=lambda deck: (-deck.reviews, deck.deck)),
        cards=queries.card_counts(conn, MATURE_DAYS),
        due_next_7=dict(list(forecast.items())[:7]),
        forecast=forecast,
        due_next_30_total=sum(forecast.values()),
        streak=_streak(
            queries.study_days(
                conn, iso_utc(day_end_utc(today - dt.timedelta(days=366), rollover_hour)), rollover_hour
            ),
            today,
        ),
    )


def _forecast(conn: sqlite3.Connection, today: dt.date, rollover_hour: int) -> dict[str, int]:
    """Cards due per day for the next FORECAST_DAYS days; today also holds the overdue ones."""
    until = iso_utc(day_end_utc(today + dt.timedelta(days=FORECAST_DAYS - 1), rollover_hour))
    due = queries.due_per_day(conn, until, rollover_hour)
    days = {(today + dt.timedelta(days=n)).isoformat(): 0 for n in range(FORECAST_DAYS)}
    for day, count in due.items():
        key = day if day in days else today.isoformat()  # before today: overdue
        days[key] += count
    return days


def _streak(days: list[str], today: dt.date) -> int:
    """Consecutive study days ending today (or yesterday: today isn't over yet)."""
    studied = set(days)
    day = today if today.isoformat() in studied else today - dt.timedelta(days=1)
    count = 0
    while day.isoformat() in studied:
        count += 1
        day -= dt.timedelta(days=1)
    return count
