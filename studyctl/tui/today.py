"""The today screen: the plan `studyctl today` prints, drawn with progress bars, the forecast
against the deadline and a review heatmap; keys lead to reviews, the roadmap, labs and stats."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, OverflowMethod
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header

from studyctl import i18n
from studyctl.i18n import N_, _, localized, ngettext
from studyctl.presentation.sync import last_sync_short
from studyctl.service import stats, sync
from studyctl.tui import data
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel, StudyFooter, bar, heatmap

if TYPE_CHECKING:
    from studyctl.planner.day import DayPlan, PlannedTask
    from studyctl.planner.progress import RoadmapView

KIND_STYLE = {"lab": "bold magenta", "deck": "cyan", "watch": "yellow", "read": "green"}  # i18n: not shown (styles)
KIND_NAMES = {  # a task's kind as the plan shows it (the roadmap files keep the English names)
    "read": N_("read"),
    "watch": N_("watch"),
    "lab": N_("lab"),
    "deck": N_("deck"),
    "project": N_("project"),
    "competition": N_("competition"),
    "practice": N_("practice"),
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def styled(template: str, style: str = "", **pieces: str | tuple[str, str]) -> Text:
    """A translated sentence as Text in `style`, each {name} replaced by its piece; a piece given
    as (text, style) keeps its own style (a bold key, a bold count) wherever the translation puts it."""
    text = Text()
    for number, part in enumerate(PLACEHOLDER.split(template)):
        if number % 2 == 0:
            text.append(part, style=style)
            continue
        piece = pieces[part]
        if isinstance(piece, tuple):
            text.append(piece[0], style=piece[1])
        else:
            text.append(piece, style=style)
    return text


def fit(text: str, columns: int) -> str:
    """`text` cut to `columns` terminal columns, with "…" where it was cut."""
    if i18n.width(text) <= columns:
        return text
    kept, used = [], 0
    for char in text:
        used += i18n.width(char)
        if used > columns - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def long_day(day) -> str:
    """The header's date: "Monday 23 November 2026"; in Chinese "2026年11月23日 周一"."""
    return f"{day:%A %d %B %Y}" if i18n.current() == "en" else i18n.day_label(day, year=True)


def other_title(item) -> str:
    """The title in the other language, for the line under the title: the English one in
    Chinese, title_zh in English; empty when the content has no Chinese title."""
    if not getattr(item, "title_zh", ""):
        return ""
    return item.title if i18n.current() == "zh" else item.title_zh


class TodayScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.review", N_("Review"), id="today.review"),
        Binding("m", "app.roadmap", N_("Roadmap"), id="today.roadmap"),
        Binding("l", "app.labs", N_("Labs"), id="today.labs"),
        Binding("s", "app.stats", N_("Stats"), id="today.stats"),
        Binding("g", "reload", N_("Refresh"), id="today.refresh", show=False),
        Binding("q", "app.quit", N_("Quit"), id="today.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today"):
            with VerticalScroll(id="plan-column"):
                yield Panel(_("Planning today..."), title=_("Today"), id="plan")
                yield Panel("", title=_("Notes"), id="notes", classes="hidden")
            with Vertical(id="side-column"):
                yield Panel("", title=_("Roadmap"), id="progress")
                yield Panel("", title=_("Forecast"), id="forecast")
                yield Panel("", title=_("Reviews"), id="activity")
        yield StudyFooter()

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
        title = long_day(plan.day)
        if plan.roadmap_title:
            roadmap = plan.roadmap_title
            if view.roadmap is not None and view.roadmap.id == plan.roadmap_id:
                roadmap = localized(view.roadmap)
            if plan.day_number and plan.day_number > 0:
                roadmap = _("{roadmap} (day {number})").format(roadmap=roadmap, number=plan.day_number)
            title += f" · {roadmap}"
        self.sub_title = title
        plan_panel = self.query_one("#plan", Panel)
        plan_panel.border_title = _("Today · studied {studied} min, {left} left · planned {planned}").format(
            studied=plan.studied_minutes, left=plan.left_minutes, planned=plan.planned_minutes
        )
        phases = {phase.id: localized(phase) for phase in view.roadmap.phases} if view.roadmap else {}
        plan_panel.show(plan_text(plan, phases))
        notes = [*plan.notes, *view.messages]
        notes_panel = self.query_one("#notes", Panel)
        notes_panel.set_class(not notes, "hidden")
        notes_panel.show("\n".join(notes))
        self.query_one("#progress", Panel).show(progress_text(view.roadmap))
        self.query_one("#forecast", Panel).show(forecast_text(plan.forecast, view.forecast_text))


def plan_text(plan: DayPlan, phases: dict[str, str] | None = None) -> Group | Text:
    """The plan's text; `phases` names the phases in the interface language (by phase id)."""
    text = Text()
    if plan.day_off:
        text.append(_("Day off: nothing planned.") + "\n", style="bold")
        return text
    text.append_text(
        styled(
            _("Budget {budget} min · studied today {studied} min, {left}"),
            budget=str(plan.budget_minutes),
            studied=str(plan.studied_minutes),
            left=(_("{minutes} left").format(minutes=plan.left_minutes), "bold"),
        )
    )
    text.append("\n\n")
    text.append(_("Cards"), style="bold underline")
    tasks = Text("\n" + _("Tasks"), style="bold underline")
    parts: list[Text | Table] = [text, cards_table(plan), tasks]
    if not plan.tasks:
        parts.append(Text("  " + _("(none today)"), style="dim"))
    else:
        parts.append(task_table(plan.tasks, phases))
    if plan.labs:
        parts.append(
            Text("         ", style="dim").append_text(styled(_("press {key} for labs"), "dim", key=("l", "bold")))
        )
    return Group(*parts)


