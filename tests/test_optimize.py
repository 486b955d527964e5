"""`studyctl optimize`: refusal below the minimum, a fit that lowers held-out log loss on a
simulated history of 10,000+ reviews, --dry-run, and the hint `today` prints."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time

import pytest

from studyctl.settings import ReviewSettings, Settings, load_settings
from studyctl.srs import optimize as fitting
from studyctl.srs.scheduling import make_scheduler, scheduler_config
from studyctl.srs.simulate import new_store, simulate
from studyctl.store.db import connect


def _history(tmp_path_factory, name: str, cards: int, days: int) -> dict:
    """A simulated log in its own folder (generated once per module); tests copy the file."""
    folder = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as patch:  # study days follow local time: pin it
        patch.setenv("TZ", "UTC")
        time.tzset()
        conn = new_store(folder / "studyctl.db", cards)
        result = simulate(conn, Settings(), days=days, seed=0)
        review_state = conn.execute("SELECT count(*) FROM reviews WHERE kind = 'review'").fetchone()[0]
        conn.close()  # the last connection checkpoints the WAL into the file
    time.tzset()
    return {"db": folder / "studyctl.db", "reviews": result.reviews, "review_state": review_state}


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict:
    """The issue's size: 10,000+ answers (about 2-3 s to generate on 2 cores)."""
    history = _history(tmp_path_factory, "large", cards=1000, days=100)
    assert history["reviews"] >= 10_000
    return history


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    history = _history(tmp_path_factory, "small", cards=60, days=20)
    assert 0 < history["review_state"] < fitting.MIN_REVIEWS
    return history


@pytest.fixture(scope="module")
def just_enough(tmp_path_factory) -> dict:
    history = _history(tmp_path_factory, "just-enough", cards=250, days=45)
    assert fitting.MIN_REVIEWS <= history["review_state"] < 2 * fitting.MIN_REVIEWS
    return history


def use(history: dict, home) -> None:
    home.mkdir(parents=True, exist_ok=True)
    for leftover in ("studyctl.db-wal", "studyctl.db-shm"):  # from a database used earlier in the test
        (home / leftover).unlink(missing_ok=True)
    shutil.copy(history["db"], home / "studyctl.db")


def test_refuses_below_the_minimum_and_changes_nothing(run, small, studyctl_home):
    use(small, studyctl_home)
    result = run("optimize")
    assert result.exit_code == 2
    assert "not enough reviews to optimize" in result.stderr
    assert f"{small['review_state']} review-state reviews in the log, {fitting.MIN_REVIEWS} needed" in result.stderr
    assert not (studyctl_home / "settings.yaml").exists()
    assert fitting.last_record(connect(studyctl_home / "studyctl.db")) is None


