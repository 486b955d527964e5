"""Labs as the user works through them: the list with status, one lab's detail, starting a
workspace, running a check and keeping its result (a pass marks the roadmap's lab tasks done),
hints, the reference solution, reset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyctl.content.model.lab import Lab
from studyctl.errors import StudyctlError
from studyctl.i18n import N_, _
from studyctl.labkit.result import RunResult
from studyctl.labkit.runner import Listener
from studyctl.service.home import Home

WORKSPACES_KEY = "labs/workspaces"
# A lab's status (an id: --json carries it, the faces compare it) in words.
STATUS_TEXT = {
    "not started": N_("not started"),
    "started": N_("started"),
    "failed": N_("failed"),
    "passed": N_("passed"),
}


def find_lab(home: Home, lab_id: str) -> Lab:
    """The lab `lab_id`; NotFound (with close matches) or ContentError (file:line)."""
    from studyctl.labkit.catalog import find_lab as find

    return find(home.roots, lab_id)


def torch_problem() -> str | None:
    """Why checks can't run here (torch missing), or None."""
    from studyctl.labkit.devices import INSTALL_HINT, installed_torch

    if installed_torch() is None:
        return _("the labs need PyTorch, which is not installed. Install it with: {command}").format(
            command=INSTALL_HINT
        )
    return None


def require_torch() -> None:
    problem = torch_problem()
    if problem:
        raise StudyctlError(problem)


# -- where the learner's work lives ------------------------------------------------------------


def workspace_of(home: Home, lab_id: str, override: Path | None = None) -> Path:
    """--dir if given, else the folder `lab start --dir` remembered, else the default under home."""
    from studyctl.labkit.workspace import default_workspace

    if override is not None:
        return override.expanduser().resolve()
    remembered = (home.state(WORKSPACES_KEY, {}) or {}).get(lab_id)
    return Path(remembered) if remembered else default_workspace(lab_id)


def existing_workspace(home: Home, lab: Lab, override: Path | None = None) -> Path:
    from studyctl.labkit.workspace import has_work

    folder = workspace_of(home, lab.id, override)
    if not has_work(lab, folder):
        raise StudyctlError(
            _("no work for '{lab}' in {folder}; run `studyctl lab start {lab}` first").format(lab=lab.id, folder=folder)
        )
    return folder


# -- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastRun:
    passed: bool
    ever_passed: bool
    runs: int
    steps_passed: int
    steps: int
    started_at: str
    device: str
    step_results: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "steps_passed": self.steps_passed,
            "steps": self.steps,
            "started_at": self.started_at,
            "device": self.device,
        }


@dataclass(frozen=True)
class LabRow:
    """A lab as `lab list` and the labs screen show it."""

    lab: Lab
    workspace: Path
    status: str  # not started | started | failed | passed
    last: LastRun | None
    hints_shown: int

    @property
    def runs(self) -> int:
        return self.last.runs if self.last else 0

    @property
    def status_text(self) -> str:
        """`status` in the interface language, for display."""
        return _(STATUS_TEXT[self.status]) if self.status in STATUS_TEXT else self.status

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.lab.id,
            "title": self.lab.title,
            "minutes": self.lab.minutes,
            "status": self.status,
            "runs": self.runs,
            "last": self.last.to_dict() if self.last else None,
        }


def lab_status(lab: Lab, last: LastRun | None, folder: Path) -> str:
    """Passed once ever, checked but failing, started (work in its folder) or not started."""
    from studyctl.labkit.workspace import has_work

    if last and last.ever_passed:
        return "passed"
    if last:
        return "failed"
    return "started" if has_work(lab, folder) else "not started"  # i18n: not shown (an id)


def _last_runs(home: Home) -> dict[str, LastRun]:
    from studyctl.store.labruns import latest_runs

    return {
        lab_id: LastRun(
            passed=run["passed"],
            ever_passed=run["ever_passed"],
            runs=run["runs"],
            steps_passed=sum(s["status"] == "pass" for s in run["steps"]),
            steps=len(run["steps"]),
            started_at=run["started_at"],
            device=run["device"],
            step_results=tuple(run["steps"]),
        )
        for lab_id, run in latest_runs(home.conn).items()
    }


