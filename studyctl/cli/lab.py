"""`studyctl lab`: coding labs. Start one, check it (in a child process, on the best device),
watch it, take hints, and see the reference once it passes.

Exit codes: 0 the lab passed (or the command did its job), 1 the check found problems,
2 bad input (no such lab, no workspace, no torch, a device this machine lacks).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from studyctl.cli.options import json_option, print_json
from studyctl.labkit.devices import CHOICES as DEVICES

DIR_OPTION = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The workspace folder (default: the one `lab start` made).",
)


class LabError(click.ClickException):
    """Bad input: exit code 2, like the rest of studyctl."""

    exit_code = 2


@click.group()
def lab() -> None:
    """Coding labs: starter code with TODOs and a checker that tells you, step by step, whether it is right."""
    from studyctl.labkit.devices import INSTALL_HINT, installed_torch

    if installed_torch() is None:
        click.echo(f"error: the labs need PyTorch, which is not installed. Install it with: {INSTALL_HINT}", err=True)
        raise click.exceptions.Exit(2)


def _find(ctx, lab_id: str):
    from studyctl.labkit.catalog import UnknownLab, find_lab

    try:
        return find_lab(ctx.roots, lab_id)
    except UnknownLab as exc:
        raise LabError(str(exc)) from None


def _workspace(lab, folder: Path | None, *, must_exist: bool = True) -> Path:
    from studyctl.labkit.workspace import has_work, locate

    workspace = locate(lab.id, folder)
    if must_exist and not has_work(lab, workspace):
        raise LabError(f"no work for '{lab.id}' in {workspace}; run `studyctl lab start {lab.id}` first")
    return workspace


@lab.command(name="list")
@json_option
@click.pass_obj
def list_labs(ctx, json_: bool) -> None:
    """List the labs with your status (not started, started, failed, passed) and last result."""
    from studyctl.labkit.catalog import all_labs
    from studyctl.labkit.record import lab_status
    from studyctl.labkit.workspace import locate
    from studyctl.store.labruns import latest_runs

    labs, problems = all_labs(ctx.roots)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    latest = latest_runs(ctx.conn)
    rows = []
    for item in labs:
        last = latest.get(item.id)
        rows.append(
            {
                "id": item.id,
                "title": item.title,
                "minutes": item.minutes,
                "status": lab_status(item, last, locate(item.id)),
                "runs": last["runs"] if last else 0,
                "last": None
                if last is None
                else {
                    "passed": last["passed"],
                    "steps_passed": sum(s["status"] == "pass" for s in last["steps"]),
                    "steps": len(last["steps"]),
                    "started_at": last["started_at"],
                    "device": last["device"],
                },
            }
        )
    if json_:
        print_json(rows)
        return
    if not rows:
        click.echo("No labs found. Labs live in a content folder's labs/<id>/lab.yaml.", err=True)
        return
    width = max(len(r["id"]) for r in rows)
    click.echo(f"{'lab':<{width}}  {'status':<11}  {'min':>3}  {'last result':<24}  title")
    for r in rows:
        last = r["last"]
        text = f"{last['steps_passed']}/{last['steps']} steps, {last['started_at'][:10]}" if last else "-"
        click.echo(f"{r['id']:<{width}}  {r['status']:<11}  {r['minutes']:>3}  {text:<24}  {r['title']}")


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.option("--force", is_flag=True, help="Replace files already there with the starter (a backup is kept).")
@click.pass_obj
def start(ctx, lab_id: str, folder: Path | None, force: bool) -> None:
    """Copy LAB_ID's starter files into a workspace and print its instructions."""
    from studyctl.labkit import workspace as ws

    item = _find(ctx, lab_id)
    target = ws.locate(item.id, folder)
    if folder is not None:
        ws.remember(item.id, target)
    _, kept = ws.start(item, target, force=force)
    click.echo(f"Workspace: {target}")
    if kept:
        names = ", ".join(str(n) for n in kept)
        click.echo(f"Kept your work in {names} (use --force to start over; a backup is kept).", err=True)
    text = ws.instructions(item)
    if text:
        click.echo("")
        click.echo(text.rstrip())
    click.echo("")
    click.echo(f"Edit {', '.join(item.files)}, then run `studyctl lab check {item.id}` (or `lab watch {item.id}`).")


