"""Find content files in the content roots and load them, one broken file never stopping the rest.

A content root is a folder with any of decks/, schedule/ and labs/. Roots are read in order:
built-in, the user's content folder, settings' content_dirs, then --content; a later root's
deck, roadmap or lab replaces an earlier one with the same id (so a user can customise a
built-in deck by copying it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studyctl.content.files import KINDS, kind_of_file, resolve
from studyctl.content.issues import ContentError, Issue
from studyctl.i18n import N_, _

# One sentence per kind (translated at use): "deck 'x' replaces the one in ...".
REPLACES = {
    "deck": N_("deck '{id}' replaces the one in {earlier}"),
    "roadmap": N_("roadmap '{id}' replaces the one in {earlier}"),
    "lab": N_("lab '{id}' replaces the one in {earlier}"),
}


def load_file(path: Path, kind: str):
    """Load one file of a known kind: returns (item, warnings) or raises ContentError."""
    if kind == "deck":
        from studyctl.content.decks import load_deck

        return load_deck(path)
    if kind == "roadmap":
        from studyctl.content.roadmaps import load_roadmap

        return load_roadmap(path)
    from studyctl.content.labs import load_lab

    return load_lab(path)


@dataclass
class Library:
    """Everything that loaded, plus every issue found on the way."""

    decks: dict = field(default_factory=dict)
    roadmaps: dict = field(default_factory=dict)
    labs: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    broken: set[Path] = field(default_factory=set)

    def items(self, kind: str) -> dict:
        return {"deck": self.decks, "roadmap": self.roadmaps, "lab": self.labs}[kind]

    def add_file(self, path: Path, kind: str) -> None:
        try:
            item, warnings = load_file(path, kind)
        except ContentError as exc:
            self.issues.extend(exc.issues)
            self.broken.add(path)
            return
        self.issues.extend(warnings)
        items = self.items(kind)
        if item.id in items:
            earlier = items[item.id].path
            self.issues.append(Issue(path, None, _(REPLACES[kind]).format(id=item.id, earlier=earlier), "warning"))
        items[item.id] = item

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]


def load_library(roots: list[Path], extra_files: Sequence[Path] = ()) -> Library:
    """Load every deck, roadmap and lab under `roots`, then `extra_files`, then check references."""
    library = Library()
    for kind in KINDS:
        for path in resolve(roots, kind).values():
            library.add_file(path, kind)
    for path in extra_files:
        found = kind_of_file(path) or _sniff(path, library)
        if found is not None:
            library.add_file(path, found)
    library.issues.extend(check_references(library))
    return library


def _sniff(path: Path, library: Library) -> str | None:
    from studyctl.content.yamlfile import read_yaml

    try:
        data = read_yaml(path)
    except ContentError as exc:
        library.issues.extend(exc.issues)
        library.broken.add(path)
        return None
    kind = kind_of_file(path, data)
    if kind is None:
        library.issues.append(
            Issue(path, 1, _("not a deck (has 'cards:'), a roadmap (has 'phases:') or a lab (lab.yaml)"))
        )
        library.broken.add(path)
    return kind


def check_references(library: Library) -> list[Issue]:
    """Roadmap tasks naming decks or labs that don't exist yet: warnings, since content grows."""
    issues = []
    for roadmap in library.roadmaps.values():
        for task in roadmap.tasks:
            if task.deck and task.deck not in library.decks:
                issues.append(
                    Issue(
                        roadmap.path,
                        task.line,
                        _("task '{id}' names deck '{deck}', which no content folder has (yet)").format(
                            id=task.id, deck=task.deck
                        ),
                        "warning",
                    )
                )
            if task.lab and task.lab not in library.labs:
                issues.append(
                    Issue(
                        roadmap.path,
                        task.line,
                        _("task '{id}' names lab '{lab}', which no content folder has (yet)").format(
                            id=task.id, lab=task.lab
                        ),
                        "warning",
                    )
                )
    return issues
