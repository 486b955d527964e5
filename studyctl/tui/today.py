"""The today screen: the plan `studyctl today` prints, drawn with progress bars, the forecast
against the deadline and a review heatmap; keys lead to reviews, the roadmap, labs and stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header

from studyctl.presentation.sync import last_sync_short
from studyctl.service import stats, sync
from studyctl.tui import data
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel, bar, heatmap

if TYPE_CHECKING:
    from studyctl.planner.day import DayPlan, PlannedTask
    from studyctl.planner.progress import RoadmapView

KIND_STYLE = {"lab": "bold magenta", "deck": "cyan", "watch": "yellow", "read": "green"}


class TodayScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.review", "Review", id="today.review"),
        Binding("m", "app.roadmap", "Roadmap", id="today.roadmap"),
        Binding("l", "app.labs", "Labs", id="today.labs"),
        Binding("s", "app.stats", "Stats", id="today.stats"),
        Binding("g", "reload", "Refresh", id="today.refresh", show=False),
        Binding("q", "app.quit", "Quit", id="today.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today"):
            with VerticalScroll(id="plan-column"):
                yield Panel("Planning today...", title="Today", id="plan")
                yield Panel("", title="Notes", id="notes", classes="hidden")
            with Vertical(id="side-column"):
                yield Panel("", title="Roadmap", id="progress")
                yield Panel("", title="Forecast", id="forecast")
                yield Panel("", title="Reviews", id="activity")
        yield Footer()

    def __init__(self) -> None:
        super().__init__()
        self.first_view: data.TodayView | None = None

    def on_mount(self) -> None:
        # `studyctl today` computes the plan while textual loads: when it is there already, the
        # first frame shows it.
        self.first_view = self.app.backend.ready("today")
        if self.first_view is not None:
            self.show_plan(self.first_view)
            self.app.first_frame_shown()

    def on_screen_resume(self) -> None:
        view, self.first_view = self.first_view, None
        self.run_worker(self.load(view), exclusive=True, group="today", exit_on_error=False)

    def action_reload(self) -> None:
        self.run_worker(self.load(), exclusive=True, group="today", exit_on_error=False)

    async def load(self, view: data.TodayView | None = None) -> None:
        app = self.app
        if view is None:
            view = await app.backend.take("today")  # prefetched by run_app, not ready at mount
            if view is None:
                view = await app.backend.call(data.today_view, await app.plan_day(), app.minutes)
            self.show_plan(view)
            app.first_frame_shown()
        if app.exit_when_ready:  # the benchmark: the plan is the first frame that counts
            return
        activity = await app.backend.call(stats.activity, view.day)
        self.query_one("#activity", Panel).show(activity_text(activity, view.day))
        if (last := await app.backend.call(sync.last_sync)) is not None:
            self.query_one("#activity", Panel).border_subtitle = last_sync_short(last)

    def show_plan(self, view: data.TodayView) -> None:
        plan = view.plan
        self.app.day = view.day
        title = f"{plan.day:%A %d %B %Y}"
        if plan.roadmap_title:
            title += f" · {plan.roadmap_title}"
            if plan.day_number and plan.day_number > 0:
                title += f" (day {plan.day_number})"
        self.sub_title = title
        plan_panel = self.query_one("#plan", Panel)
        plan_panel.border_title = (
            f"Today · studied {plan.studied_minutes} min, {plan.left_minutes} left · planned {plan.planned_minutes}"
        )
        plan_panel.show(plan_text(plan))
        notes = [*plan.notes, *view.messages]
        notes_panel = self.query_one("#notes", Panel)
        notes_panel.set_class(not notes, "hidden")
        notes_panel.show("\n".join(notes))
        self.query_one("#progress", Panel).show(progress_text(view.roadmap))
        self.query_one("#forecast", Panel).show(forecast_text(plan.forecast, view.forecast_text))


def plan_text(plan: DayPlan) -> Group | Text:
    text = Text()
    if plan.day_off:
        text.append("Day off: nothing planned.\n", style="bold")
        return text
    text.append(f"Budget {plan.budget_minutes} min · studied today {plan.studied_minutes} min, ")
    text.append(f"{plan.left_minutes} left\n\n", style="bold")
    due = f"{plan.reviews_planned} of {plan.reviews_due}" if plan.backlog_days else str(plan.reviews_due)
    text.append("Cards\n", style="bold underline")
    text.append(f"  {due:>5}  reviews due", style="bold" if plan.reviews_due else "")
    text.append(f"{'':19}~{plan.review_minutes} min\n", style="dim")
    text.append(f"  {plan.new_cards:>5}  new cards ({plan.new_available} not yet seen)")
    text.append(f"  ~{plan.new_minutes} min\n", style="dim")
    if plan.new_from:
        text.append(
            "         from " + ", ".join(f"{deck} ({n})" for deck, n in plan.new_from.items()) + "\n", style="dim"
        )
    for task in plan.deck_tasks:
        done = task.minutes_done + task.minutes_today
        text.append(f"         deck task: {task.title} · {done} of {task.minutes_total} min\n", style="dim")
    if plan.reviews_due or plan.new_cards:
        text.append("         press ", style="dim")
        text.append("r", style="bold")
        text.append(" to start reviewing\n", style="dim")
    text.append("\nTasks", style="bold underline")
    parts: list[Text | Table] = [text]
    if not plan.tasks:
        parts.append(Text("  (none today)", style="dim"))
    else:
        parts.append(task_table(plan.tasks))
    if plan.labs:
        parts.append(Text.assemble(("         press ", "dim"), ("l", "bold"), (" for labs", "dim")))
    return Group(*parts)


def task_table(tasks: list[PlannedTask]) -> Table:
    """Minutes, kind and title in columns, with the phase's goal above its first task and each
    task's Chinese title, today's parts, where to find it and the roadmap's notes below it."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", min_width=9)
    table.add_column(min_width=7)
    table.add_column(ratio=1)
    phase = None
    for task in tasks:
        if task.phase != phase:
            phase = task.phase
            heading = Text(task.phase_title, style="bold")
            if task.phase_goal:
                heading.append(f"\n{task.phase_goal}", style="italic dim")
            table.add_row(Text(""), Text(""), heading)
        title = Text(task.title)
        if task.optional:
            title.append(" (optional)", style="dim")
        if task.kind == "lab":
            title.append(f" ({task.lab})", style="dim")
        elif task.minutes_total > task.minutes_today:
            title.append(f"  [{task.minutes_done}+{task.minutes_today} of {task.minutes_total} min]", style="dim")
        for line, style in (
            (task.title_zh, ""),
            (f"today: {task.parts}" if task.parts else "", "dim"),
            (task.url, "dim underline"),
            (task.notes, "dim italic"),
        ):
            if line:
                title.append(f"\n{line}", style=style)
        table.add_row(
            Text(f"{task.minutes_today} min", style="bold"), Text(task.kind, style=KIND_STYLE.get(task.kind, "")), title
        )
    return table