@dataclass(frozen=True)
class LabList:
    rows: tuple[LabRow, ...]
    problems: tuple[str, ...]  # broken lab manifests, file:line

    def to_dict(self) -> list[dict[str, Any]]:
        return [row.to_dict() for row in self.rows]


def lab_rows(home: Home) -> LabList:
    """Every lab that loads, with its workspace, status and last run; and one line per broken one."""
    from studyctl.labkit.catalog import all_labs

    labs, problems = all_labs(home.roots)
    latest = _last_runs(home)
    hints = home_hints(home)
    rows = []
    for lab in labs:
        folder = workspace_of(home, lab.id)
        last = latest.get(lab.id)
        rows.append(LabRow(lab, folder, lab_status(lab, last, folder), last, min(hints.get(lab.id, 0), len(lab.hints))))
    return LabList(tuple(rows), tuple(problems))


def lab_row(home: Home, lab: Lab) -> LabRow:
    folder = workspace_of(home, lab.id)
    last = _last_runs(home).get(lab.id)
    shown = min(home_hints(home).get(lab.id, 0), len(lab.hints))
    return LabRow(lab, folder, lab_status(lab, last, folder), last, shown)


# -- starting, checking ------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    workspace: Path
    copied: tuple[Path, ...]
    kept: tuple[Path, ...]
    instructions: str


def start_lab(home: Home, lab: Lab, folder: Path | None = None, *, force: bool = False) -> Started:
    """Fill the workspace from the starter, keeping files already there unless `force` (a backup
    is kept). A folder given with --dir is remembered for later commands."""
    from studyctl.labkit import workspace as ws

    target = workspace_of(home, lab.id, folder)
    if folder is not None:
        remembered = dict(home.state(WORKSPACES_KEY, {}) or {})
        home.remember(WORKSPACES_KEY, {**remembered, lab.id: str(target)})
    copied, kept = ws.start(lab, target, force=force)
    return Started(target, tuple(copied), tuple(kept), ws.instructions(lab))


def reset_lab(home: Home, lab: Lab, folder: Path | None = None) -> tuple[Path, Path | None]:
    """Put the starter back (after a backup); returns (workspace, backup folder or None)."""
    from studyctl.labkit import workspace as ws

    target = workspace_of(home, lab.id, folder)
    return target, ws.reset(lab, target)


@dataclass(frozen=True)
class Recorded:
    run_id: int
    roadmap: str = ""
    tasks_done: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checked:
    result: RunResult
    recorded: Recorded | None  # None when nothing of the learner's ran (no device, broken check)

    def to_dict(self) -> dict[str, Any]:
        extra = {"run_id": self.recorded.run_id, "tasks_done": list(self.recorded.tasks_done)} if self.recorded else {}
        return {**self.result.to_dict(), **extra}


def run_lab_check(
    lab: Lab, folder: Path, *, device: str = "auto", listener: Listener | None = None
) -> tuple[RunResult, str, dt.datetime]:
    """Run the check in its child process (this takes a while: the TUI calls it off its database
    thread). Returns (result, fingerprint of the files as the run started, start time)."""
    from studyctl.clock import now_utc
    from studyctl.labkit.runner import run_check
    from studyctl.labkit.workspace import files_hash

    started, fingerprint = now_utc(), files_hash(lab, folder)
    return run_check(lab, folder, device=device, listener=listener), fingerprint, started


def check_lab(home: Home, lab: Lab, folder: Path, *, device: str = "auto", listener: Listener | None = None) -> Checked:
    """`studyctl lab check`: run, then keep the result."""
    result, fingerprint, started = run_lab_check(lab, folder, device=device, listener=listener)
    if not result.ran:
        return Checked(result, None)
    return Checked(result, record_lab(home, lab, result, fingerprint, started))