def test_optimize_lowers_held_out_log_loss_and_saves_usable_parameters(run, large, studyctl_home):
    pytest.importorskip("fsrs_rs_python")
    use(large, studyctl_home)
    result = run("optimize", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["reviews"] == large["reviews"] >= 10_000
    assert report["before"]["reviews"] >= 500  # held-out long-term reviews actually scored
    assert report["after"]["log_loss"] < report["before"]["log_loss"]
    assert report["improved"] and report["saved"] and not report["dry_run"]

    review = load_settings(studyctl_home / "settings.yaml").review
    assert review.fsrs_parameters == tuple(report["parameters"])
    scheduler = make_scheduler(review)  # the fsrs package accepts them (bounds, count)
    assert scheduler_config(scheduler) != scheduler_config(make_scheduler(Settings().review))

    record = fitting.last_record(connect(studyctl_home / "studyctl.db"))
    assert record["saved"] is True and record["review_state_reviews"] == large["review_state"]
    assert fitting.reviews_since_optimize(connect(studyctl_home / "studyctl.db")) == 0

    again = run("optimize")  # now the saved parameters are the ones to beat: nothing better, kept
    assert again.exit_code == 0
    assert "Kept the current parameters" in again.stdout
    assert load_settings(studyctl_home / "settings.yaml").review.fsrs_parameters == tuple(report["parameters"])


def test_dry_run_fits_and_reports_but_saves_nothing(run, large, studyctl_home):
    pytest.importorskip("fsrs_rs_python")
    use(large, studyctl_home)
    result = run("optimize", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Held-out log loss:" in result.stdout and "Dry run: nothing saved." in result.stdout
    assert not (studyctl_home / "settings.yaml").exists()
    assert fitting.last_record(connect(studyctl_home / "studyctl.db")) is None


def test_missing_engine_is_a_clear_error(run, just_enough, studyctl_home, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import fails as if not installed
    use(just_enough, studyctl_home)
    result = run("optimize")
    assert result.exit_code == 2
    assert "pip install 'studyctl[optimize]'" in result.stderr
    assert not (studyctl_home / "settings.yaml").exists()


def test_torch_engine_runs(run, just_enough, studyctl_home):
    for module in ("torch", "pandas", "tqdm"):
        pytest.importorskip(module)
    use(just_enough, studyctl_home)
    result = run("optimize", "--engine", "torch", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["engine"] == "torch" and len(report["parameters"]) == 21
    assert math.isfinite(report["after"]["log_loss"])
    make_scheduler(ReviewSettings(fsrs_parameters=tuple(report["parameters"])))


def test_today_suggests_optimizing_once_enough_reviews_piled_up(run, large, small, studyctl_home):
    use(small, studyctl_home)
    assert "studyctl optimize" not in run("today", "--plain").stderr  # too few reviews yet

    use(large, studyctl_home)
    first = run("today", "--plain")
    assert f"{fitting.MIN_REVIEWS}+ reviews logged: run `studyctl optimize`" in first.stderr

    conn = connect(studyctl_home / "studyctl.db")
    review_ids = [row[0] for row in conn.execute("SELECT id FROM reviews WHERE kind = 'review' ORDER BY id")]

    def optimized_before(new_reviews: int) -> None:
        """Pretend the last optimize ran when `new_reviews` review-state reviews were still to come."""
        last_id = review_ids[-new_reviews] - 1
        fitting.write_record(conn, {"last_review_id": last_id, "review_state_reviews": 0})

    optimized_before(fitting.REOPTIMIZE_AFTER - 1)
    assert fitting.reviews_since_optimize(conn) == fitting.REOPTIMIZE_AFTER - 1
    assert "studyctl optimize" not in run("today", "--plain").stderr

    optimized_before(fitting.REOPTIMIZE_AFTER)
    message = f"{fitting.REOPTIMIZE_AFTER} new reviews since you last optimized: run `studyctl optimize`"
    assert message in run("today", "--plain").stderr

    fitting.write_record(conn, {"damaged": True})
    assert fitting.reviews_since_optimize(conn) is None


def test_the_today_check_imports_no_fitting_library():
    code = (
        "import sys, studyctl.srs.optimize, studyctl.service.today; "
        "print(sorted(m for m in ('fsrs', 'fsrs_rs_python', 'torch', 'pandas', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_simulated_history_is_a_real_session_log(large, tmp_path):
    """Every answer went through ReviewSession: replaying the log reproduces the stored states."""
    from studyctl.srs.replay import rebuild

    shutil.copy(large["db"], tmp_path / "s.db")
    conn = connect(tmp_path / "s.db")
    kinds = dict(conn.execute("SELECT kind, count(*) FROM reviews GROUP BY kind").fetchall())
    assert set(kinds) == {"new", "learning", "review", "relearning"}
    report = rebuild(conn, write=False)
    assert report.reviews == large["reviews"] and report.differences == []


def test_split_is_by_card_seeded_and_disjoint():
    train, held = fitting.split_cards(range(1, 101))
    assert len(held) == 20 and not set(train) & set(held) and sorted(train + held) == list(range(1, 101))
    assert fitting.split_cards(range(100, 0, -1)) == (train, held)
