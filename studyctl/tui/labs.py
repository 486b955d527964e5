"""The labs screen: every lab with its status and last result; start one (scaffold the workspace,
show its path, open $EDITOR if set), run its check with live output and a progress bar, and read
the result: the failed steps with their teaching messages, and the lab's hints one at a time.

It drives the lab runner of `studyctl lab` (studyctl.labkit): the check runs in the runner's
child process, on a thread of its own, and its event stream is drawn as it arrives.
"""

from __future__ import annotations

import asyncio
import functools
import os
from dataclasses import asdict
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, ProgressBar, RichLog

from studyctl import i18n
from studyctl.i18n import N_, _, ngettext
from studyctl.labkit.result import StepResult
from studyctl.presentation.labs import step_message, step_title
from studyctl.service import labs
from studyctl.tui.screen import StudyScreen
from studyctl.tui.widgets import Panel, StudyFooter, month_day

STATUS_STYLE = {  # a lab's status -> its style
    "passed": "bold green",  # i18n: not shown (a style)
    "failed": "bold red",  # i18n: not shown (a style)
    "started": "yellow",
    "not started": "dim",
}
STATUS_WORDS = {
    "passed": N_("passed"),
    "failed": N_("failed"),
    "started": N_("started"),
    "not started": N_("not started"),
}
STEP_MARKS = {  # a step's result -> (label, style)
    "pass": (N_("PASS"), "bold green"),  # i18n: not shown (the style; the label is marked)
    "fail": (N_("FAIL"), "bold red"),  # i18n: not shown (the style; the label is marked)
    "error": (N_("ERROR"), "bold red"),  # i18n: not shown (the style; the label is marked)
    "skip": (N_("SKIP"), "dim"),
}
MARK_COLUMNS = 5  # the labels padded to one width: "PASS ", "ERROR"


