"""The roadmap screen: phases and tasks as a tree with done / in progress / skipped marks; mark a
task done (with the minutes spent), log partial minutes, or skip it: what `studyctl done` and
`studyctl skip` do, through the same core (`service.roadmaps.record_task`)."""

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
        await self.app.backend.call(roadmaps.record_task, task.id, status, minutes)
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
    text.append(f"{task.id} · {task.kind}\n\n", style="dim")
    text.append(f"{mark} {STATUS_WORDS[task.status]}", style=style)
    text.append(f"   {task.spent} of {task.minutes} min\n")
    if task.url:
        text.append(f"\n{task.url}\n", style="underline")
    if task.deck:
        text.append(f"\ndeck: {task.deck}\n")
    if task.lab:
        text.append(f"\nlab: {task.lab}\n")
    if task.after:
        text.append(f"\nafter: {', '.join(task.after)}\n", style="dim")
    text.append("\nd done · p log minutes · x skip", style="dim")
    return text


def phase_detail(phase: PhaseView) -> Text:
    text = Text(phase.title + "\n", style="bold")
    weeks = f" · {phase.weeks} weeks" if phase.weeks else ""
    text.append(f"{phase.id}{weeks}\n\n", style="dim")
    text.append_text(bar(phase.finished_minutes / max(phase.total_minutes, 1), 20, style="cyan"))
    text.append(f" {phase.percent}%\n")
    counts = {status: sum(t.status == status for t in phase.tasks) for status in MARKS}
    text.append("\n" + ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in counts.items() if n), style="dim")
    return text
