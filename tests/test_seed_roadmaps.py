"""Each built-in roadmap is tied to the seed plan it was written from: its phases, their
lengths, its time budget, and the resources the seed names all carry over."""

import itertools
import re
from pathlib import Path

import pytest

from studyctl import paths
from studyctl.content.library import load_library

# A copy of the seed plans ships with the tests, so these checks run in every clone.
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"

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
        [
            "practice-first",
            "theory-on-demand",
            "core-models",
            "attention-and-pretrained-models",
            "fine-tuning-projects",
            "following-the-field",
        ],
        None,
        12 * 60,  # "1 hour on weekdays, 7 at weekends: 12 hours a week"
        None,
        ["动手学深度学习", "神经网络与深度学习"],
    ),
    "ml-to-competitions": (
        "002_e4a3b1412e3c8ea6.txt",
        ["basics", "ml-theory", "ml-competition", "dl-theory", "dl-competitions", "interview-prep"],
        [3, 3, 1, 10, 4, 2],
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
    required = sum(t.length for t in roadmap.tasks if not t.optional and t.kind != "deck")
    # the required tasks fit the plan's own span at its budget, with room left for card reviews
    capacity = total_weeks * roadmap.budget.minutes_per_week()
    assert 0.5 * capacity <= required <= 0.95 * capacity, (required / 60, capacity / 60)


def test_urls_carry_over_from_the_seeds(library):
    """Every roadmap URL should be one its seed gives (or the resource's own home)."""
    for roadmap_id, (seed_file, *_rest) in EXPECTED.items():
        seed = seed_text(seed_file)
        seed_hosts = set(re.findall(r"https?://([^/\s)>\]]+)", seed))
        urls = [t.url for t in library.roadmaps[roadmap_id].tasks if t.url]
        assert urls, roadmap_id
        matched = [u for u in urls if re.match(r"https?://([^/]+)", u).group(1) in seed_hosts]
        assert len(matched) >= len(urls) // 2, (roadmap_id, urls)


# Items the seeds themselves mark as optional ("if there is time", "skip if short on time", "if interested").
OPTIONAL = {
    "nlp-90-days": ["mofan-pytorch-video", "heima-nlp-20h-skim", "fastai-part2-lesson-8"],
    "d2l-12-hours-a-week": ["python-100-days-skim", "goodfellow-dl-ch2-4", "zhou-ml-ch1-3", "rl-basics"],
    "ml-to-competitions": ["cs224n-a5", "tianchi-ml-second-task", "news-bert"],
    "dl-six-months": ["strang-18-06", "bishop-prml-part1", "dls-c3-structuring-projects"],
    "mlp-to-transformer": ["lstm-paper", "transformer-family-v2"],
}


@pytest.mark.parametrize("roadmap_id", sorted(EXPECTED))
def test_header_cites_the_seed_by_file_name_and_optional_items_are_marked(library, roadmap_id):
    roadmap = library.roadmaps[roadmap_id]
    first = roadmap.path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"# From seed {EXPECTED[roadmap_id][0]} ("), first
    assert "/work/" not in roadmap.path.read_text(encoding="utf-8") and "seeds/" not in first
    tasks = {task.id: task for task in roadmap.tasks}
    assert all(tasks[task_id].optional for task_id in OPTIONAL[roadmap_id])
    assert not any(task.optional for task in roadmap.tasks if task.kind == "lab" and roadmap_id == "ml-to-competitions")


def test_chinese_only_books_keep_their_chinese_titles(library):
    titles = [task.title for roadmap in library.roadmaps.values() for task in roadmap.tasks]
    for invented in (
        "Statistical Learning Methods",
        "Embedding in Depth",
        "NLP in Action",
        "Baimian",
        "Tianchi Competition Analysis",
    ):
        assert not any(invented in title for title in titles), invented
    for chinese in (
        "《统计学习方法》",
        "《深入浅出Embedding",
        "《nlp实战》",
        "《百面机器学习》",
        "《阿里云天池大赛赛题解析",
        "《神经网络与深度学习》",
    ):
        assert any(chinese in title for title in titles), chinese


