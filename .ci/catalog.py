"""The translation catalogs, managed with Babel: one command per step (README, "Translations").

    .venv/bin/python .ci/catalog.py extract   # studyctl's marked strings + click's own -> studyctl.pot
    .venv/bin/python .ci/catalog.py update    # the .pot into each language's .po (new msgids empty)
    .venv/bin/python .ci/catalog.py compile   # each .po -> .mo, shipped in the wheel
    .venv/bin/python .ci/catalog.py stats     # translated / total of the sources now; exit 1 below 100% (CI)
    .venv/bin/python .ci/catalog.py all       # the four, in order

click's messages ("Usage:", "Show this message and exit.", usage errors) go through studyctl's
catalog (cli._route_click_messages), so they are extracted from the installed click too.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "studyctl" / "locale"
TEMPLATE = LOCALE / "studyctl.pot"
LANGUAGES = ("zh",)
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2"]
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "studyctl.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False, no_location=False)


def extract(template: Path = TEMPLATE) -> Catalog:
    """Every msgid: studyctl's (babel.cfg: `_`, `N_`, `ngettext`, command docstrings) and click's."""
    import click

    with tempfile.TemporaryDirectory() as scratch:
        ours, theirs = Path(scratch) / "ours.pot", Path(scratch) / "click.pot"
        quiet = {"check": True, "capture_output": True, "cwd": REPO}
        subprocess.run(
            [*PYBABEL, "extract", "-F", "babel.cfg", *KEYWORDS, "--no-wrap", "--sort-by-file", "-o", str(ours), "."],
            **quiet,
        )
        click_dir = Path(click.__file__).parent
        subprocess.run([*PYBABEL, "extract", *KEYWORDS, "--no-location", "-o", str(theirs), str(click_dir)], **quiet)
        catalog = _read(ours)
        for message in _read(theirs):
            if message.id and message.id not in catalog:
                catalog[message.id] = message
    catalog.project, catalog.version = "studyctl", ""
    catalog.msgid_bugs_address = ""
    catalog.copyright_holder = "studyctl"
    _write(catalog, template)
    return catalog


def update() -> None:
    template = _read(TEMPLATE)
    for language in LANGUAGES:
        path = po_path(language)
        catalog = _read(path, language) if path.exists() else Catalog(locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False  # the header: a fuzzy one is left out of the .mo, with its charset
        catalog.project, catalog.version, catalog.copyright_holder = "studyctl", "", "studyctl"
        catalog.language_team = catalog.last_translator = "studyctl"
        catalog.msgid_bugs_address = ""
        _write(catalog, path)


def merge(fragments: list[Path]) -> None:
    """Fill the zh catalog's empty entries from other .po files (translations written apart)."""
    path = po_path("zh")
    catalog = _read(path, "zh")
    for fragment in fragments:
        for message in _read(fragment, "zh"):
            if not message.id or not message.string:
                continue
            mine = catalog.get(message.id)
            if mine is not None and not _translated(mine):
                mine.string = message.string
                mine.flags.discard("fuzzy")
    _write(catalog, path)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and "fuzzy" not in message.flags


def compile_catalogs() -> None:
    for language in LANGUAGES:
        catalog = _read(po_path(language), language)
        with mo_path(language).open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def stats(fresh: bool = False) -> bool:
    """Print translated / total for each language; True when every msgid of the template (with
    `fresh`, of the sources as they are now, extracted into a scratch file) is translated."""
    if fresh:
        with tempfile.TemporaryDirectory() as scratch:
            template = extract(Path(scratch) / "studyctl.pot")
    else:
        template = _read(TEMPLATE)
    complete = True
    for language in LANGUAGES:
        catalog = _read(po_path(language), language)
        missing = [m.id for m in template if m.id and (catalog.get(m.id) is None or not _translated(catalog[m.id]))]
        total = sum(1 for m in template if m.id)
        done = total - len(missing)
        print(f"{language}: {done} of {total} messages translated ({100 * done / max(total, 1):.1f}%)")
        for msgid in missing[:20]:
            print(f"  missing: {msgid!r}")
        complete = complete and not missing
    return complete


def main(argv: list[str]) -> int:
    step = argv[0] if argv else "all"
    if step == "extract":
        extract()
    elif step == "update":
        update()
    elif step == "merge":
        merge([Path(arg) for arg in argv[1:]])
    elif step == "compile":
        compile_catalogs()
    elif step == "stats":
        return 0 if stats(fresh=True) else 1
    elif step == "all":
        extract()
        update()
        compile_catalogs()
        return 0 if stats() else 1
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
