"""The stats screen: what `studyctl stats` prints (answers per day, true retention, the due
forecast, the streak) as plotext charts, plus true retention week by week against your target."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header
from textual_plotext import PlotextPlot

from studyctl.presentation.sync import last_sync_line
from studyctl.service import stats, sync
from studyctl.tui import data
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel


class StatsScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "reload", "Refresh", id="stats.refresh"),
        Binding("escape", "app.today", "Back", id="stats.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Panel("Counting...", title="Stats", id="stats-summary")
        with Vertical(id="stats-charts"):
            with Horizontal(classes="chart-row"):
                yield PlotextPlot(id="per-day")
            with Horizontal(classes="chart-row"):
                yield PlotextPlot(id="retention")
                yield PlotextPlot(id="due")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Stats"
        self.query_one("#per-day").border_title = "Answers per day, last 30 days"
        self.query_one("#retention").border_title = "True retention per week"
        self.query_one("#due").border_title = "Due, next 7 days"
        self.action_reload()

    def action_reload(self) -> None:
        self.run_worker(self.load(), exclusive=True, group="stats", exit_on_error=False)

    async def load(self) -> None:
        app = self.app
        day = app.day or await app.backend.call(data.study_day)
        view = await app.backend.call(stats.stats, day)
        self.query_one("#stats-summary", Panel).show(summary_text(view))
        if (last := await app.backend.call(sync.last_sync)) is not None:
            self.query_one("#stats-summary", Panel).border_subtitle = last_sync_line(last)
        self.draw_per_day(view.stats.reviews_per_day)
        self.draw_retention(view.retention_by_week, view.desired_retention)
        self.draw_due(view.stats.due_next_7)

    def draw_per_day(self, per_day: dict[str, int]) -> None:
        plot = self.query_one("#per-day", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        days = list(per_day)
        xs = list(range(len(days)))
        plt.bar(xs, list(per_day.values()), marker="hd", color="green")
        ticks = xs[::7] if xs else []
        plt.xticks([float(i) for i in ticks], [_short(days[i]) for i in ticks])
        _count_axis(plt, max(per_day.values(), default=0))
        plot.refresh()

    def draw_retention(self, weeks: tuple[stats.WeekRetention, ...], target: float) -> None:
        plot = self.query_one("#retention", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        labels = [week.start.strftime("%d %b") for week in weeks]
        xs = list(range(len(weeks)))
        known = [(x, week.share * 100) for x, week in zip(xs, weeks, strict=True) if week.share is not None]
        if known:
            plt.plot([x for x, _ in known], [y for _, y in known], marker="braille", color="cyan")
            plt.scatter([x for x, _ in known], [y for _, y in known], marker="●", color="cyan")
        plt.hline(target * 100, color="yellow")
        plt.xticks([float(x) for x in xs[::2]], labels[::2])
        plt.xlim(-0.5, max(len(weeks) - 0.5, 0.5))
        plt.ylim(50, 100)
        plt.yticks(list(range(50, 101, 10)), [f"{y}%" for y in range(50, 101, 10)])
        plot.border_subtitle = f"target {target:.0%}" + ("" if known else " · no reviews yet")
        plot.refresh()

    def draw_due(self, due: dict[str, int]) -> None:
        plot = self.query_one("#due", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        labels = [dt.date.fromisoformat(day).strftime("%a") for day in due]
        plt.bar(labels, list(due.values()), color="orange")
        _count_axis(plt, max(due.values(), default=0))
        plot.refresh()


def _count_axis(plt, peak: int) -> None:
    """Whole numbers on a count axis (plotext would write 0.37 answers)."""
    step = max(1, -(-peak // 4))
    ticks = list(range(0, max(peak, 1) + step, step))
    plt.yticks(ticks, [str(t) for t in ticks])
    plt.ylim(0, ticks[-1])


def _short(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%d %b")


def summary_text(view: stats.StatsView) -> Text:
    figures = view.stats
    text = Text()
    text.append(f"Today ({figures.day}): ", style="bold")
    text.append(f"{figures.reviews_today} answers · streak {figures.streak} day{'s' if figures.streak != 1 else ''}")
    text.append("\nTrue retention, last 30 days: ", style="bold")
    if figures.retention_30d is None:
        text.append("no reviews yet")
    else:
        text.append(
            f"{figures.retention_30d:.1%} of {figures.retention_reviews} reviews (target {view.desired_retention:.0%})"
        )
    text.append("\nDue: ", style="bold")
    text.append(f"{sum(figures.due_next_7.values())} in the next 7 days, {figures.due_next_30_total} in the next 30")
    return text