def cards_table(plan: DayPlan) -> Table:
    """Reviews and new cards in columns (count, what, minutes), so that on a narrow terminal a
    long line wraps inside its own column instead of pushing the minutes under the count."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", min_width=7)  # the details line up with the task titles
    table.add_column()
    table.add_column(no_wrap=True, style="dim")
    due = (
        _("{planned} of {due}").format(planned=plan.reviews_planned, due=plan.reviews_due)
        if plan.backlog_days
        else str(plan.reviews_due)
    )
    reviews = ngettext("review due", "reviews due", plan.reviews_due)
    style = "bold" if plan.reviews_due else ""
    table.add_row(
        Text(due, style=style), Text(reviews, style=style), "~" + _("{minutes} min").format(minutes=plan.review_minutes)
    )
    new = ngettext(
        "new card ({available} not yet seen)", "new cards ({available} not yet seen)", plan.new_cards
    ).format(available=plan.new_available)
    table.add_row(str(plan.new_cards), new, "~" + _("{minutes} min").format(minutes=plan.new_minutes))
    details: list[Text] = []
    if plan.new_from:
        decks = ", ".join(f"{deck} ({n})" for deck, n in plan.new_from.items())
        details.append(Text(_("from {decks}").format(decks=decks), style="dim"))
    for task in plan.deck_tasks:
        done = task.minutes_done + task.minutes_today
        line = _("deck task: {title} · {done} of {total} min").format(
            title=localized(task), done=done, total=task.minutes_total
        )
        details.append(Text(line, style="dim"))
    if plan.reviews_due or plan.new_cards:
        details.append(styled(_("press {key} to start reviewing"), "dim", key=("r", "bold")))
    for detail in details:
        table.add_row("", detail, "")
    return table


def task_table(tasks: list[PlannedTask], phases: dict[str, str] | None = None) -> Table:
    """Minutes, kind and title in columns, with the phase's goal above its first task and each
    task's title in the other language, today's parts, where to find it and the roadmap's notes
    below it."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", min_width=9)
    table.add_column(min_width=7)
    table.add_column(ratio=1)
    # Chinese has no spaces to wrap at: a long title folds onto the next line instead of ending in "…"
    overflow: OverflowMethod | None = "fold" if i18n.current() == "zh" else None
    phase = None
    for task in tasks:
        if task.phase != phase:
            phase = task.phase
            heading = Text((phases or {}).get(task.phase) or task.phase_title, style="bold", overflow=overflow)
            if task.phase_goal or task.phase_goal_zh:
                heading.append(f"\n{localized(task, 'phase_goal')}", style="italic dim")
            table.add_row(Text(""), Text(""), heading)
        title = Text(localized(task), overflow=overflow)
        if task.optional:
            title.append(" " + _("(optional)"), style="dim")
        if task.kind == "lab":
            title.append(f" ({task.lab})", style="dim")
        elif task.minutes_total > task.minutes_today:
            minutes = _("[{done}+{today} of {total} min]").format(
                done=task.minutes_done, today=task.minutes_today, total=task.minutes_total
            )
            title.append(f"  {minutes}", style="dim")
        if other := other_title(task):
            title.append(f"\n{other}")
        if task.parts:
            title.append("\n" + _("today: {parts}").format(parts=task.parts), style="dim")
        if task.url:
            title.append(f"\n{task.url}", style="dim underline")
        if task.notes or task.notes_zh:
            title.append(f"\n{localized(task, 'notes')}", style="dim italic")
        kind = _(KIND_NAMES[task.kind]) if task.kind in KIND_NAMES else task.kind
        table.add_row(
            Text(_("{minutes} min").format(minutes=task.minutes_today), style="bold"),
            Text(kind, style=KIND_STYLE.get(task.kind, "")),
            title,
        )
    return table


def progress_text(view: RoadmapView | None, width: int = 20) -> Text:
    if view is None:
        return Text(_("No active roadmap: pick one with `studyctl roadmap use ID`."))
    text = Text()
    done = sum(phase.finished_minutes for phase in view.phases)
    total = sum(phase.total_minutes for phase in view.phases)
    text.append(localized(view) + "\n", style="bold")
    text.append_text(bar(done / max(total, 1), width))
    percent = f"{done * 100 // max(total, 1):>3}%"
    text.append(" " + _("{percent} of {hours:.0f} h").format(percent=percent, hours=total / 60))
    text.append("\n\n")
    for phase in view.phases:
        text.append(i18n.ljust(fit(localized(phase), width), width) + " ")
        text.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 10, style="cyan"))
        text.append(f" {phase.percent:>3}%\n")
    text.rstrip()
    return text


def forecast_text(forecast, sentence: str) -> Text:
    """The verdict first (green when on track, red when behind), then the rest of the forecast.
    The verdict is the sentence's head before ": " (or the Chinese "："), when it is one of the
    two verdicts (translated as the forecast sentences of presentation/plans.py translate them)."""
    if forecast is None:
        return Text(_("No forecast without a roadmap."))
    text = Text()
    for colon in (": ", "："):
        head, found, rest = sentence.partition(colon)
        if found and rest and head in (_("On track"), _("Behind")):
            text.append(head + colon, style={True: "bold green", False: "bold red"}.get(forecast.on_track, "bold"))
            text.append(rest)
            return text
    text.append(sentence)
    return text


def activity_text(activity: stats.Activity, day) -> Text:
    text = Text()
    streak = ngettext("Streak {count} day", "Streak {count} days", activity.streak).format(count=activity.streak)
    text.append(streak, style="bold")
    answers = ngettext("{count} answer today", "{count} answers today", activity.reviews_today)
    text.append(" · " + answers.format(count=activity.reviews_today) + "\n\n")
    text.append_text(heatmap(activity.per_day, day))
    return text
