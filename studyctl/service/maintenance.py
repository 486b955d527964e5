"""Looking after the installation: `doctor`, `validate`, `db rebuild` and `optimize`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyctl import paths
from studyctl.content.issues import Issue
from studyctl.errors import StudyctlError
from studyctl.i18n import _
from studyctl.service.home import Home

if TYPE_CHECKING:
    from studyctl.srs.optimize import OptimizeResult
    from studyctl.srs.replay import RebuildReport


def package_version(name: str) -> str | None:
    """The installed version of a distribution, without importing it."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def environment_report() -> dict[str, Any]:
    import platform
    import sys

    from studyctl import __version__

    return {
        "studyctl": __version__,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "packages": {name: package_version(name) for name in ("textual", "genanki", "fsrs", "sqlite-utils")},
    }


def doctor(home: Home) -> dict[str, Any]:
    """Facts about the installation, and every problem found (a list of lines)."""
    from studyctl.content.library import load_library
    from studyctl.labkit.runner import probe_torch

    report = environment_report()
    report["home"] = str(paths.home())
    problems: list[str] = []
    report["database"] = _examine_database(home, problems)
    settings = {"path": str(paths.settings_path()), "exists": paths.settings_path().exists()}
    try:
        settings["roadmap"] = home.settings.roadmap
        roots = home.roots
    except StudyctlError as exc:
        problems.extend(exc.lines())
        roots = home.roots_with(())
    report["settings"] = settings
    library = load_library(roots)
    report["content"] = {
        "roots": [str(root) for root in roots],
        "decks": len(library.decks),
        "roadmaps": len(library.roadmaps),
        "labs": len(library.labs),
        "errors": [str(issue) for issue in library.errors],
    }
    problems.extend(report["content"]["errors"])
    report["torch"] = probe_torch()
    report["problems"] = problems
    return report


def _examine_database(home: Home, problems: list[str]) -> dict[str, Any]:
    """Open the store, run SQLite's quick_check (every page read once: a damaged page is found
    here, not in the middle of a review), count rows, and list the automatic backups."""
    from studyctl.store.backup import backups, backups_folder
    from studyctl.store.db import SCHEMA_VERSION, explain, quick_check, schema_version
    from studyctl.store.queries import counts

    path = paths.db_path()
    found = backups(path)
    database: dict[str, Any] = {
        "path": str(path),
        "expected_schema": SCHEMA_VERSION,
        "backups": {
            "folder": str(backups_folder(path)),
            "count": len(found),
            "newest": found[-1].name if found else None,
        },
    }
    try:
        conn = home.conn
        damage = quick_check(conn)
        if damage:
            database["damaged"] = damage
            problems.append(
                _(
                    "the database {path} is damaged (quick_check: {damage}):"
                    " `studyctl db restore` puts back the newest automatic backup (the damaged file is kept aside)"
                ).format(path=path, damage="; ".join(damage))
            )
            return database
        database["schema"] = schema_version(conn)
        database["rows"] = counts(conn)
    except StudyctlError as exc:
        problems.extend(str(exc).splitlines() or [""])  # the lines of exc.lines() without "error: "
    except Exception as exc:
        explained = explain(exc)
        if explained is None:
            raise
        problems.append(explained)
    return database


@dataclass(frozen=True)
class Validation:
    issues: tuple[Issue, ...]
    decks: int
    cards: int
    roadmaps: int
    labs: int

    def errors(self, strict: bool = False) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error or strict]

    def to_dict(self) -> dict[str, Any]:
        return {
            "issues": [issue.to_dict() for issue in self.issues],
            "decks": self.decks,
            "roadmaps": self.roadmaps,
            "labs": self.labs,
        }


def validate(home: Home, targets: tuple[Path, ...] = ()) -> Validation:
    """Lint content: the given files and folders, or every content folder (and settings.yaml)."""
    from studyctl.content.library import load_library

    issues: list[Issue] = []
    if targets:
        roots, files = _split_targets(targets)
        library = load_library(roots, files)
    else:
        from studyctl.content.issues import ContentError

        try:
            roots = home.roots
        except ContentError as exc:  # report the broken settings file, then check the rest
            issues.extend(exc.issues)
            roots = home.roots_with(())
        library = load_library(roots)
    issues.extend(library.issues)
    issues.extend(_skipped_entries(roots))
    return Validation(
        tuple(issues),
        len(library.decks),
        sum(len(deck.cards) for deck in library.decks.values()),
        len(library.roadmaps),
        len(library.labs),
    )


def _skipped_entries(roots: list[Path]) -> list[Issue]:
    """Pipes, loops and folder links named like content files: skipped, and said so."""
    from studyctl.content.files import KINDS, skipped_entries

    return [issue for kind in KINDS for issue in skipped_entries(roots, kind)]


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
    is a test fixture, not content: a lab is checked through its lab.yaml) and the decks' own
    reference data (decks/meta: glossary, sources, coverage; decks/tools)."""
    labs = {p.parent for p in folder.rglob("lab.yaml")}
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        if path.name != "lab.yaml" and any(parent in labs for parent in path.parents):
            continue
        if any(parent.name in DECK_DATA_FOLDERS and parent.parent.name == "decks" for parent in path.parents):
            continue
        found.append(path)
    return found


DECK_DATA_FOLDERS = ("meta", "tools")  # decks/meta, decks/tools: data about the decks, not decks


def rebuild(home: Home, *, check: bool, from_journal: bool = False) -> RebuildReport:
    """Replay the review log into card states (`check`: only compare), in one transaction;
    `from_journal`: first rebuild the live reviews, marks, task log and lab runs from the
    journal. Returns the RebuildReport."""
    from studyctl.srs.replay import rebuild as replay_all

    return replay_all(home.conn, write=not check, from_journal=from_journal)


@dataclass(frozen=True)
class Optimized:
    result: OptimizeResult
    saved: bool
    dry_run: bool
    settings_path: Path

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "saved": self.saved, "dry_run": self.dry_run}


def optimize(home: Home, *, engine: str = "rs", dry_run: bool = False) -> Optimized:
    """Fit FSRS parameters on 80% of the cards; keep them (settings.yaml) only if they predict
    the held-out 20% better. Raises OptimizeError (a StudyctlError) below the minimum."""
    from dataclasses import replace

    from studyctl.srs import optimize as fitting

    result = fitting.optimize(home.conn, home.settings.review, engine=engine)
    save = result.improved and not dry_run
    if save:
        settings = home.reload_settings()
        home.save_settings(
            settings.with_changes(review=replace(settings.review, fsrs_parameters=tuple(result.parameters)))
        )
    if not dry_run:
        fitting.record_run(home.conn, result, saved=save)
    return Optimized(result, save, dry_run, paths.settings_path())
