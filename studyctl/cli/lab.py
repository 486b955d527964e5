"""`studyctl lab`: coding labs. Start one, check it (in a child process, on the best device),
watch it, take hints, and see the reference once it passes.

Exit codes: 0 the lab passed (or the command did its job), 1 the check found problems,
2 bad input (no such lab, no workspace, no torch, a device this machine lacks).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import N_, _, ljust, localized, ngettext, plain_date, rjust, width
from studyctl.labkit.devices import CHOICES as DEVICES

if TYPE_CHECKING:
    from studyctl.content.model.lab import Lab
    from studyctl.labkit.result import RunResult
    from studyctl.service.home import Home

DIR_OPTION = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("The workspace folder (default: the one `lab start` made)."),
)

# A lab's status in `lab list` (the names stay in --json).
STATUS_LABELS = {
    "not started": N_("not started"),
    "started": N_("started"),
    "failed": N_("failed"),
    "passed": N_("passed"),
}


@click.group()
def lab() -> None:
    """Coding labs: starter code with TODOs and a checker that tells you, step by step, whether it is right."""
    from studyctl.service.labs import require_torch

    require_torch()


@lab.command(name="list")
@json_option
@click.pass_obj
def list_labs(home: Home, json_: bool) -> None:
    """List the labs with your status (not started, started, failed, passed) and last result."""
    from studyctl.service.labs import lab_rows

    found = lab_rows(home)
    for problem in found.problems:
        click.echo(_("skipped: {problem}").format(problem=problem), err=True)
    if json_:
        print_json(found.to_dict())
        return
    if not found.rows:
        click.echo(_("No labs found. Labs live in a content folder's labs/<id>/lab.yaml."), err=True)
        return
    ids = max(len(row.lab.id) for row in found.rows)
    lab_header, title_header = _("lab"), _("title")
    status_header, minutes_header, last_header = _("status"), _("min"), _("last result")
    statuses = max(11, width(status_header), *(width(_(label)) for label in STATUS_LABELS.values()))
    minutes = max(3, width(minutes_header))
    lasts = max(24, width(last_header))
    click.echo(
        f"{ljust(lab_header, ids)}  {ljust(status_header, statuses)}  {rjust(minutes_header, minutes)}"
        f"  {ljust(last_header, lasts)}  {title_header}"
    )
    for row in found.rows:
        last = row.last
        text = (
            ngettext("{passed}/{steps} step, {day}", "{passed}/{steps} steps, {day}", last.steps).format(
                passed=last.steps_passed, steps=last.steps, day=plain_date(last.started_at)
            )
            if last
            else "-"
        )
        status = _(STATUS_LABELS[row.status]) if row.status in STATUS_LABELS else row.status
        click.echo(
            f"{row.lab.id:<{ids}}  {ljust(status, statuses)}  {row.lab.minutes:>{minutes}}  {ljust(text, lasts)}"
            f"  {localized(row.lab)}"
        )


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.option("--force", is_flag=True, help=_("Replace files already there with the starter (a backup is kept)."))
@click.pass_obj
def start(home: Home, lab_id: str, folder: Path | None, force: bool) -> None:
    """Copy LAB_ID's starter files into a workspace and print its instructions."""
    from studyctl.service.labs import find_lab, start_lab

    item = find_lab(home, lab_id)
    started = start_lab(home, item, folder, force=force)
    click.echo(_("Workspace: {path}").format(path=started.workspace))
    if started.kept:
        names = ", ".join(str(n) for n in started.kept)
        click.echo(
            _("Kept your work in {files} (use --force to start over; a backup is kept).").format(files=names), err=True
        )
    text = started.instructions
    if text:
        click.echo("")
        click.echo(text.rstrip())
    click.echo("")
    click.echo(
        _("Edit {files}, then run `studyctl lab check {id}` (or `lab watch {id}`).").format(
            files=", ".join(item.files), id=item.id
        )
    )


