"""Find labs in the content roots: a later root's lab folder of the same name replaces an
earlier one (a user's copy of a built-in lab wins)."""

from __future__ import annotations

from pathlib import Path

from studyctl.content.model.lab import Lab


def lab_manifests(roots: list[Path]) -> dict[str, Path]:
    """lab id (its folder name) -> lab.yaml, sorted by id."""
    from studyctl.content.files import resolve

    return resolve(roots, "lab")


def find_lab(roots: list[Path], lab_id: str) -> Lab:
    """The lab named `lab_id`. Raises NotFound (naming close matches), or ContentError
    (file:line) when its manifest is broken."""
    from studyctl.content.labs import load_lab
    from studyctl.errors import NotFound

    manifests = lab_manifests(roots)
    if lab_id not in manifests:
        raise NotFound("lab", lab_id, manifests, listing="studyctl lab list")  # i18n: not shown
    lab, _ = load_lab(manifests[lab_id])
    return lab


def all_labs(roots: list[Path]) -> tuple[list[Lab], list[str]]:
    """Every lab that loads, and one line per lab that does not."""
    from studyctl.content.issues import ContentError
    from studyctl.content.labs import load_lab

    labs: list[Lab] = []
    problems: list[str] = []
    for path in lab_manifests(roots).values():
        try:
            labs.append(load_lab(path)[0])
        except ContentError as exc:
            problems.extend(str(issue) for issue in exc.issues if issue.is_error)
    return labs, problems
