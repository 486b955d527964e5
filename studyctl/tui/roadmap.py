"""The roadmap screen: phases and tasks as a tree with done / in progress / skipped marks, the
phase's goal and each task's guidance beside it; mark a task done (with the minutes spent), log
partial minutes, skip it, reopen it, or undo the last entry: what `studyctl done`, `skip`,
`reopen` and `undo` do, through the same core (`service.roadmaps`)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Tree

from studyctl import i18n
from studyctl.i18n import N_, _, ngettext
from studyctl.planner.progress import PhaseView, RoadmapView, TaskView
from studyctl.service import roadmaps
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel, StudyFooter, bar

MARKS = {  # status -> (mark, style)
    "done": ("✔", "bold green"),  # i18n: not shown (a style)
    "started": ("◐", "bold yellow"),  # i18n: not shown (a style)
    "skipped": ("⊘", "dim"),
    "open": ("○", ""),
}
STATUS_WORDS = {"done": N_("done"), "started": N_("in progress"), "skipped": N_("skipped"), "open": N_("not started")}
KIND_WORDS = {  # a task's kind (studyctl.content.model.roadmap.TASK_KINDS) as shown
    "read": N_("read"),
    "watch": N_("watch"),
    "lab": N_("lab"),
    "deck": N_("deck"),
    "project": N_("project"),
    "competition": N_("competition"),
    "practice": N_("practice"),
}
SLOT_WORDS = {"weekday": N_("weekdays"), "weekend": N_("weekends")}  # the days a task is planned on
LOG_WORDS = {  # the entries `undo` takes back (studyctl.store.tasks.STATUSES)
    "progress": N_("progress"),  # minutes logged on a task not finished
    "done": N_("done"),
    "skipped": N_("skipped"),
    "estimate": N_("estimate"),
    "reopened": N_("reopened"),
}


def word(words: dict[str, str], key: str) -> str:
    """`key` as words in the interface language (from one of the tables above), else as it is."""
    return _(words[key]) if key in words else key


class LiteralTree(Tree):
    """A Tree whose str labels are text, never markup."""

    def process_label(self, label) -> Text:
        return Text(label) if isinstance(label, str) else label


class RoadmapScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", N_("Done"), id="roadmap.done"),
        Binding("p", "partial", N_("Log minutes"), id="roadmap.partial"),
        Binding("x", "skip", N_("Skip"), id="roadmap.skip"),
        Binding("o", "reopen", N_("Reopen"), id="roadmap.reopen"),
        Binding("u", "undo", N_("Undo last"), id="roadmap.undo"),
        Binding("escape", "app.today", N_("Back"), id="roadmap.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: RoadmapView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="roadmap-body"):
            yield LiteralTree(_("Roadmap"), id="roadmap-tree")
            yield Panel("", title=_("Task"), id="task-detail")
        yield StudyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Roadmap")
        self.run_worker(self.load(), group="roadmap", exit_on_error=False)

    async def load(self, keep: str | None = None) -> None:
        self.view = await self.app.backend.call(roadmaps.active_view)
        self.build_tree(keep)

    def build_tree(self, keep: str | None) -> None:
        tree = self.query_one("#roadmap-tree", LiteralTree)
        tree.clear()
        view = self.view
        if view is None:
            tree.root.set_label(Text(_("No active roadmap: pick one with `studyctl roadmap use ID`.")))
            return
        tree.root.set_label(Text(i18n.localized(view), style="bold"))
        tree.root.data = None
        if keep is None:  # start on the first task still to do
            keep = next((t.id for t in view.tasks if not t.finished), None)
        cursor = None
        for phase in view.phases:
            label = Text(i18n.localized(phase), style="bold")
            label.append("  ")
            label.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 10, style="cyan"))
            share = _("{percent} of {duration}").format(  # "40% of 7 h"
                percent=f"{phase.percent}%", duration=duration(phase.total_minutes)
            )
            label.append(" " + share, style="dim")
            unfinished = any(not t.finished for t in phase.tasks)
            node = tree.root.add(label, data={"phase": phase}, expand=unfinished)
            for task in phase.tasks:
                leaf = node.add_leaf(task_label(task), data={"task": task})
                if task.id == keep:
                    cursor = leaf
                    node.expand()
        tree.root.expand()
        if cursor is not None:

            def show_cursor() -> None:
                tree.move_cursor(cursor)
                self.show_detail(cursor)

            tree.call_after_refresh(show_cursor)
        tree.focus()
        self.refresh_bindings()

    def selected_task(self) -> TaskView | None:
        node = self.query_one("#roadmap-tree", LiteralTree).cursor_node
        return node.data.get("task") if node is not None and node.data else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_detail(event.node)

    def show_detail(self, node) -> None:
        detail = self.query_one("#task-detail", Panel)
        if node.data and "task" in node.data:
            detail.border_title = _("Task")
            detail.show(task_detail(node.data["task"]))
        elif node.data and "phase" in node.data:
            detail.border_title = _("Phase")
            detail.show(phase_detail(node.data["phase"]))
        elif self.view is not None:
            detail.border_title = _("Roadmap")
            detail.show(roadmap_detail(self.view))
        else:
            detail.show("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("done", "partial", "skip"):
            task = self.selected_task()
            return None if task is None or task.finished else True
        if action == "reopen":
            task = self.selected_task()
            return True if task is not None and task.finished else None
        return True

    # -- marking ---------------------------------------------------------------------------------

    def action_done(self) -> None:
        task = self.selected_task()
        if task is None or task.finished:
            return
        left = task.minutes_left
        title = _("Done: {title}").format(title=i18n.localized(task))
        prompt = title + "\n" + _("Minutes spent (what was left: {left}):").format(left=left)
        self.ask_minutes(task, "done", _("Mark done"), prompt, str(left))

    def action_partial(self) -> None:
        task = self.selected_task()
        if task is None or task.finished:
            return
        question = _("Minutes you worked on it ({spent} of about {minutes} so far):").format(
            spent=task.spent, minutes=task.minutes
        )
        self.ask_minutes(task, "progress", _("Log minutes"), i18n.localized(task) + "\n" + question, "")

    def action_skip(self) -> None:
        task = self.selected_task()
        if task is None or task.finished:
            return
        self.run_worker(self.record(task, "skipped", None), group="roadmap", exit_on_error=False)

    def action_reopen(self) -> None:
        task = self.selected_task()
        if task is None or not task.finished:
            return
        self.run_worker(self.reopen(task), group="roadmap", exit_on_error=False)

    def action_undo(self) -> None:
        self.run_worker(self.undo(), group="roadmap", exit_on_error=False)

    async def reopen(self, task: TaskView) -> None:
        await self.app.backend.call(roadmaps.reopen, task.id)
        self.app.say(_("Reopened: {title}").format(title=i18n.localized(task)))
        await self.load(keep=task.id)

    async def undo(self) -> None:
        undone = await self.app.backend.call(roadmaps.undo_last)
        what = ", ".join(word(LOG_WORDS, status) for status in undone.statuses)
        title = i18n.localized(undone.task) if undone.task else undone.task_id
        self.app.say(_("Undone: {what} on {title}").format(what=what, title=title))
        await self.load(keep=undone.task_id)

    def ask_minutes(self, task: TaskView, status: str, title: str, prompt: str, value: str) -> None:
        from studyctl.tui.ask import AskScreen

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                minutes = int(text)
            except ValueError:
                self.app.say(_("Minutes should be a whole number."), severity="warning")
                return
            if not 0 <= minutes <= 24 * 60 or (status == "progress" and minutes == 0):
                self.app.say(_("Minutes should be between 1 and 1440."), severity="warning")
                return
            self.run_worker(self.record(task, status, minutes), group="roadmap", exit_on_error=False)

        self.app.push_screen(AskScreen(title, prompt, value=value, integer=True), callback=answered)

    async def record(self, task: TaskView, status: str, minutes: int | None) -> None:
        logged = await self.app.backend.call(roadmaps.record_task, task.id, status, minutes)
        for warning in logged.warnings:
            self.app.say(warning, severity="warning", timeout=8)
        if logged.logged:
            title = i18n.localized(task)
            if status == "done":
                said = _("Done: {title}").format(title=title)
            elif status == "skipped":
                said = _("Skipped: {title}").format(title=title)
            else:
                said = _("Logged {minutes} min on: {title}").format(minutes=minutes, title=title)
            self.app.say(said)
        await self.load(keep=task.id)


def duration(minutes: int) -> str:
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    return _("{hours:.0f} h").format(hours=minutes / 60)


def other_title(item) -> str:
    """The title in the other language, shown under the first one: the English title in Chinese,
    `title_zh` in English; "" when the content has no Chinese title."""
    if not item.title_zh:
        return ""
    return item.title if i18n.current() == "zh" else item.title_zh


def task_label(task: TaskView) -> Text:
    mark, style = MARKS[task.status]
    label = Text(f"{mark} ", style=style)
    label.append(i18n.localized(task), style="dim" if task.status == "skipped" else "")
    if task.status == "started":
        spent = _("{kind}, {spent}/{minutes} min").format(
            kind=word(KIND_WORDS, task.kind), spent=task.spent, minutes=task.minutes
        )
    else:
        spent = _("{kind}, {minutes} min").format(kind=word(KIND_WORDS, task.kind), minutes=task.minutes)
    label.append("  " + spent, style="dim")
    return label


def task_detail(task: TaskView) -> Text:
    mark, style = MARKS[task.status]
    text = Text(i18n.localized(task) + "\n", style="bold")
    if other := other_title(task):
        text.append(other + "\n")
    flags = [task.id, word(KIND_WORDS, task.kind)]
    flags += [_("optional")] * task.optional + [word(SLOT_WORDS, task.slot)] * bool(task.slot)
    flags += [ngettext("every {n} day", "every {n} days", task.every).format(n=task.every)] if task.every else []
    text.append(" · ".join(flags) + "\n\n", style="dim")
    text.append(f"{mark} {word(STATUS_WORDS, task.status)}", style=style)
    text.append("   " + _("{spent} of {minutes} min").format(spent=task.spent, minutes=task.minutes))
    text.append("   " + _("ready") + "\n" if task.ready and not task.finished else "\n", style="bold green")
    if task.url:
        text.append(f"\n{task.url}\n", style="underline")
    if task.deck:
        text.append("\n" + _("deck: {deck} (its card time is this task's progress)").format(deck=task.deck) + "\n")
    if task.lab:
        text.append("\n" + _("lab: {lab} (studyctl lab start {lab})").format(lab=task.lab) + "\n")
    if task.parts:
        text.append("\n" + _("parts: {parts}").format(parts=", ".join(task.parts)) + "\n", style="dim")
    if task.notes:
        text.append(f"\n{i18n.localized(task, 'notes')}\n", style="italic")
    if task.after:
        text.append("\n" + _("after: {tasks}").format(tasks=", ".join(task.after)) + "\n", style="dim")
    keys = _("o reopen · u undo last") if task.finished else _("d done · p log minutes · x skip · u undo last")
    text.append(f"\n{keys}", style="dim")
    return text


def roadmap_detail(view: RoadmapView) -> Text:
    """The tree's root: what the roadmap is for, in the learner's language where it says it."""
    text = Text(i18n.localized(view) + "\n", style="bold")
    if other := other_title(view):
        text.append(f"{other}\n")
    text.append(f"{view.id}\n", style="dim")
    if view.summary or view.summary_zh:
        text.append(f"\n{i18n.localized(view, 'summary')}\n", style="italic")
    return text


def phase_detail(phase: PhaseView) -> Text:
    text = Text(i18n.localized(phase) + "\n", style="bold")
    weeks = " · " + ngettext("{n} week", "{n} weeks", phase.weeks).format(n=phase.weeks) if phase.weeks else ""
    text.append(f"{phase.id}{weeks}\n\n", style="dim")
    text.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 20, style="cyan"))
    text.append(f" {phase.percent}%\n")
    if other := other_title(phase):
        text.append(f"{other}\n")
    if phase.goal:
        text.append("\n" + _("Goal: {goal}").format(goal=i18n.localized(phase, "goal")) + "\n", style="italic")
    counts = {status: sum(t.status == status for t in phase.tasks) for status in MARKS}
    shown = [_("{count} {status}").format(count=n, status=word(STATUS_WORDS, s)) for s, n in counts.items() if n]
    text.append("\n" + ", ".join(shown), style="dim")
    return text
