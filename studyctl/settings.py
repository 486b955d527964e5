"""The user's settings file (settings.yaml in the studyctl home): roadmap, budget, limits.

Read with the same line-aware loader as content, so a typo is reported as file:line.
Written atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path

from studyctl.content.fields import Fields, describe, line_of
from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.roadmap import Budget
from studyctl.fsutil import atomic_write_text
from studyctl.i18n import _

DEFAULT_ROADMAP = "nlp-90-days"
OWN_DECKS = ("first", "interleave", "after")  # where your own decks' new cards go among the roadmap's
LANGUAGES = ("en", "zh")  # the interface languages (studyctl.i18n); None: from the locale
CHINESE_TERM = ("after", "first", "hidden")  # where a card's Chinese term shows in review


@dataclass(frozen=True)
class ReviewSettings:
    """How reviews are scheduled: FSRS options plus studyctl's queue limits."""

    desired_retention: float = 0.9
    learning_steps: tuple[int, ...] = (1, 10)  # minutes
    relearning_steps: tuple[int, ...] = (10,)
    maximum_interval: int = 36500  # days
    fuzz: bool = True
    max_reviews_per_day: int = 200
    easy_days: tuple[str, ...] = ()  # e.g. ("sat",): days that get a lighter load
    leech_threshold: int = 8  # lapses before a card is tagged leech and suspended
    fsrs_parameters: tuple[float, ...] | None = None  # None: FSRS defaults; `optimize` fills it

    def to_data(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class Settings:
    roadmap: str = DEFAULT_ROADMAP
    start_date: dt.date | None = None
    deadline: dt.date | None = None  # overrides the roadmap's own deadline / duration
    budget: dict[str, int] = field(default_factory=dict)  # overrides, merged over the roadmap's
    new_cards_per_day: int = 20
    own_decks: str = "interleave"
    rollover_hour: int = 4
    content_dirs: tuple[Path, ...] = ()
    days_off: tuple[dt.date, ...] = ()  # single dates with no study (a trip, a deadline at work)
    language: str | None = None  # en or zh; None: Chinese when the locale is (LANG=zh_CN...)
    chinese_term: str = "after"  # a card's Chinese term: with the answer, first (with the question), hidden
    review: ReviewSettings = field(default_factory=ReviewSettings)

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)

    def to_data(self) -> dict:
        """Every setting as YAML-ready data, in the order of the fields."""
        return _plain(self)

    def budget_over(self, roadmap_budget: Budget) -> Budget:
        """The roadmap's budget with the user's overrides on top."""
        if not self.budget:
            return roadmap_budget
        from studyctl.content.roadmaps import parse_budget

        return parse_budget(self.budget, Path("settings"), [], _("budget"), base=roadmap_budget)


# The keys a settings file may hold: the dataclasses' own fields, so the schema is stated once.
SETTINGS_KEYS = frozenset(f.name for f in fields(Settings))
REVIEW_KEYS = frozenset(f.name for f in fields(ReviewSettings))