def test_seed_001_revision_starts_from_practice_with_theory_on_demand(library):
    roadmap = library.roadmaps["d2l-12-hours-a-week"]
    first = roadmap.phases[0]
    assert first.id == "practice-first" and any(t.id == "d2l-ch2" and t.kind == "practice" for t in first.tasks)
    theory = next(phase for phase in roadmap.phases if phase.id == "theory-on-demand")
    assert theory.parallel and all(task.optional for task in theory.tasks)
    reading = [t for t in roadmap.tasks if t.kind == "read" and not t.optional]
    assert reading and all(t.slot == "weekday" for t in reading)  # textbooks on weekday commutes
    assert all(t.slot == "weekend" for t in roadmap.tasks if t.kind in ("lab", "project"))  # coding at weekends
    assert any("fine-tune" in t.title for t in roadmap.tasks if t.phase == "fine-tuning-projects")


def test_seed_000_fastai_in_one_weekend_and_the_notes_habit(library):
    import datetime as dt

    from studyctl.planner.model import Preferences, ReviewLoad
    from studyctl.planner.project import project

    roadmap = library.roadmaps["nlp-90-days"]
    fastai = next(t for t in roadmap.tasks if t.id == "fastai-part1")
    assert fastai.length == 720 and fastai.slot == "weekend" and fastai.blocks.max == 420
    habits = [t for t in roadmap.tasks if t.every]
    assert {t.every for t in habits} == {2, 7} and {t.phase for t in habits} == {p.id for p in roadmap.phases}
    monday = dt.date(2027, 1, 4)
    unseen = {deck_id: len(deck.cards) for deck_id, deck in library.decks.items()}
    prefs = Preferences(budget=roadmap.budget, start=monday)
    days = project(monday, roadmap, {}, ReviewLoad(unseen=unseen), prefs, days=7).days[:7]
    blocks = [(day.day.weekday(), t.minutes_today) for day in days for t in day.tasks if t.id == "fastai-part1"]
    assert [weekday for weekday, _ in blocks] == [5, 6] and sum(m for _, m in blocks) == 720  # the first weekend
    notes = [day.day.weekday() for day in days for t in day.tasks if t.id == "phase1-topic-notes"]
    assert notes[:2] == [2, 4]  # a note every two days of study


def test_ml_to_competitions_wires_the_li_hang_labs_after_their_chapters(library):
    tasks = {task.id: task for task in library.roadmaps["ml-to-competitions"].tasks}
    wired = {
        "perceptron": "lihang-ch2",
        "naive-bayes": "lihang-ch4",
        "decision-tree": "lihang-ch5",
        "adaboost": "lihang-ch8",
    }
    for lab, chapter in wired.items():
        task = tasks[f"{lab}-lab"]
        assert task.kind == "lab" and task.lab == lab and task.after == (chapter,) and task.phase == "ml-theory"
        assert lab in library.labs
    labs_in_phase = [task for task in tasks.values() if task.phase == "ml-theory" and task.kind == "lab"]
    assert len(labs_in_phase) == 5 and "five short labs" in tasks["lihang-ch1"].notes  # the note counts them right


@pytest.mark.parametrize("roadmap_id", ["nlp-90-days", "dl-six-months"])
def test_plans_with_a_span_are_on_track_on_day_one_and_keep_phases_in_order(library, roadmap_id):
    import datetime as dt

    from studyctl.planner.model import Preferences, ReviewLoad
    from studyctl.planner.project import project

    roadmap = library.roadmaps[roadmap_id]
    monday = dt.date(2027, 1, 4)
    deadline = monday + dt.timedelta(days=roadmap.duration_days - 1)
    unseen = {deck_id: len(deck.cards) for deck_id, deck in library.decks.items()}
    projection = project(
        monday, roadmap, {}, ReviewLoad(unseen=unseen), Preferences(budget=roadmap.budget, deadline=deadline)
    )
    assert projection.forecast.on_track and projection.forecast.safe_days >= 0
    habits = {t.id for t in roadmap.tasks if t.every}
    first: dict[str, dt.date] = {}
    last: dict[str, dt.date] = {}
    for day in projection.days:
        for task in day.tasks:
            if not task.optional and task.id not in habits:
                first.setdefault(task.phase, day.day)
                last[task.phase] = day.day
    phases = [p for p in roadmap.phases if p.id in first]
    for earlier, later in itertools.pairwise(phases):
        if not later.parallel:
            assert first[later.id] >= last[earlier.id], (earlier.id, later.id)  # finished today unlocks today