def record_lab(home: Home, lab: Lab, result: RunResult, fingerprint: str, started: dt.datetime) -> Recorded:
    """Store the run; on a pass, mark the active roadmap's tasks for this lab done (so `today`
    moves on)."""
    from studyctl.clock import iso_utc
    from studyctl.service.roadmaps import active_roadmap
    from studyctl.store.labruns import insert_run, mark_tasks_done

    run_id = insert_run(
        home.conn,
        lab=lab.id,
        started_at=iso_utc(started),
        seconds=result.seconds,
        device=result.device,
        passed=result.passed,
        steps=[{"name": s.name, "status": s.status, "message": s.message, "seconds": s.seconds} for s in result.steps],
        metrics=result.metrics,
        files_hash=fingerprint,
    )
    roadmap_id = home.settings.roadmap
    if not result.passed:
        return Recorded(run_id, roadmap_id)
    try:
        roadmap = active_roadmap(home)
    except StudyctlError as exc:
        warning = _("no roadmap task marked done: {reason}").format(reason=exc.lines()[0])
        return Recorded(run_id, roadmap_id, warnings=(warning,))
    tasks = [task.id for task in roadmap.tasks if task.kind == "lab" and task.lab == lab.id]
    done = mark_tasks_done(
        home.conn,
        roadmap.id,
        tasks,
        minutes=lab.minutes,
        day=home.today().isoformat(),
        logged_at=iso_utc(home.clock()),
    )
    return Recorded(run_id, roadmap.id, tuple(done))


# -- hints and the reference ---------------------------------------------------------------------


def home_hints(home: Home) -> dict[str, int]:
    """lab id -> hints shown so far."""
    prefix = "labs/hints/"
    from studyctl.store import state

    return {
        key.removeprefix(prefix): int(value)
        for key, value in state.with_prefix(home.conn, prefix).items()
        if isinstance(value, int)
    }


@dataclass(frozen=True)
class Hints:
    shown: tuple[str, ...]  # every hint revealed so far, the new one last
    added: bool  # False: all were already shown
    total: int


def next_hint(home: Home, lab: Lab) -> Hints:
    """Reveal one more of the lab's hints (remembered, so the next call shows the next one)."""
    shown = min(home_hints(home).get(lab.id, 0), len(lab.hints))
    added = shown < len(lab.hints)
    if added:
        shown += 1
        home.remember(f"labs/hints/{lab.id}", shown)
    return Hints(tuple(lab.hints[:shown]), added, len(lab.hints))


def solution(home: Home, lab: Lab, *, give_up: bool = False) -> list[tuple[str, str]]:
    """(name, text) of the reference files: once the lab passed, or with give_up."""
    from studyctl.labkit.workspace import solution_files
    from studyctl.store.labruns import has_passed

    if not give_up and not has_passed(home.conn, lab.id):
        raise StudyctlError(
            _(
                "'{lab}' has not passed yet: the reference is shown after `studyctl lab check {lab}` passes. "
                "Try `studyctl lab hint {lab}`, or add --give-up to see it now."
            ).format(lab=lab.id)
        )
    return solution_files(lab)


@dataclass(frozen=True)
class LabDetail:
    lab: Lab
    workspace: Path
    instructions: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lab = self.lab
        return {
            "id": lab.id,
            "title": lab.title,
            "teaches": lab.teaches,
            "topic": lab.topic,
            "minutes": lab.minutes,
            "time_limit": lab.time_limit,
            "files": list(lab.files),
            "hints": len(lab.hints),
            "criteria": list(lab.criteria),
            "workspace": str(self.workspace),
            "instructions": self.instructions,
        }


def lab_detail(home: Home, lab: Lab) -> LabDetail:
    from studyctl.labkit.workspace import instructions

    return LabDetail(lab, workspace_of(home, lab.id), instructions(lab))
