"""Each built-in roadmap is tied to the seed plan it was written from: its phases, their
lengths, its time budget, and the resources the seed names all carry over."""

import os
import re
from pathlib import Path

import pytest

from studyctl import paths
from studyctl.content.library import load_library

# The seed plans live beside the repository (../shared/seeds), as in CI; elsewhere set
# STUDYCTL_SEEDS or these tests are skipped (the roadmaps' own checks still run).
SEEDS = Path(os.environ.get("STUDYCTL_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"))
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed plans not found at {SEEDS}")

# roadmap id: (seed file, phases in order (ids), weeks per phase or None, minutes a week, days,
#              resources named by the seed that must appear in the roadmap)
EXPECTED = {
    "nlp-90-days": (
        "000_3acebce3555348fd.txt",
        ["pytorch-dl-basics", "nlp-step-by-step", "nlp-advanced-applied"],
        [3, 6, 4],  # 13 weeks: 2021-09-13 to 12-13
        5 * 120 + 2 * 360,  # weekday evenings 20:00-22:00, weekend afternoons and evenings
        91,
        ["eat_pytorch_in_20_days", "fast.ai", "nlp-beginner"],
    ),
    "d2l-12-hours-a-week": (
        "001_a2e2b7c5eb7256f6.txt",
        None,
        None,
        12 * 60,  # "1 hour on weekdays, 7 at weekends: 12 hours a week"
        None,
        ["动手学深度学习", "神经网络与深度学习"],
    ),
    "ml-to-competitions": (
        "002_e4a3b1412e3c8ea6.txt",
        ["basics", "ml-theory", "ml-competition", "dl-theory", "dl-competitions", "interview-prep"],
        [3, 3, 1, 9, 4, 2],
        None,
        None,
        ["李航", "cs231n", "CS224n", "天池", "百面机器学习"],
    ),
    "dl-six-months": (
        "003_0bcb2678f833ec54.txt",
        None,
        None,
        20 * 60,  # 20 hours a week
        182,  # six months
        ["fast.ai", "cs231n", "Kaggle"],
    ),
    "mlp-to-transformer": (
        "004_d87b4ef75303f14b.txt",
        ["mlp-backprop", "cnn-pytorch", "rnn-gru-lstm", "attention", "transformer", "language-model"],
        None,
        None,
        None,
        ["Neural Networks and Deep Learning", "动手学深度学习", "60 Minute Blitz"],
    ),
}


def seed_text(name: str) -> str:
    """A seed's text with HTML tags removed (one seed is a saved web page)."""
    return re.sub(r"<[^>]+>", "", (SEEDS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def library():
    return load_library([paths.builtin_content_root()])


def test_every_seed_has_a_roadmap_and_all_validate(library):
    assert [i for i in library.issues if i.is_error and i.path.parent.name == "schedule"] == []
    assert set(EXPECTED) <= set(library.roadmaps)
    assert {seed for seed, *_ in EXPECTED.values()} == {p.name for p in SEEDS.glob("*.txt")}


@pytest.mark.parametrize("roadmap_id", sorted(EXPECTED))
def test_roadmap_follows_its_seed(library, roadmap_id):
    seed_file, phases, weeks, week_minutes, days, resources = EXPECTED[roadmap_id]
    roadmap = library.roadmaps[roadmap_id]
    seed = seed_text(seed_file)
    text = roadmap.path.read_text(encoding="utf-8")
    assert seed_file in text  # the file says where it comes from
    if phases:
        assert [p.id for p in roadmap.phases] == phases
    if weeks:
        assert [p.weeks for p in roadmap.phases] == weeks
    if week_minutes:
        assert roadmap.budget.minutes_per_week() == week_minutes
    if days:
        assert roadmap.duration_days == days
    for resource in resources:
        assert resource.lower() in seed.lower(), f"{resource!r} is not in the seed: fix the test"
        assert resource.lower() in text.lower(), f"{roadmap_id} lost the seed's resource {resource!r}"
    total_weeks = sum(p.weeks or 0 for p in roadmap.phases)
    planned = sum(t.minutes or 45 for t in roadmap.tasks)
    # the tasks fit the plan's own span at its budget, with room for card reviews
    assert (
        0.6 * total_weeks * roadmap.budget.minutes_per_week()
        <= planned
        <= total_weeks * roadmap.budget.minutes_per_week()
    )


def test_urls_carry_over_from_the_seeds(library):
    """Every roadmap URL should be one its seed gives (or the resource's own home)."""
    for roadmap_id, (seed_file, *_rest) in EXPECTED.items():
        seed = seed_text(seed_file)
        seed_hosts = set(re.findall(r"https?://([^/\s)>\]]+)", seed))
        urls = [t.url for t in library.roadmaps[roadmap_id].tasks if t.url]
        assert urls, roadmap_id
        matched = [u for u in urls if re.match(r"https?://([^/]+)", u).group(1) in seed_hosts]
        assert len(matched) >= len(urls) // 2, (roadmap_id, urls)