def _check_once(ctx, item, folder: Path, device: str, *, json_: bool = False):
    """Run the check, show it as it runs, store the result. Returns the RunResult."""
    from studyctl.clock import now_utc
    from studyctl.labkit.record import record_result
    from studyctl.labkit.render import LiveView, format_summary
    from studyctl.labkit.runner import run_check
    from studyctl.labkit.workspace import files_hash

    if not json_:
        click.echo(f"{item.id}: {item.title}", err=True)
    started, fingerprint = now_utc(), files_hash(item, folder)  # the code as the run starts
    result = run_check(item, folder, device=device, listener=LiveView(steps=not json_))
    if not result.ran:
        raise LabError(result.problem_message)
    recorded = record_result(
        ctx.conn,
        item,
        result,
        files_hash=fingerprint,
        started=started,
        settings=ctx.settings,
        roots=ctx.roots,
    )
    for warning in recorded.warnings:
        click.echo(f"warning: {warning}", err=True)
    if json_:
        print_json({**result.to_dict(), "run_id": recorded.run_id, "tasks_done": recorded.tasks_done})
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
def check(ctx, lab_id: str, device: str, folder: Path | None, json_: bool) -> None:
    """Check your work on LAB_ID, step by step. Exit 0 when it passes, 1 when it does not."""
    item = _find(ctx, lab_id)
    try:
        result = _check_once(ctx, item, _workspace(item, folder), device, json_=json_)
    except KeyboardInterrupt:  # the runner has already stopped the check process
        click.echo("\nCheck stopped (Ctrl-C); nothing was recorded.", err=True)
        raise click.exceptions.Exit(130) from None
    if not result.passed:
        raise click.exceptions.Exit(1)


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.pass_obj
def hint(ctx, lab_id: str, folder: Path | None) -> None:
    """Show the next hint for LAB_ID (one more each time)."""
    from studyctl.labkit.hints import reveal_next

    item = _find(ctx, lab_id)
    if not item.hints:
        click.echo(f"'{item.id}' has no hints; `studyctl lab show {item.id}` lists what the check looks for.")
        return
    shown, added = reveal_next(item, _workspace(item, folder))
    for number, text in enumerate(shown, 1):
        click.echo(f"Hint {number}/{len(item.hints)}: {text}")
    if not added:
        click.echo(
            f"That was the last hint. `studyctl lab solution {item.id} --give-up` shows the reference.", err=True
        )
    elif len(shown) < len(item.hints):
        click.echo(f"Run `studyctl lab hint {item.id}` again for the next one.", err=True)


@lab.command()
@click.argument("lab_id")
@DIR_OPTION
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def reset(ctx, lab_id: str, folder: Path | None, yes: bool) -> None:
    """Put LAB_ID's starter files back in the workspace (your files are backed up first)."""
    from studyctl.labkit import workspace as ws

    item = _find(ctx, lab_id)
    target = ws.locate(item.id, folder)
    if not yes:
        click.confirm(f"Replace your files in {target} with the starter?", abort=True, err=True)
    saved = ws.reset(item, target)
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
def watch(ctx, lab_id: str, device: str, folder: Path | None, poll: bool, runs: int | None) -> None:
    """Check LAB_ID again each time you save. Press Enter to check now, Ctrl-C to stop."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        raise LabError(
            "`lab watch` needs watchfiles: pip install 'studyctl[labs]' (or pip install watchfiles)"
        ) from None
    from studyctl.labkit.watch import Watcher

    item = _find(ctx, lab_id)
    target = _workspace(item, folder)
    click.echo(f"Watching {target}: save a file or press Enter to check, Ctrl-C to stop.", err=True)

    def once(reason: str) -> None:
        click.echo(f"\n--- check ({reason}) ---", err=True)
        try:
            _check_once(ctx, item, target, device)
        except click.ClickException as exc:  # e.g. a device that vanished: say so and keep watching
            click.echo(f"error: {exc.format_message()}", err=True)

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
def show(ctx, lab_id: str, json_: bool) -> None:
    """Show what LAB_ID teaches, its time, its pass criteria and its instructions."""
    from studyctl.labkit.workspace import instructions, locate

    item = _find(ctx, lab_id)
    data = {
        "id": item.id,
        "title": item.title,
        "teaches": item.teaches,
        "topic": item.topic,
        "minutes": item.minutes,
        "time_limit": item.time_limit,
        "files": list(item.files),
        "hints": len(item.hints),
        "criteria": list(item.criteria),
        "workspace": str(locate(item.id)),
        "instructions": instructions(item),
    }
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
def solution(ctx, lab_id: str, give_up: bool) -> None:
    """Print LAB_ID's reference solution: once your work has passed, or with --give-up."""
    from studyctl.labkit.workspace import solution_files
    from studyctl.store.labruns import has_passed

    item = _find(ctx, lab_id)
    if not give_up and not has_passed(ctx.conn, item.id):
        raise LabError(
            f"'{item.id}' has not passed yet: the reference is shown after `studyctl lab check {item.id}` passes. "
            f"Try `studyctl lab hint {item.id}`, or add --give-up to see it now."
        )
    for name, text in solution_files(item):
        click.echo(f"# ---- {name} (reference solution) ----")
        click.echo(text.rstrip())
        click.echo("")
