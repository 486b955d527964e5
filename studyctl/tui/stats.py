"""The stats screen: what `studyctl stats` prints (answers and minutes per day, cards by
maturity, true retention over the last 30 days overall and per deck, the reviews forecast, the
streak) with plotext charts, plus true retention week by week against your target."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header
from textual_plotext import PlotextPlot

from studyctl.i18n import N_, _, figure_day, ngettext
from studyctl.presentation.sync import last_sync_line
from studyctl.service import stats, sync
from studyctl.tui import data
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel, StudyFooter, chart_day

MAX_DECKS = 4  # decks named in the retention line (the CLI lists them all)
FRAME_ROWS = 3  # rows of a plotext chart that are not its canvas: the frame and the x labels (at most)


class AxisPlot(PlotextPlot):
    """A chart whose y-axis labels are thinned to the rows it gets when drawn.

    Two labels that fall on one row overwrite each other in an order plotext leaves to a set,
    so a short chart (80x24) showed 90% in one run and 80% in the next."""

    y_axis: tuple[list[float], list[str]] = ([], [])

    def render(self) -> RenderResult:
        ticks, labels = self.y_axis
        if ticks:
            keep = thinned(len(ticks), max(1, self.size.height - FRAME_ROWS))
            self.plt.yticks([ticks[i] for i in keep], [labels[i] for i in keep])
        return super().render()


def thinned(count: int, rows: int) -> list[int]:
    """Indexes of evenly spaced ticks, both ends kept, at most one label a row."""
    most = rows
    if count <= most:
        return list(range(count))
    fitting = (k for k in range(1, count) if (count - 1) % k == 0 and (count - 1) // k + 1 <= most)
    stride = next(fitting, count - 1)
    return list(range(0, count, stride))


class StatsScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "reload", N_("Refresh"), id="stats.refresh"),
        Binding("escape", "app.today", N_("Back"), id="stats.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Panel(_("Counting..."), title=_("Stats"), id="stats-summary")
        with Vertical(id="stats-charts"):
            with Horizontal(classes="chart-row"):
                yield AxisPlot(id="per-day")
                yield AxisPlot(id="minutes")
            with Horizontal(classes="chart-row"):
                yield AxisPlot(id="retention")
                yield AxisPlot(id="due")
        yield StudyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Stats")
        self.query_one("#per-day").border_title = _("Answers per day, last 30 days")
        self.query_one("#minutes").border_title = _("Minutes per day, last 30 days")
        self.query_one("#retention").border_title = _("True retention per week")
        self.query_one("#due").border_title = _("Reviews due, next 30 days")
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
        self.draw_per_day("#per-day", view.stats.reviews_per_day, "green")
        self.draw_per_day("#minutes", {day: round(m) for day, m in view.stats.minutes_per_day.items()}, "blue")
        self.draw_retention(view.retention_by_week, view.desired_retention)
        self.draw_due(view.stats.forecast)

    def draw_per_day(self, selector: str, per_day: dict[str, int], color: str) -> None:
        plot = self.query_one(selector, AxisPlot)
        plt = plot.plt
        plt.clear_data()
        days = list(per_day)
        xs = list(range(len(days)))
        plt.bar(xs, list(per_day.values()), marker="hd", color=color)
        ticks = xs[::7] if xs else []
        plt.xticks([float(i) for i in ticks], [_short(days[i]) for i in ticks])
        _count_axis(plot, max(per_day.values(), default=0))
        plot.refresh()

    def draw_retention(self, weeks: tuple[stats.WeekRetention, ...], target: float) -> None:
        plot = self.query_one("#retention", AxisPlot)
        plt = plot.plt
        plt.clear_data()
        labels = [chart_day(week.start) for week in weeks]
        xs = list(range(len(weeks)))
        known = [(x, week.share * 100) for x, week in zip(xs, weeks, strict=True) if week.share is not None]
        if known:
            plt.plot([x for x, _y in known], [y for _x, y in known], marker="braille", color="cyan")
            plt.scatter([x for x, _y in known], [y for _x, y in known], marker="●", color="cyan")
        plt.hline(target * 100, color="yellow")
        plt.xticks([float(x) for x in xs[::2]], labels[::2])
        plt.xlim(-0.5, max(len(weeks) - 0.5, 0.5))
        plt.ylim(50, 100)
        plot.y_axis = ([float(y) for y in range(50, 101, 10)], [f"{y}%" for y in range(50, 101, 10)])
        plot.border_subtitle = _("target {target:.0%}").format(target=target) + (
            "" if known else " · " + _("no reviews yet")
        )
        plot.refresh()

    def draw_due(self, due: dict[str, int]) -> None:
        plot = self.query_one("#due", AxisPlot)
        plt = plot.plt
        plt.clear_data()
        days = list(due)
        xs = list(range(len(days)))
        plt.bar(xs, list(due.values()), marker="hd", color="orange")
        ticks = xs[::7] if xs else []
        plt.xticks([float(i) for i in ticks], [_short(days[i]) for i in ticks])
        _count_axis(plot, max(due.values(), default=0))
        plot.refresh()


def _count_axis(plot: AxisPlot, peak: int) -> None:
    """Whole numbers on a count axis (plotext would write 0.37 answers)."""
    step = max(1, -(-peak // 4))
    ticks = list(range(0, max(peak, 1) + step, step))
    plot.y_axis = ([float(t) for t in ticks], [str(t) for t in ticks])
    plot.plt.ylim(0, ticks[-1])


def _short(day: str) -> str:
    return chart_day(dt.date.fromisoformat(day))


def summary_text(view: stats.StatsView) -> Text:
    figures = view.stats
    text = Text()
    text.append(_("Today ({day}): ").format(day=figure_day(figures.day).rstrip()), style="bold")
    answers = ngettext("{n} answer", "{n} answers", figures.reviews_today).format(n=figures.reviews_today)
    minutes = round(figures.minutes_today)
    spent = ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    streak = ngettext("{n} day", "{n} days", figures.streak).format(n=figures.streak)
    text.append(_("{answers} in {minutes}").format(answers=answers, minutes=spent))
    text.append(" · " + _("streak {days}").format(days=streak))
    cards = figures.cards
    text.append("\n" + _("Cards: "), style="bold")
    text.append(
        _("{new} new · {learning} learning · {young} young · {mature} mature · {suspended} suspended").format(
            new=cards["new"],
            learning=cards["learning"],
            young=cards["young"],
            mature=cards["mature"],
            suspended=cards["suspended"],
        )
    )
    text.append("\n" + _("True retention, last {days} days: ").format(days=figures.window_days), style="bold")
    if figures.retention_30d is None:
        text.append(_("no reviews of learned cards yet"))
    else:
        count = figures.retention_reviews
        reviews = ngettext("{n} review", "{n} reviews", count).format(n=count)
        text.append(
            _("{share:.1%} of {reviews} (target {target:.0%})").format(
                share=figures.retention_30d, reviews=reviews, target=view.desired_retention
            )
        )
        decks = figures.retention_by_deck[:MAX_DECKS]
        per_deck = ", ".join(
            _("{deck} {share:.0%} of {reviews}").format(deck=deck.deck, share=deck.share, reviews=deck.reviews)
            for deck in decks
        )
        text.append(f"  ·  {per_deck}", style="dim")
    text.append("\n" + _("Due: "), style="bold")
    text.append(
        _("{week} in the next 7 days, {month} in the next 30").format(
            week=sum(figures.due_next_7.values()), month=figures.due_next_30_total
        )
    )
    return text
