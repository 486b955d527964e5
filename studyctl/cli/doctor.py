"""`studyctl doctor`: check Python, torch and its devices, the database and the content."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import _, ljust, ngettext

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
        mark = {True: _("ok"), False: _("FAIL"), None: "--"}[ok]
        click.echo(f"[{ljust(mark, 4)}] {ljust(label, 9)} {text}")

    line(
        True,
        "studyctl",
        _("{version} on Python {python} ({platform})").format(
            version=report["studyctl"], python=report["python"], platform=report["platform"]
        ),
    )
    line(True, _("home"), report["home"])
    db = report["database"]
    schema = _("{path} (schema {schema} of {expected})").format(
        path=db["path"], schema=db.get("schema", "?"), expected=db["expected_schema"]
    )
    if "rows" in db:
        cards, reviews = db["rows"]["cards"], db["rows"]["reviews"]
        schema = _("{database}, {cards}, {reviews}").format(
            database=schema,
            cards=ngettext("{n} card", "{n} cards", cards).format(n=cards),
            reviews=ngettext("{n} review", "{n} reviews", reviews).format(n=reviews),
        )
    line("schema" in db, _("database"), schema)
    settings = report["settings"]
    if settings["exists"]:
        line(True, _("settings"), f"{settings['path']}")
    else:
        line(True, _("settings"), _("{path} (not created yet: defaults)").format(path=settings["path"]))
    content = report["content"]
    line(
        not content["errors"],
        _("content"),
        _("{decks}, {roadmaps}, {labs} from {folders}").format(
            decks=ngettext("{n} deck", "{n} decks", content["decks"]).format(n=content["decks"]),
            roadmaps=ngettext("{n} roadmap", "{n} roadmaps", content["roadmaps"]).format(n=content["roadmaps"]),
            labs=ngettext("{n} lab", "{n} labs", content["labs"]).format(n=content["labs"]),
            folders=ngettext("{n} folder", "{n} folders", len(content["roots"])).format(n=len(content["roots"])),
        ),
    )
    for error in content["errors"]:
        click.echo(f"           {error}")
    torch = report["torch"]
    if not torch["installed"]:
        line(None, "torch", _("not installed: labs are unavailable ({hint})").format(hint=torch["hint"]))
    elif "error" in torch:
        line(False, "torch", torch["error"])
    else:
        devices = ", ".join(torch["devices"]) + (
            f" ({', '.join(torch['cuda_devices'])})" if torch["cuda_devices"] else ""
        )
        line(True, "torch", _("{version}, devices: {devices}").format(version=torch["version"], devices=devices))
    missing = _("missing")
    packages = ", ".join(f"{name} {version or missing}" for name, version in report["packages"].items())
    line(True, _("packages"), packages)
    for problem in report["problems"]:
        if problem not in content["errors"]:
            click.echo(_("problem: {problem}").format(problem=problem), err=True)
