"""The user's settings file (settings.yaml in the studyctl home): roadmap, budget, limits.

Read with the same line-aware loader as content, so a typo is reported as file:line.
Written atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from studyctl.content.fields import Fields, describe
from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.roadmap import Budget

DEFAULT_ROADMAP = "nlp-90-days"
SETTINGS_KEYS = {
    "roadmap",
    "start_date",
    "deadline",
    "budget",
    "new_cards_per_day",
    "rollover_hour",
    "content_dirs",
}


@dataclass(frozen=True)
class Settings:
    roadmap: str = DEFAULT_ROADMAP
    start_date: dt.date | None = None
    deadline: dt.date | None = None  # overrides the roadmap's own deadline / duration
    budget: dict[str, int] = field(default_factory=dict)  # overrides, merged over the roadmap's
    new_cards_per_day: int = 20
    rollover_hour: int = 4
    content_dirs: tuple[Path, ...] = ()

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)

    def budget_over(self, roadmap_budget: Budget) -> Budget:
        """The roadmap's budget with the user's overrides on top."""
        if not self.budget:
            return roadmap_budget
        from studyctl.content.roadmaps import parse_budget

        return parse_budget(self.budget, Path("settings"), [], "budget", base=roadmap_budget)


def load_settings(path: Path, cache=None) -> Settings:
    """Settings from `path`; defaults when it doesn't exist. Raises ContentError on bad input."""
    if not path.exists():
        return Settings()
    from studyctl.content.parsecache import load_through_cache

    return load_through_cache(path, settings_from_data, cache)


def settings_from_data(data, path: Path) -> Settings:
    if data is None:
        return Settings()
    if not isinstance(data, dict):
        raise ContentError([Issue(path, 1, f"settings should be a mapping of names to values, got {describe(data)}")])
    issues: list[Issue] = []
    fields = Fields(data, path, issues, "settings")
    fields.unknown_keys(SETTINGS_KEYS, severity="error")
    budget = fields.get("budget", dict, default={})
    if budget:
        from studyctl.content.roadmaps import parse_budget

        parse_budget(budget, path, issues, "settings budget")  # only to report problems
    rollover = fields.get("rollover_hour", int, default=4)
    if not 0 <= rollover <= 23:
        fields.error("rollover_hour", f"settings: 'rollover_hour' should be an hour from 0 to 23, got {rollover}")
    new_per_day = fields.get("new_cards_per_day", int, default=20)
    if new_per_day < 0:
        fields.error("new_cards_per_day", f"settings: 'new_cards_per_day' should be zero or more, got {new_per_day}")
    settings = Settings(
        roadmap=fields.slug("roadmap", required=False) or DEFAULT_ROADMAP,
        start_date=fields.get("start_date", dt.date),
        deadline=fields.get("deadline", dt.date),
        budget=dict(budget),
        new_cards_per_day=new_per_day,
        rollover_hour=rollover,
        content_dirs=tuple(Path(p).expanduser() for p in fields.strings("content_dirs")),
    )
    errors = [issue for issue in issues if issue.is_error]
    if errors:
        raise ContentError(errors)
    return settings


def save_settings(settings: Settings, path: Path) -> None:
    """Write every setting, with a comment for each, replacing the file atomically."""
    import yaml

    data = {
        "roadmap": settings.roadmap,
        "start_date": settings.start_date,
        "deadline": settings.deadline,
        "budget": settings.budget or None,
        "new_cards_per_day": settings.new_cards_per_day,
        "rollover_hour": settings.rollover_hour,
        "content_dirs": [str(p) for p in settings.content_dirs],
    }
    header = (
        "# studyctl settings. Edit freely; `studyctl validate` checks this file too.\n"
        "# budget: minutes per day, keys weekday, weekend, mon..sun (empty = the roadmap's own)\n"
        "# deadline: empty = the roadmap's duration from start_date\n"
        "# rollover_hour: the hour your study day starts (a 1 am review counts for the evening before)\n"
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(header + body, encoding="utf-8")
    os.replace(tmp, path)
