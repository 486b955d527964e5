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
from textual.widgets import Footer, Header, Tree

from studyctl.planner.progress import PhaseView, RoadmapView, TaskView
from studyctl.service import roadmaps
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel, bar

MARKS = {  # status -> (mark, style)
    "done": ("✔", "bold green"),
    "started": ("◐", "bold yellow"),
    "skipped": ("⊘", "dim"),
    "open": ("○", ""),
}
STATUS_WORDS = {"done": "done", "started": "in progress", "skipped": "skipped", "open": "not started"}


class LiteralTree(Tree):
    """A Tree whose str labels are text, never markup."""

    def process_label(self, label) -> Text:
        return Text(label) if isinstance(label, str) else label


class RoadmapScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "Done", id="roadmap.done"),
        Binding("p", "partial", "Log minutes", id="roadmap.partial"),
        Binding("x", "skip", "Skip", id="roadmap.skip"),
        Binding("o", "reopen", "Reopen", id="roadmap.reopen"),
        Binding("u", "undo", "Undo last", id="roadmap.undo"),
        Binding("escape", "app.today", "Back", id="roadmap.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: RoadmapView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="roadmap-body"):
            yield LiteralTree("Roadmap", id="roadmap-tree")
            yield Panel("", title="Task", id="task-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Roadmap"
        self.run_worker(self.load(), group="roadmap", exit_on_error=False)

    async def load(self, keep: str | None = None) -> None:
        self.view = await self.app.backend.call(roadmaps.active_view)
        self.build_tree(keep)

    def build_tree(self, keep: str | None) -> None:
        tree = self.query_one("#roadmap-tree", LiteralTree)
        tree.clear()
        view = self.view
        if view is None:
            tree.root.set_label(Text("No active roadmap: pick one with `studyctl roadmap use ID`."))
            return
        tree.root.set_label(Text(view.title, style="bold"))
        tree.root.data = None
        if keep is None:  # start on the first task still to do
            keep = next((t.id for t in view.tasks if not t.finished), None)
        cursor = None
        for phase in view.phases:
            label = Text(phase.title, style="bold")
            label.append("  ")
            label.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 10, style="cyan"))
            label.append(f" {phase.percent}% of {duration(phase.total_minutes)}", style="dim")
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
            detail.border_title = "Task"
            detail.show(task_detail(node.data["task"]))
        elif node.data and "phase" in node.data:
            detail.border_title = "Phase"
            detail.show(phase_detail(node.data["phase"]))
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
        self.ask_minutes(
            task, "done", "Mark done", f"Done: {task.title}\nMinutes spent (what was left: {left}):", str(left)
        )

    def action_partial(self) -> None:
        task = self.selected_task()
        if task is None or task.finished:
            return
        self.ask_minutes(
            task,
            "progress",
            "Log minutes",
            f"{task.title}\nMinutes you worked on it ({task.spent} of about {task.minutes} so far):",
            "",
        )

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
        self.app.say(f"Reopened: {task.title}")
        await self.load(keep=task.id)

    async def undo(self) -> None:
        undone = await self.app.backend.call(roadmaps.undo_last)
        self.app.say(f"Undone: {', '.join(undone.statuses)} on {undone.task.title if undone.task else undone.task_id}")
        await self.load(keep=undone.task_id)

    def ask_minutes(self, task: TaskView, status: str, title: str, prompt: str, value: str) -> None:
        from studyctl.tui.ask import AskScreen

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                minutes = int(text)
            except ValueError:
                self.app.say("Minutes should be a whole number.", severity="warning")
                return
            if not 0 <= minutes <= 24 * 60 or (status == "progress" and minutes == 0):
                self.app.say("Minutes should be between 1 and 1440.", severity="warning")
                return
            self.run_worker(self.record(task, status, minutes), group="roadmap", exit_on_error=False)

        self.app.push_screen(AskScreen(title, prompt, value=value, integer=True), callback=answered)

    async def record(self, task: TaskView, status: str, minutes: int | None) -> None:
        logged = await self.app.backend.call(roadmaps.record_task, task.id, status, minutes)
        for warning in logged.warnings:
            self.app.say(warning, severity="warning", timeout=8)
        if logged.logged:
            words = {"done": "Done", "skipped": "Skipped", "progress": f"Logged {minutes} min on"}[status]
            self.app.say(f"{words}: {task.title}")
        await self.load(keep=task.id)


def duration(minutes: int) -> str:
    return f"{minutes} min" if minutes < 60 else f"{minutes / 60:.0f} h"


def task_label(task: TaskView) -> Text:
    mark, style = MARKS[task.status]
    label = Text(f"{mark} ", style=style)
    label.append(task.title, style="dim" if task.status == "skipped" else "")
    spent = f"{task.spent}/{task.minutes}" if task.status == "started" else f"{task.minutes}"
    label.append(f"  {task.kind}, {spent} min", style="dim")
    return label


def task_detail(task: TaskView) -> Text:
    mark, style = MARKS[task.status]
    text = Text(task.title + "\n", style="bold")
    if task.title_zh:
        text.append(task.title_zh + "\n")
    flags = [task.id, task.kind]
    flags += ["optional"] * task.optional + [f"{task.slot}s"] * bool(task.slot)
    flags += [f"every {task.every} days"] if task.every else []
    text.append(" · ".join(flags) + "\n\n", style="dim")
    text.append(f"{mark} {STATUS_WORDS[task.status]}", style=style)
    text.append(f"   {task.spent} of {task.minutes} min")
    text.append("   ready\n" if task.ready and not task.finished else "\n", style="bold green")
    if task.url:
        text.append(f"\n{task.url}\n", style="underline")
    if task.deck:
        text.append(f"\ndeck: {task.deck} (its card time is this task's progress)\n")
    if task.lab:
        text.append(f"\nlab: {task.lab} (studyctl lab start {task.lab})\n")
    if task.parts:
        text.append("\nparts: " + ", ".join(task.parts) + "\n", style="dim")
    if task.notes:
        text.append(f"\n{task.notes}\n", style="italic")
    if task.after:
        text.append(f"\nafter: {', '.join(task.after)}\n", style="dim")
    keys = "o reopen · u undo last" if task.finished else "d done · p log minutes · x skip · u undo last"
    text.append(f"\n{keys}", style="dim")
    return text


def phase_detail(phase: PhaseView) -> Text:
    text = Text(phase.title + "\n", style="bold")
    weeks = f" · {phase.weeks} weeks" if phase.weeks else ""
    text.append(f"{phase.id}{weeks}\n\n", style="dim")
    text.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 20, style="cyan"))
    text.append(f" {phase.percent}%\n")
    if phase.title_zh:
        text.append(f"{phase.title_zh}\n")
    if phase.goal:
        text.append(f"\nGoal: {phase.goal}\n", style="italic")
    counts = {status: sum(t.status == status for t in phase.tasks) for status in MARKS}
    text.append("\n" + ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in counts.items() if n), style="dim")
    return text