def status_word(status: str) -> str:
    """A lab's status ("not started", "passed"...) in the interface language."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


class LabsScreen(StudyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "start", N_("Start lab"), id="labs.start"),
        Binding("c", "check", N_("Check"), id="labs.check"),
        Binding("h", "hint", N_("Hint"), id="labs.hint"),
        Binding("g", "reload", N_("Refresh"), id="labs.refresh"),
        Binding("escape", "app.today", N_("Back"), id="labs.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, labs.LabRow] = {}
        self.checking: str | None = None  # the lab whose check is running
        self.step_titles: tuple[tuple[str, str], ...] = ()  # its steps_zh

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="labs-body"):
            yield DataTable(id="labs-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="lab-side"):
                with VerticalScroll(id="lab-detail-box"):
                    yield Panel("", title=_("Lab"), id="lab-detail")
                with Horizontal(id="lab-progress", classes="hidden"):
                    yield Panel("", id="lab-step", classes="plain")
                    yield ProgressBar(id="lab-bar", show_eta=False)
                yield RichLog(id="lab-log", wrap=True, markup=False, min_width=20)
        yield StudyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Labs")
        table = self.query_one("#labs-table", DataTable)
        table.add_columns(_("Lab"), _("Status"), _("Min"), _("Last check"))
        self.query_one("#lab-log", RichLog).border_title = _("Check")
        self.action_reload()

    def action_reload(self, keep: str | None = None) -> None:
        self.run_worker(self.load(keep), exclusive=True, group="labs", exit_on_error=False)

    async def load(self, keep: str | None = None) -> None:
        found = await self.app.backend.call(labs.lab_rows)
        rows, problems = found.rows, found.problems
        self.rows = {row.lab.id: row for row in rows}
        table = self.query_one("#labs-table", DataTable)
        keep = keep or (
            table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        )
        table.clear()
        for row in rows:
            table.add_row(
                Text(row.lab.id),
                Text(status_word(row.status), style=STATUS_STYLE.get(row.status, "")),
                Text(str(row.lab.minutes), justify="right"),
                last_result(row.last),
                key=row.lab.id,
            )
        if keep in self.rows:
            table.move_cursor(row=list(self.rows).index(keep))
        if not rows:
            self.query_one("#lab-detail", Panel).show(_("No labs found. Labs live in a content folder's labs/<id>/."))
        for problem in problems:
            self.log_line(Text(_("skipped: {problem}").format(problem=problem), style="yellow"))
        self.show_detail()
        table.focus()

    def selected(self) -> labs.LabRow | None:
        table = self.query_one("#labs-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_start()

    def show_detail(self) -> None:
        row = self.selected()
        if row is not None:
            self.query_one("#lab-detail", Panel).show(lab_detail(row))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "check", "hint"):
            row = self.selected()
            if row is None or self.checking:
                return None
            if action == "hint":
                return True if row.lab.hints else None
        return True

    # -- start -----------------------------------------------------------------------------------

    def action_start(self) -> None:
        row = self.selected()
        if row is not None and not self.checking:
            self.run_worker(self.start(row), group="labs", exit_on_error=False)

    async def start(self, row: labs.LabRow) -> None:
        started = await self.app.backend.call(labs.start_lab, row.lab)
        log = self.query_one("#lab-log", RichLog)
        log.clear()
        log.border_title = _("{lab}: instructions").format(lab=row.lab.id)
        self.log_line(Text(_("Workspace: {path}").format(path=started.workspace), style="bold"))
        if started.kept:
            kept = ", ".join(str(n) for n in started.kept)
            self.log_line(Text(_("Kept your work in {files}.").format(files=kept), style="yellow"))
        if started.instructions:
            self.log_line(Text(started.instructions.rstrip()))
        edit = _("Edit {files}, then press c to check.").format(files=", ".join(row.lab.files))
        self.log_line(Text("\n" + edit, style="bold"))
        log.call_after_refresh(log.scroll_home, animate=False)  # the workspace path first
        editor = os.environ.get("EDITOR") or os.environ.get("VISUAL")
        if editor:
            self.open_editor(editor, started.workspace, row.lab.files)
        self.action_reload(row.lab.id)

    def open_editor(self, editor: str, folder, files) -> None:
        import shlex
        import subprocess

        from textual.app import SuspendNotSupported

        targets = [str(folder / name) for name in files] or [str(folder)]
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), *targets], cwd=folder, check=False)
        except SuspendNotSupported:
            self.app.say(_("Open {folder} in your editor ($EDITOR can't run from here).").format(folder=folder))
        except OSError as exc:
            self.app.say(_("Could not start {editor}: {error}").format(editor=editor, error=exc), severity="warning")

    # -- check -----------------------------------------------------------------------------------

    def action_check(self) -> None:
        row = self.selected()
        if row is None or self.checking:
            return
        if row.status == "not started":
            self.app.say(
                _("Start '{lab}' first (n): the check judges your workspace.").format(lab=row.lab.id),
                severity="warning",
            )
            return
        self.run_worker(self.check(row), group="lab-check", exit_on_error=False)

    async def check(self, row: labs.LabRow) -> None:
        problem = labs.torch_problem()
        if problem:
            self.app.say(problem, severity="error", timeout=8)
            return
        self.checking = row.lab.id
        self.step_titles = row.lab.steps_zh
        self.refresh_bindings()
        log = self.query_one("#lab-log", RichLog)
        log.clear()
        log.border_title = _("{lab}: check").format(lab=row.lab.id)
        self.query_one("#lab-progress").remove_class("hidden")
        self.query_one("#lab-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#lab-step", Panel).show(_("starting the check (importing torch)..."))
        loop = asyncio.get_running_loop()

        def listener(event: dict) -> None:  # called on the check's thread
            loop.call_soon_threadsafe(self.on_check_event, event)

        try:
            result, fingerprint, started = await loop.run_in_executor(
                None, functools.partial(labs.run_lab_check, row.lab, row.workspace, listener=listener)
            )
            recorded = None
            if result.ran:
                recorded = await self.app.backend.call(labs.record_lab, row.lab, result, fingerprint, started)
        finally:
            self.checking = None
            self.query_one("#lab-progress").add_class("hidden")
        self.show_result(row, result, recorded)
        self.action_reload(row.lab.id)

    def on_check_event(self, event: dict) -> None:
        kind = event.get("event")
        bar = self.query_one("#lab-bar", ProgressBar)
        step = self.query_one("#lab-step", Panel)
        if kind == "ready":
            device = _("device: {device} (torch {version})").format(
                device=event.get("device", "?"), version=event.get("torch", "?")
            )
            self.log_line(Text(device, style="dim"))
        elif kind == "plan":
            bar.update(total=len(event.get("steps", [])) or None, progress=0)
        elif kind == "step":
            step.show(Text(f"▶ {step_title(event.get('name', ''), self.step_titles)}", style="bold"))
        elif kind == "progress":
            metrics = " ".join(f"{k}={_metric(v)}" for k, v in (event.get("metrics") or {}).items())
            name = step_title(event.get("step", ""), self.step_titles)
            step.show(Text(f"▶ {name} {event.get('epoch', '?')}/{event.get('total', '?')} {metrics}"))
        elif kind == "result":
            bar.advance(1)
            self.log_line(step_text(event, self.step_titles))
        elif kind == "output":
            self.log_line(Text(event.get("line", ""), style="dim"))
        elif kind == "fatal":
            self.log_line(Text(event.get("message", ""), style="bold red"))

    def show_result(self, row: labs.LabRow, result, recorded) -> None:
        from studyctl.presentation.labs import format_summary

        if result.problem and not any(result.problem_message in s.message for s in result.steps):
            self.log_line(Text(result.problem_message, style="bold red"))
        self.log_line(Text("\n" + format_summary(result), style="bold green" if result.passed else "bold red"))
        failed = [s for s in result.steps if s.status in ("fail", "error")]
        if failed:
            self.log_line(Text("\n" + _("What to fix:"), style="bold"))
            for s in failed:
                self.log_line(step_text(asdict(s), row.lab.steps_zh))
        if recorded is not None:
            for warning in recorded.warnings:
                self.log_line(Text(_("warning: {warning}").format(warning=warning), style="yellow"))
            if recorded.tasks_done:
                done = _("Marked done in roadmap '{roadmap}': {tasks}.").format(
                    roadmap=recorded.roadmap, tasks=", ".join(recorded.tasks_done)
                )
                self.log_line(Text(done))
        if not result.passed and row.lab.hints:
            stuck = _("Stuck? Press h for a hint ({shown}/{total} shown).").format(
                shown=row.hints_shown, total=len(row.lab.hints)
            )
            self.log_line(Text(stuck, style="dim"))
        if result.passed:
            compare = _("Compare with the reference: studyctl lab solution {lab}").format(lab=row.lab.id)
            self.log_line(Text(compare, style="dim"))

    # -- hints -----------------------------------------------------------------------------------

    def action_hint(self) -> None:
        row = self.selected()
        if row is not None and row.lab.hints and not self.checking:
            self.run_worker(self.hint(row), group="labs", exit_on_error=False)

    async def hint(self, row: labs.LabRow) -> None:
        hints = await self.app.backend.call(labs.next_hint, row.lab)
        log = self.query_one("#lab-log", RichLog)
        if hints.shown:
            number = len(hints.shown)
            head = _("Hint {number}/{total}: ").format(number=number, total=hints.total)
            self.log_line(Text(head, style="bold").append(hints.shown[-1], style=""))
        if not hints.added:
            self.log_line(Text(_("That was the last hint."), style="dim"))
        log.scroll_end(animate=False)
        self.action_reload(row.lab.id)

    def log_line(self, text) -> None:
        self.query_one("#lab-log", RichLog).write(text)


def _metric(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def step_text(event: dict, titles: tuple[tuple[str, str], ...] = ()):
    """'FAIL  name' and, indented below (wrapped lines too), the step's teaching message."""
    from rich.console import Group
    from rich.padding import Padding

    status = event.get("status", "?")
    if status in STEP_MARKS:
        label, style = STEP_MARKS[status]
        head = Text(i18n.ljust(_(label), MARK_COLUMNS) + " ", style=style)
    else:
        head = Text(f"{status} ")
    head.append(step_title(event.get("name", ""), titles), style="bold")
    message = step_message(StepResult.from_event(event), titles) if "status" in event else ""
    return Group(head, Padding(Text(message), (0, 0, 0, 6))) if message else head


