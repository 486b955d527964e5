"""Settings file: defaults, round trip, STUDYCTL_HOME, and file:line errors."""

import datetime as dt

import pytest
from conftest import write

from studyctl import paths
from studyctl.content.issues import ContentError
from studyctl.content.model.roadmap import Budget
from studyctl.settings import Settings, load_settings, save_settings


def test_studyctl_home_overrides_everything(studyctl_home):
    assert paths.home() == studyctl_home
    assert paths.db_path() == studyctl_home / "studyctl.db"
    assert paths.settings_path() == studyctl_home / "settings.yaml"


def test_default_home_comes_from_platformdirs(monkeypatch, tmp_path):
    monkeypatch.delenv("STUDYCTL_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.home() == tmp_path / "xdg" / "studyctl"


def test_missing_file_gives_defaults(tmp_path):
    settings = load_settings(tmp_path / "none.yaml")
    assert settings == Settings()
    assert settings.rollover_hour == 4 and settings.new_cards_per_day == 20


def test_round_trip_keeps_every_setting(tmp_path):
    path = tmp_path / "settings.yaml"
    settings = Settings(
        roadmap="d2l-12-hours-a-week",
        start_date=dt.date(2026, 9, 13),
        deadline=dt.date(2026, 12, 31),
        budget={"weekday": 60, "weekend": 420, "fri": 0},
        new_cards_per_day=15,
        rollover_hour=3,
        content_dirs=(tmp_path / "mine",),
    )
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert path.read_text().startswith("# studyctl settings")


def test_budget_overrides_merge_over_the_roadmap_budget():
    settings = Settings(budget={"weekend": 300, "fri": 0})
    budget = settings.budget_over(Budget(weekday=120, weekend=360))
    assert budget.minutes_on(dt.date(2026, 11, 23)) == 120  # Monday
    assert budget.minutes_on(dt.date(2026, 11, 27)) == 0  # Friday: a day off
    assert budget.minutes_on(dt.date(2026, 11, 28)) == 300


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("roadmap: x\nstart_date: tomorrow\n", 2, "'start_date' should be a date (YYYY-MM-DD)"),
        ("budget: {weekday: 2000}\n", 1, "'weekday' should be minutes between 0 and 1440"),
        ("budget:\n  wekday: 30\n", 2, "unknown field 'wekday'"),
        ("content_dirs: 3\n", 1, "'content_dirs' should be a list of strings"),
    ],
)
def test_bad_settings_name_the_line(tmp_path, text, line, expected):
    path = write(tmp_path / "settings.yaml", text)
    with pytest.raises(ContentError) as caught:
        load_settings(path)
    issue = next(i for i in caught.value.issues if expected in i.message)
    assert issue.line == line