def _plain(value):
    """Dataclasses, tuples, paths and dates as the plain data YAML writes (empty -> None)."""
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()} or None
    if isinstance(value, Path):
        return str(value)
    return value


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
        raise ContentError(
            [
                Issue(
                    path,
                    1,
                    _("settings should be a mapping of names to values, got {value}").format(value=describe(data)),
                )
            ]
        )
    issues: list[Issue] = []
    fields = Fields(data, path, issues, _("settings"))
    fields.unknown_keys(SETTINGS_KEYS, severity="error")
    budget = fields.get("budget", dict, default={})
    if budget:
        from studyctl.content.roadmaps import parse_budget

        parse_budget(budget, path, issues, _("settings budget"))  # only to report problems
    rollover = fields.get("rollover_hour", int, default=4)
    if not 0 <= rollover <= 23:
        fields.error(
            "rollover_hour",
            _("{label}: 'rollover_hour' should be an hour from 0 to 23, got {value}").format(
                label=fields.what, value=rollover
            ),
        )
        rollover = 4
    new_per_day = fields.whole("new_cards_per_day", minimum=0, maximum=MAX_NEW_PER_DAY, default=20)
    own_decks = fields.get("own_decks", str, default="interleave")
    if own_decks not in OWN_DECKS:
        fields.error("own_decks", _one_of(fields, "own_decks", OWN_DECKS, own_decks))
    language = fields.get("language", str)
    if language is not None and language not in LANGUAGES:
        fields.error("language", _one_of(fields, "language", LANGUAGES, language))
        language = None
    chinese_term = fields.get("chinese_term", str, default="after")
    if chinese_term not in CHINESE_TERM:
        fields.error("chinese_term", _one_of(fields, "chinese_term", CHINESE_TERM, chinese_term))
    settings = Settings(
        roadmap=fields.slug("roadmap", required=False) or DEFAULT_ROADMAP,
        start_date=fields.get("start_date", dt.date),
        deadline=fields.get("deadline", dt.date),
        budget=dict(budget),
        new_cards_per_day=new_per_day,
        own_decks=own_decks,
        rollover_hour=rollover,
        content_dirs=_content_dirs(fields),
        days_off=fields.dates("days_off"),
        language=language,
        chinese_term=chinese_term,
        review=_review_settings(fields.get("review", dict, default={}), path, issues),
    )
    errors = [issue for issue in issues if issue.is_error]
    if errors:
        raise ContentError(errors)
    return settings


def _one_of(fields: Fields, key: str, choices: tuple[str, ...], value) -> str:
    return _("{label}: '{key}' should be one of {choices}, got {value}").format(
        label=fields.what, key=key, choices=", ".join(choices), value=repr(value)
    )


MAX_NEW_PER_DAY = 10_000
MAX_REVIEWS_PER_DAY = 100_000
MAX_INTERVAL_DAYS = 36_500  # FSRS's own default maximum: a hundred years
MAX_LEECH_THRESHOLD = 1_000


def _content_dirs(fields: Fields) -> tuple[Path, ...]:
    """Folders of extra content: each must be a path (a string) and, where it exists, a folder.
    A missing one is allowed (a drive not mounted today just adds nothing)."""
    values = fields.data.get("content_dirs")
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        fields.error(
            "content_dirs",
            _("{label}: 'content_dirs' should be a list of strings (folders), got {value}").format(
                label=fields.what, value=describe(values)
            ),
        )
        return ()
    folders = []
    for index, value in enumerate(values):
        line = line_of(values, index) or fields.line("content_dirs")
        problem = _folder_problem(value, fields.what)
        if problem:
            fields.issues.append(Issue(fields.path, line, problem))
        else:
            folders.append(Path(value).expanduser())
    return tuple(folders)


def _folder_problem(value, label: str) -> str | None:
    """What is wrong with `value` as a content folder, as a message; None when it will do."""
    shown = describe(value)
    if not isinstance(value, str) or not value.strip():
        return _("{label}: 'content_dirs' item {value} should be the path of a folder (a string)").format(
            label=label, value=shown
        )
    try:
        folder = Path(value).expanduser()
        if folder.exists() and not folder.is_dir():
            return _("{label}: 'content_dirs' item {value} is not a folder").format(label=label, value=shown)
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a path too long, ~nosuchuser
        return _("{label}: 'content_dirs' item {value} is not a usable path ({reason})").format(
            label=label, value=shown, reason=exc
        )
    return None