def last_result(last: labs.LastRun | None) -> Text:
    if not last:
        return Text("-", style="dim")
    import datetime as dt

    when = month_day(dt.date.fromisoformat(last.started_at[:10]))
    return Text(f"{last.steps_passed}/{last.steps} · {when}", style="green" if last.passed else "")


def lab_detail(row: labs.LabRow) -> Text:
    lab = row.lab
    text = Text(i18n.localized(lab) + "\n", style="bold")
    about = _("{id} · about {minutes} min · the check stops after {seconds} s").format(
        id=lab.id, minutes=lab.minutes, seconds=lab.time_limit
    )
    text.append(about + "\n", style="dim")
    if lab.teaches:
        text.append(f"\n{i18n.localized(lab, 'teaches')}\n")
    text.append("\n" + _("Status: "))
    text.append(status_word(row.status), style=STATUS_STYLE.get(row.status, ""))
    if row.runs:
        text.append(" " + ngettext("({n} check)", "({n} checks)", row.runs).format(n=row.runs))
    text.append("\n" + _("Workspace: {path}").format(path=row.workspace) + "\n")
    text.append(_("Files: {files}").format(files=", ".join(lab.files)) + "\n")
    if lab.criteria:
        text.append(_("Passes when:") + "\n")
        for line in lab.criteria:
            text.append(f"  - {line}\n")
    if lab.hints:
        hints = _("Hints: {shown} of {total} shown").format(shown=row.hints_shown, total=len(lab.hints))
        text.append(hints + "\n", style="dim")
    text.append("\n" + _("n start · c check · h hint"), style="dim")
    return text
