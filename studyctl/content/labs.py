"""Read a lab manifest (labs/<id>/lab.yaml) and check that the lab folder is complete."""

from __future__ import annotations

from pathlib import Path

from studyctl.content.fields import Fields, describe
from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.lab import Lab
from studyctl.i18n import _

DEFAULT_MEMORY_LIMIT_MB = 4096  # generous: the labs need a few hundred MB

LAB_KEYS = {
    "id",
    "title",
    "title_zh",
    "teaches",
    "topic",
    "minutes",
    "time_limit",
    "memory_limit_mb",
    "files",
    "hints",
    "criteria",
    "steps_zh",
}


def load_lab(manifest: Path) -> tuple[Lab, list[Issue]]:
    """Read lab.yaml; its folder must hold check.py, and starter/ and solution/ with every file."""
    from studyctl.content.yamlfile import read_yaml

    data = read_yaml(manifest)
    issues: list[Issue] = []
    if not isinstance(data, dict):
        raise ContentError(
            [
                Issue(
                    manifest,
                    1,
                    _("lab.yaml should be a mapping with 'id', 'title' and 'files', got {value}").format(
                        value=describe(data)
                    ),
                )
            ]
        )
    fields = Fields(data, manifest, issues, _("lab"))
    fields.unknown_keys(LAB_KEYS)
    folder = manifest.parent
    lab_id = fields.slug("id")
    if lab_id and lab_id != folder.name:
        fields.error("id", _("lab id '{id}' should equal its folder name '{name}'").format(id=lab_id, name=folder.name))
    lab = Lab(
        id=lab_id,
        title=fields.text("title", required=True),
        title_zh=fields.text("title_zh"),
        path=folder,
        teaches=fields.text("teaches"),
        topic=fields.text("topic"),
        minutes=fields.positive("minutes", default=30) or 30,
        time_limit=fields.positive("time_limit", default=120) or 120,
        memory_limit_mb=fields.positive("memory_limit_mb", default=DEFAULT_MEMORY_LIMIT_MB) or DEFAULT_MEMORY_LIMIT_MB,
        files=tuple(fields.strings("files")),
        hints=tuple(fields.strings("hints")),
        criteria=tuple(fields.strings("criteria")),
        steps_zh=_step_titles(fields),
    )
    if not lab.files:
        fields.error("files", _("lab: 'files' should list the files the learner edits"))
    if not (folder / "check.py").is_file():
        fields.error(None, _("lab: missing {path}").format(path=folder / "check.py"))
    for part in ("starter", "solution"):
        for name in lab.files:
            if Path(name).is_absolute() or ".." in Path(name).parts:
                fields.error(
                    "files", _("lab: file {name} should be a relative path inside the lab").format(name=repr(name))
                )
            elif not (folder / part / name).is_file():
                fields.error(
                    "files",
                    _("lab: '{name}' is listed in 'files' but missing from {folder}/").format(name=name, folder=part),
                )
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    return lab, issues


def _step_titles(fields: Fields) -> tuple[tuple[str, str], ...]:
    """`steps_zh`: each step's name (as check.py declares it) to its title in Chinese."""
    titles = fields.get("steps_zh", dict, default={}) or {}
    if not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in titles.items()):
        fields.error("steps_zh", _("lab: 'steps_zh' should map step names to their Chinese titles (text)"))
        return ()
    return tuple(titles.items())