def _review_settings(data: dict, path: Path, issues: list[Issue]) -> ReviewSettings:
    from studyctl.content.model.roadmap import WEEKDAYS

    if not data:
        return ReviewSettings()
    fields = Fields(data, path, issues, _("settings review"))
    fields.unknown_keys(REVIEW_KEYS, severity="error")
    default = ReviewSettings()
    retention = fields.get("desired_retention", float, default=default.desired_retention)
    if not 0.7 <= retention <= 0.99:
        fields.error(
            "desired_retention",
            _("{label}: 'desired_retention' should be between 0.7 and 0.99, got {value}").format(
                label=fields.what, value=retention
            ),
        )
    steps = {}
    for key in ("learning_steps", "relearning_steps"):
        value = fields.get(key, list, default=list(getattr(default, key)))
        if not all(isinstance(step, int) and not isinstance(step, bool) and 0 < step < 24 * 60 for step in value):
            fields.error(
                key,
                _("{label}: '{key}' should be a list of minutes (1 to 1439), got {value}").format(
                    label=fields.what, key=key, value=value
                ),
            )
        steps[key] = tuple(value)
    easy_days = fields.strings("easy_days")
    for day in easy_days:
        if day not in WEEKDAYS:
            fields.error(
                "easy_days",
                _("{label}: 'easy_days' should name days among {days}, got {value}").format(
                    label=fields.what, days=", ".join(WEEKDAYS), value=repr(day)
                ),
            )
    parameters = _fsrs_parameters(fields)
    return ReviewSettings(
        desired_retention=retention,
        learning_steps=steps["learning_steps"],
        relearning_steps=steps["relearning_steps"],
        maximum_interval=fields.positive(
            "maximum_interval", default=default.maximum_interval, maximum=MAX_INTERVAL_DAYS
        ),
        fuzz=fields.get("fuzz", bool, default=True),
        max_reviews_per_day=fields.positive(
            "max_reviews_per_day", default=default.max_reviews_per_day, maximum=MAX_REVIEWS_PER_DAY
        ),
        easy_days=tuple(easy_days),
        leech_threshold=fields.positive(
            "leech_threshold", default=default.leech_threshold, maximum=MAX_LEECH_THRESHOLD
        ),
        fsrs_parameters=parameters,
    )


def _fsrs_parameters(fields: Fields) -> tuple[float, ...] | None:
    """The FSRS weights `optimize` wrote: as many as the fsrs package expects, each within its
    bounds (the scheduler would refuse them later, in the middle of a review)."""
    key = "fsrs_parameters"
    values = fields.get(key, list)
    if not values:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        fields.error(key, _("{label}: 'fsrs_parameters' should be a list of numbers").format(label=fields.what))
        return None
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS  # only paid for when set

    if len(values) != len(LOWER_BOUNDS_PARAMETERS):
        fields.error(
            key,
            _(
                "{label}: 'fsrs_parameters' should hold {expected} numbers, got {count}:"
                " delete the line to use FSRS's defaults, or run `studyctl optimize` again"
            ).format(label=fields.what, expected=len(LOWER_BOUNDS_PARAMETERS), count=len(values)),
        )
        return None
    for index, (value, low, high) in enumerate(
        zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ):
        if not low <= value <= high:
            fields.error(
                key,
                _(
                    "{label}: 'fsrs_parameters': number {number} ({value}) should be between {low} and {high}:"
                    " delete the line to use FSRS's defaults, or run `studyctl optimize` again"
                ).format(label=fields.what, number=index + 1, value=value, low=low, high=high),
            )
            return None
    return tuple(float(v) for v in values)


def save_settings(settings: Settings, path: Path) -> None:
    """Write every setting, with a comment for each, replacing the file atomically."""
    import yaml

    data = settings.to_data()
    header = _(
        "# studyctl settings. Edit freely; `studyctl validate` checks this file too.\n"
        "# budget: minutes per day, keys weekday, weekend, mon..sun (empty = the roadmap's own)\n"
        "# deadline: empty = the roadmap's duration from start_date\n"
        "# own_decks: where new cards of your own decks go among the roadmap's: first, interleave or after\n"
        "# days_off: dates with no study, e.g. [2026-12-24, 2026-12-25] (weekly ones: budget mon..sun: 0)\n"
        "# rollover_hour: the hour your study day starts (a 1 am review counts for the evening before)\n"
        "# language: en or zh (empty = from your locale); chinese_term: a card's Chinese term shown\n"
        "#   after (with the answer), first (with the question) or hidden\n"
        "# review: FSRS desired_retention, learning/relearning steps in minutes, maximum_interval in days,\n"
        "#   fuzz, max_reviews_per_day, easy_days (lighter days, e.g. [sat]), leech_threshold (lapses),\n"
        "#   fsrs_parameters (written by `studyctl optimize`; empty = FSRS defaults)\n"
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    atomic_write_text(path, header + body)
