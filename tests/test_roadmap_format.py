"""The roadmap format's planning keys (parallel, optional, slot, chunk, parts, every) and what
`studyctl validate` reports about a plan that can't work, each as file:line, all in one run."""

from pathlib import Path

from conftest import write

from studyctl.content.roadmaps import load_roadmap


def issues_of(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line or ": warning: " in line]


def test_planning_keys_are_read(tmp_path):
    path = write(
        tmp_path / "schedule" / "keys.yaml",
        """
        id: keys
        title: Keys
        budget: {weekday: 60, weekend: 240}
        phases:
          - id: one
            title: One
            tasks:
              - id: course
                title: Course
                kind: watch
                chunk: {min: 40, max: 120}
                parts: [lecture 1, lecture 2, {name: lecture 3, minutes: 100}]
                minutes: 300
              - {id: notes, title: Notes, kind: practice, minutes: 100, every: 2, slot: weekday, optional: true}
          - id: two
            title: Two
            parallel: true
            tasks:
              - {id: lab, title: Lab, kind: lab, lab: someday-lab}
        """,
    )
    roadmap, warnings = load_roadmap(path)
    course, notes, lab = roadmap.tasks
    assert [(p.name, p.minutes) for p in course.parts] == [("lecture 1", 100), ("lecture 2", 100), ("lecture 3", 100)]
    assert (course.blocks.min, course.blocks.max) == (40, 120)
    assert notes.every == 2 and notes.slot == "weekday" and notes.optional and notes.is_habit
    assert roadmap.phases[1].parallel and roadmap.groups() == {"one": 0, "two": 0}
    assert lab.length == 45 and (lab.blocks.min, lab.blocks.max) == (20, 180)  # the defaults
    assert warnings == []


def test_validate_reports_every_planning_error_as_file_line_in_one_run(run, tmp_path):
    path = write(
        tmp_path / "schedule" / "broken.yaml",
        """
        id: broken
        title: Broken
        duration_days: 14
        deadline: 2027-04-04
        budget: {weekday: 60, weekend: 120}
        phases:
          - id: one
            title: One
            tasks:
              - {id: huge-lab, title: Huge lab, kind: lab, lab: x, minutes: 600, chunk: {min: 300, max: 600}}
              - {id: bad-url, title: Bad URL, kind: read, minutes: 30, url: "course.fast.ai"}
              - {id: weekend-only, title: Weekend, kind: read, minutes: 200, slot: weekend, chunk: {min: 150, max: 200}}
              - {id: waits, title: Waits, kind: read, minutes: 30, after: [later]}
              - {id: bad-slot, title: Bad slot, kind: read, minutes: 30, slot: evenings}
              - {id: bad-chunk, title: Bad chunk, kind: read, minutes: 30, chunk: {min: 50, max: 20}}
              - {id: bad-parts, title: Bad parts, kind: read, minutes: 30, parts: [{name: a, minutes: 50}]}
          - id: two
            title: Two
            tasks:
              - {id: later, title: Later, kind: read, minutes: 3000}
        """,
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    lines = issues_of(result)
    expected = [
        f"{path}:4: error: roadmap: give either 'deadline' (a fixed date) or 'duration_days'",
        f"{path}:10: error: task 'huge-lab' fits no day: its shortest block is 300 min but the longest day of the "
        "budget has 120 min",
        f"{path}:11: error: task 'bad-url': 'url' should be a web address (http:// or https://), got 'course.fast.ai'",
        f"{path}:12: error: task 'weekend-only' fits no day: its shortest block is 150 min but the longest weekend day",
        f"{path}:13: error: task 'waits' waits for 'later' of the later phase 'two'",
        f"{path}:14: error: task 'bad-slot': 'slot' should be one of weekday, weekend, got 'evenings'",
        f"{path}:15: error: task 'bad-chunk': chunk 'min' (50) is more than 'max' (20)",
        f"{path}:16: error: task 'bad-parts': the parts add up to 50 min but the task says 30",
        f"{path}:3: error: roadmap: the required tasks take 66 h but 14 days at this budget give 18 h of time",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)


def test_a_lab_that_does_not_exist_yet_is_a_warning(run, tmp_path):
    root = tmp_path / "more"
    write(
        root / "schedule" / "later.yaml",
        """
        id: later
        title: Later
        phases:
          - id: one
            title: One
            tasks:
              - {id: future-lab, title: A lab still being written, kind: lab, lab: knn-svm-softmax}
        """,
    )
    result = run("validate", str(root))
    assert result.exit_code == 0
    assert any("names lab 'knn-svm-softmax', which no content folder has (yet)" in line for line in issues_of(result))


def test_builtin_roadmaps_validate_clean(run):
    from studyctl import paths

    result = run("validate", str(Path(paths.builtin_content_root())))
    assert result.exit_code == 0, result.stdout
    assert not any(": error: " in line for line in result.stdout.splitlines())