def progress_text(view: RoadmapView | None, width: int = 20) -> Text:
    if view is None:
        return Text("No active roadmap: pick one with `studyctl roadmap use ID`.")
    text = Text()
    done = sum(phase.finished_minutes for phase in view.phases)
    total = sum(phase.total_minutes for phase in view.phases)
    text.append(view.title + "\n", style="bold")
    text.append_text(bar(done / max(total, 1), width))
    text.append(f" {done * 100 // max(total, 1):>3}% of {total / 60:.0f} h\n\n")
    for phase in view.phases:
        title = phase.title if len(phase.title) <= width else phase.title[: width - 1] + "…"
        text.append(f"{title:<{width}} ")
        text.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 10, style="cyan"))
        text.append(f" {phase.percent:>3}%\n")
    text.rstrip()
    return text


def forecast_text(forecast, sentence: str) -> Text:
    """The verdict first (green when on track, red when behind), then the rest of the forecast."""
    if forecast is None:
        return Text("No forecast without a roadmap.")
    text = Text()
    style = {True: "bold green", False: "bold red"}.get(forecast.on_track, "bold")
    head, _, rest = sentence.partition(": ")
    if rest and head in ("On track", "Behind"):
        text.append(head + ": ", style=style)
        text.append(rest)
    else:
        text.append(sentence)
    return text


def activity_text(activity: stats.Activity, day) -> Text:
    text = Text()
    text.append(f"Streak {activity.streak} day{'s' if activity.streak != 1 else ''}", style="bold")
    text.append(f" · {activity.reviews_today} answers today\n\n")
    text.append_text(heatmap(activity.per_day, day))
    return text
