"""`studyctl validate`: lint decks, roadmaps, labs and settings; exit 2 on any error."""

from __future__ import annotations

from pathlib import Path

import click

from studyctl.cli.errors import EXIT_BAD_INPUT
from studyctl.cli.options import json_option, print_json


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@json_option
@click.pass_obj
def validate(ctx, targets: tuple[Path, ...], strict: bool, json_: bool) -> None:
    """Check content files (all content folders, or the files and folders given).

    Prints one line per problem as file:line: severity: message. Exit 0 when clean
    (warnings allowed), 2 when any file has errors.
    """
    from studyctl.content.issues import ContentError
    from studyctl.content.library import load_library

    issues = []
    if targets:
        roots, files = _split_targets(targets)
        library = load_library(roots, files)
    else:
        try:
            roots = ctx.roots
        except ContentError as exc:  # report the broken settings file, then check the rest
            issues.extend(exc.issues)
            roots = ctx.roots_with(())
        library = load_library(roots)
    issues.extend(library.issues)
    errors = [i for i in issues if i.is_error or strict]
    if json_:
        print_json(
            {
                "issues": [i.to_dict() for i in issues],
                "decks": len(library.decks),
                "roadmaps": len(library.roadmaps),
                "labs": len(library.labs),
            }
        )
    else:
        for issue in issues:
            click.echo(str(issue))
        summary = (
            f"{len(library.decks)} decks ({sum(len(d.cards) for d in library.decks.values())} cards), "
            f"{len(library.roadmaps)} roadmaps, {len(library.labs)} labs: "
            f"{sum(i.is_error for i in issues)} errors, {sum(not i.is_error for i in issues)} warnings"
        )
        click.echo(summary, err=True)
    if errors:
        raise click.exceptions.Exit(EXIT_BAD_INPUT)


def _split_targets(targets: tuple[Path, ...]) -> tuple[list[Path], list[Path]]:
    """Folders that look like content roots are read as roots; other folders for their YAML files."""
    roots, files = [], []
    for target in targets:
        if target.is_file():
            files.append(target)
        elif any((target / name).is_dir() for name in ("decks", "schedule", "labs")):
            roots.append(target)
        else:
            files.extend(_yaml_files(target))
    return roots, list(dict.fromkeys(files))


def _yaml_files(folder: Path) -> list[Path]:
    """Every YAML file below `folder`, except the insides of lab folders (their mistakes.yaml
    is a test fixture, not content): a lab is checked through its lab.yaml."""
    labs = {p.parent for p in folder.rglob("lab.yaml")}
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        if path.name != "lab.yaml" and any(parent in labs for parent in path.parents):
            continue
        found.append(path)
    return found
