"""`studyctl doctor`: check Python, torch and its devices, the database and the content."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@json_option
@click.pass_obj
def doctor(home: Home, json_: bool) -> None:
    """Check the installation. Exit 2 if the database or the content has errors."""
    from studyctl.service.maintenance import doctor as examine

    report = examine(home)
    if json_:
        print_json(report)
    else:
        _print_report(report)
    if report["problems"]:
        raise click.exceptions.Exit(2)


def _print_report(report: dict) -> None:
    def line(ok: bool | None, label: str, text: str) -> None:
        mark = {True: "ok  ", False: "FAIL", None: "--  "}[ok]
        click.echo(f"[{mark}] {label:<9} {text}")

    line(True, "studyctl", f"{report['studyctl']} on Python {report['python']} ({report['platform']})")
    line(True, "home", report["home"])
    db = report["database"]
    line(
        "schema" in db,
        "database",
        f"{db['path']} (schema {db.get('schema', '?')} of {db['expected_schema']})"
        + (f", {db['rows']['cards']} cards, {db['rows']['reviews']} reviews" if "rows" in db else ""),
    )
    settings = report["settings"]
    line(True, "settings", f"{settings['path']}" + ("" if settings["exists"] else " (not created yet: defaults)"))
    content = report["content"]
    line(
        not content["errors"],
        "content",
        f"{content['decks']} decks, {content['roadmaps']} roadmaps, {content['labs']} labs"
        f" from {len(content['roots'])} folders",
    )
    for error in content["errors"]:
        click.echo(f"           {error}")
    torch = report["torch"]
    if not torch["installed"]:
        line(None, "torch", f"not installed: labs are unavailable ({torch['hint']})")
    elif "error" in torch:
        line(False, "torch", torch["error"])
    else:
        devices = ", ".join(torch["devices"]) + (
            f" ({', '.join(torch['cuda_devices'])})" if torch["cuda_devices"] else ""
        )
        line(True, "torch", f"{torch['version']}, devices: {devices}")
    packages = ", ".join(f"{name} {version or 'missing'}" for name, version in report["packages"].items())
    line(True, "packages", packages)
    for problem in report["problems"]:
        if problem not in content["errors"]:
            click.echo(f"problem: {problem}", err=True)