def _check_once(home: Home, item: Lab, folder: Path, device: str, *, json_: bool = False) -> RunResult:
    """Run the check, show it as it runs, store the result. Returns the RunResult."""
    from studyctl.cli.lab_view import LiveView
    from studyctl.errors import StudyctlError
    from studyctl.presentation.labs import format_summary
    from studyctl.service.labs import check_lab

    if not json_:
        click.echo(f"{item.id}: {localized(item)}", err=True)
    checked = check_lab(home, item, folder, device=device, listener=LiveView(steps=not json_, titles=item.steps_zh))
    result, recorded = checked.result, checked.recorded
    if recorded is None:
        raise StudyctlError(result.problem_message)
    for warning in recorded.warnings:
        click.echo(_("warning: {warning}").format(warning=warning), err=True)
    if json_:
        print_json(checked.to_dict())
        return result
    if result.problem and not any(result.problem_message in s.message for s in result.steps):
        click.echo(result.problem_message)
    click.echo(format_summary(result))
    if recorded.tasks_done:
        click.echo(
            _("Marked done in roadmap '{roadmap}': {tasks}.").format(
                roadmap=recorded.roadmap, tasks=", ".join(recorded.tasks_done)
            )
        )
    if result.passed:
        click.echo(_("Compare with the reference: studyctl lab solution {id}").format(id=item.id))
    return result


@lab.command()
@click.argument("lab_id")
@click.option(
    "--device",
    type=click.Choice(DEVICES),
    default="auto",
    show_default=True,
    help=_("Where to run: auto picks CUDA, else MPS, else the CPU."),
)
@DIR_OPTION
@json_option
@click.pass_obj
def check(home: Home, lab_id: str, device: str, folder: Path | None, json_: bool) -> None:
    """Check your work on LAB_ID, step by step. Exit 0 when it passes, 1 when it does not."""
    from studyctl.service.labs import existing_workspace, find_lab

    item = find_lab(home, lab_id)
    try:
        result = _check_once(home, item, existing_workspace(home, item, folder), device, json_=json_)
    except KeyboardInterrupt:  # the runner has already stopped the check process
        click.echo("\n" + _("Check stopped (Ctrl-C); nothing was recorded."), err=True)
        raise click.exceptions.Exit(130) from None
    if not result.passed:
        raise click.exceptions.Exit(1)


@lab.command()
@click.argument("lab_id")
@click.pass_obj
def hint(home: Home, lab_id: str) -> None:
    """Show the next hint for LAB_ID (one more each time)."""
    from studyctl.service.labs import find_lab, next_hint

    item = find_lab(home, lab_id)
    if not item.hints:
        click.echo(
            _("'{id}' has no hints; `studyctl lab show {id}` lists what the check looks for.").format(id=item.id)
        )
        return
    hints = next_hint(home, item)
    for number, text in enumerate(hints.shown, 1):
        click.echo(_("Hint {number}/{total}: {text}").format(number=number, total=hints.total, text=text))
    if not hints.added:
        click.echo(
            _("That was the last hint. `studyctl lab solution {id} --give-up` shows the reference.").format(id=item.id),
            err=True,
        )
    elif len(hints.shown) < hints.total:
        click.echo(_("Run `studyctl lab hint {id}` again for the next one.").format(id=item.id), err=True)


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.option("--yes", "-y", is_flag=True, help=_("Do not ask for confirmation."))
@click.pass_obj
def reset(home: Home, lab_id: str, folder: Path | None, yes: bool) -> None:
    """Put LAB_ID's starter files back in the workspace (your files are backed up first)."""
    from studyctl.service.labs import find_lab, reset_lab, workspace_of

    item = find_lab(home, lab_id)
    target = workspace_of(home, item.id, folder)
    if not yes:
        click.confirm(_("Replace your files in {path} with the starter?").format(path=target), abort=True, err=True)
    target, saved = reset_lab(home, item, target)
    click.echo(_("Reset {path} to the starter.").format(path=target))
    if saved:
        click.echo(_("Your previous files are in {path}").format(path=saved), err=True)


