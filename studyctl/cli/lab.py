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
from studyctl.labkit.devices import CHOICES as DEVICES

if TYPE_CHECKING:
    from studyctl.content.model.lab import Lab
    from studyctl.labkit.result import RunResult
    from studyctl.service.home import Home

DIR_OPTION = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The workspace folder (default: the one `lab start` made).",
)


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
        click.echo(f"skipped: {problem}", err=True)
    if json_:
        print_json(found.to_dict())
        return
    if not found.rows:
        click.echo("No labs found. Labs live in a content folder's labs/<id>/lab.yaml.", err=True)
        return
    width = max(len(row.lab.id) for row in found.rows)
    click.echo(f"{'lab':<{width}}  {'status':<11}  {'min':>3}  {'last result':<24}  title")
    for row in found.rows:
        last = row.last
        text = f"{last.steps_passed}/{last.steps} steps, {last.started_at[:10]}" if last else "-"
        click.echo(f"{row.lab.id:<{width}}  {row.status:<11}  {row.lab.minutes:>3}  {text:<24}  {row.lab.title}")


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.option("--force", is_flag=True, help="Replace files already there with the starter (a backup is kept).")
@click.pass_obj
def start(home: Home, lab_id: str, folder: Path | None, force: bool) -> None:
    """Copy LAB_ID's starter files into a workspace and print its instructions."""
    from studyctl.service.labs import find_lab, start_lab

    item = find_lab(home, lab_id)
    started = start_lab(home, item, folder, force=force)
    click.echo(f"Workspace: {started.workspace}")
    if started.kept:
        names = ", ".join(str(n) for n in started.kept)
        click.echo(f"Kept your work in {names} (use --force to start over; a backup is kept).", err=True)
    text = started.instructions
    if text:
        click.echo("")
        click.echo(text.rstrip())
    click.echo("")
    click.echo(f"Edit {', '.join(item.files)}, then run `studyctl lab check {item.id}` (or `lab watch {item.id}`).")


def _check_once(home: Home, item: Lab, folder: Path, device: str, *, json_: bool = False) -> RunResult:
    """Run the check, show it as it runs, store the result. Returns the RunResult."""
    from studyctl.cli.lab_view import LiveView
    from studyctl.errors import StudyctlError
    from studyctl.presentation.labs import format_summary
    from studyctl.service.labs import check_lab

    if not json_:
        click.echo(f"{item.id}: {item.title}", err=True)
    checked = check_lab(home, item, folder, device=device, listener=LiveView(steps=not json_))
    result, recorded = checked.result, checked.recorded
    if recorded is None:
        raise StudyctlError(result.problem_message)
    for warning in recorded.warnings:
        click.echo(f"warning: {warning}", err=True)
    if json_:
        print_json(checked.to_dict())
        return result
    if result.problem and not any(result.problem_message in s.message for s in result.steps):
        click.echo(result.problem_message)
    click.echo(format_summary(result))
    if recorded.tasks_done:
        click.echo(f"Marked done in roadmap '{recorded.roadmap}': {', '.join(recorded.tasks_done)}.")
    if result.passed:
        click.echo(f"Compare with the reference: studyctl lab solution {item.id}")
    return result


@lab.command()
@click.argument("lab_id")
@click.option(
    "--device",
    type=click.Choice(DEVICES),
    default="auto",
    show_default=True,
    help="Where to run: auto picks CUDA, else MPS, else the CPU.",
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
        click.echo("\nCheck stopped (Ctrl-C); nothing was recorded.", err=True)
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
        click.echo(f"'{item.id}' has no hints; `studyctl lab show {item.id}` lists what the check looks for.")
        return
    hints = next_hint(home, item)
    for number, text in enumerate(hints.shown, 1):
        click.echo(f"Hint {number}/{hints.total}: {text}")
    if not hints.added:
        click.echo(
            f"That was the last hint. `studyctl lab solution {item.id} --give-up` shows the reference.", err=True
        )
    elif len(hints.shown) < hints.total:
        click.echo(f"Run `studyctl lab hint {item.id}` again for the next one.", err=True)


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def reset(home: Home, lab_id: str, folder: Path | None, yes: bool) -> None:
    """Put LAB_ID's starter files back in the workspace (your files are backed up first)."""
    from studyctl.service.labs import find_lab, reset_lab, workspace_of

    item = find_lab(home, lab_id)
    target = workspace_of(home, item.id, folder)
    if not yes:
        click.confirm(f"Replace your files in {target} with the starter?", abort=True, err=True)
    target, saved = reset_lab(home, item, target)
    click.echo(f"Reset {target} to the starter.")
    if saved:
        click.echo(f"Your previous files are in {saved}", err=True)


@lab.command()
@click.argument("lab_id")
@click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True)
@DIR_OPTION
@click.option("--poll", is_flag=True, help="Poll for changes (for network filesystems where events don't arrive).")
@click.option("--runs", type=int, default=None, hidden=True, help="Stop after this many checks (for tests).")
@click.pass_obj
def watch(home: Home, lab_id: str, device: str, folder: Path | None, poll: bool, runs: int | None) -> None:
    """Check LAB_ID again each time you save. Press Enter to check now, Ctrl-C to stop."""
    from studyctl.errors import StudyctlError

    try:
        import watchfiles  # noqa: F401
    except ImportError:
        raise StudyctlError(
            "`lab watch` needs watchfiles: pip install 'studyctl[labs]' (or pip install watchfiles)"
        ) from None
    from studyctl.labkit.watch import Watcher
    from studyctl.service.labs import existing_workspace, find_lab

    item = find_lab(home, lab_id)
    target = existing_workspace(home, item, folder)
    click.echo(f"Watching {target}: save a file or press Enter to check, Ctrl-C to stop.", err=True)

    def once(reason: str) -> None:
        click.echo(f"\n--- check ({reason}) ---", err=True)
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
                f"({n} saves during the check were ignored; press Enter to re-check)", err=True
            ),
        )
    except KeyboardInterrupt:
        click.echo("\nStopped watching.", err=True)


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
    click.echo(f"{item.id}: {item.title}")
    if item.teaches:
        click.echo(f"Teaches:    {item.teaches}")
    if item.topic:
        click.echo(f"Topic:      {item.topic}")
    click.echo(f"Time:       about {item.minutes} min (the check stops after {item.time_limit} s)")
    click.echo(f"Files:      {', '.join(item.files)}")
    click.echo(f"Workspace:  {data['workspace']}")
    if item.criteria:
        click.echo("Passes when:")
        for line in item.criteria:
            click.echo(f"  - {line}")
    if data["instructions"]:
        click.echo("")
        click.echo(data["instructions"].rstrip())


@lab.command()
@click.argument("lab_id")
@click.option("--give-up", is_flag=True, help="Show it although the lab has not passed yet.")
@click.pass_obj
def solution(home: Home, lab_id: str, give_up: bool) -> None:
    """Print LAB_ID's reference solution: once your work has passed, or with --give-up."""
    from studyctl.service.labs import find_lab
    from studyctl.service.labs import solution as reference

    item = find_lab(home, lab_id)
    for name, text in reference(home, item, give_up=give_up):
        click.echo(f"# ---- {name} (reference solution) ----")
        click.echo(text.rstrip())
        click.echo("")