@lab.command()
@click.argument("lab_id")
@click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True)
@DIR_OPTION
@click.option("--poll", is_flag=True, help=_("Poll for changes (for network filesystems where events don't arrive)."))
@click.option("--runs", type=int, default=None, hidden=True, help=_("Stop after this many checks (for tests)."))
@click.pass_obj
def watch(home: Home, lab_id: str, device: str, folder: Path | None, poll: bool, runs: int | None) -> None:
    """Check LAB_ID again each time you save. Press Enter to check now, Ctrl-C to stop."""
    from studyctl.errors import StudyctlError

    try:
        import watchfiles  # noqa: F401
    except ImportError:
        raise StudyctlError(
            _("`lab watch` needs watchfiles: pip install 'studyctl[labs]' (or pip install watchfiles)")
        ) from None
    from studyctl.labkit.watch import Watcher
    from studyctl.service.labs import existing_workspace, find_lab

    item = find_lab(home, lab_id)
    target = existing_workspace(home, item, folder)
    click.echo(_("Watching {path}: save a file or press Enter to check, Ctrl-C to stop.").format(path=target), err=True)

    def once(reason: str) -> None:
        click.echo("\n" + _("--- check ({reason}) ---").format(reason=reason), err=True)
        try:
            _check_once(home, item, target, device)
        except StudyctlError as exc:  # e.g. a device that vanished: say so and keep watching
            for line in exc.lines():
                click.echo(line, err=True)

    watcher = Watcher(target, item.files, poll=poll, stdin=sys.stdin)
    try:
        watcher.loop(
            once,
            max_runs=runs,
            on_dropped=lambda n: click.echo(
                ngettext(
                    "({n} save during the check was ignored; press Enter to re-check)",
                    "({n} saves during the check were ignored; press Enter to re-check)",
                    n,
                ).format(n=n),
                err=True,
            ),
        )
    except KeyboardInterrupt:
        click.echo("\n" + _("Stopped watching."), err=True)


@lab.command()
@click.argument("lab_id")
@json_option
@click.pass_obj
def show(home: Home, lab_id: str, json_: bool) -> None:
    """Show what LAB_ID teaches, its time, its pass criteria and its instructions."""
    from studyctl.service.labs import find_lab, lab_detail

    item = find_lab(home, lab_id)
    data = lab_detail(home, item).to_dict()
    if json_:
        print_json(data)
        return
    click.echo(f"{item.id}: {localized(item)}")
    if item.teaches:
        click.echo(_("Teaches:    {teaches}").format(teaches=localized(item, "teaches")))
    if item.topic:
        click.echo(_("Topic:      {topic}").format(topic=item.topic))
    click.echo(
        _("Time:       about {minutes} min (the check stops after {limit} s)").format(
            minutes=item.minutes, limit=item.time_limit
        )
    )
    click.echo(_("Files:      {files}").format(files=", ".join(item.files)))
    click.echo(_("Workspace:  {path}").format(path=data["workspace"]))
    if item.criteria:
        click.echo(_("Passes when:"))
        for line in item.criteria:
            click.echo(f"  - {line}")
    if data["instructions"]:
        click.echo("")
        click.echo(data["instructions"].rstrip())


@lab.command()
@click.argument("lab_id")
@click.option("--give-up", is_flag=True, help=_("Show it although the lab has not passed yet."))
@click.pass_obj
def solution(home: Home, lab_id: str, give_up: bool) -> None:
    """Print LAB_ID's reference solution: once your work has passed, or with --give-up."""
    from studyctl.service.labs import find_lab
    from studyctl.service.labs import solution as reference

    item = find_lab(home, lab_id)
    for name, text in reference(home, item, give_up=give_up):
        click.echo(_("# ---- {file} (reference solution) ----").format(file=name))
        click.echo(text.rstrip())
        click.echo("")
