"""Device sync (`studyctl sync`): two machines' journals become one, through a git repository
or a plain shared folder, and every machine ends with the same card states, marks, progress
and review counts as one machine that did everything, whatever order the syncs ran in."""

from __future__ import annotations

import json
import subprocess

import pytest
from srs_helpers import START as START_UTC
from srs_helpers import Clock
from sync_helpers import Machine, without_uids

from studyctl.errors import StudyctlError
from studyctl.service import sync as sync_service
from studyctl.service.sync_git import Repository
from studyctl.store import journal


@pytest.fixture(autouse=True)
def plain_git(monkeypatch, tmp_path):
    """git without the developer's own configuration (no identity: sync must cope)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(*args: str, cwd) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def bare_repository(tmp_path):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    return remote


def clone(remote, where):
    git("clone", "--quiet", str(remote), str(where), cwd=remote.parent)
    return where


def study(script, machines, clock):
    """Run (machine, action, args...) steps on the named machine and on `solo` alike, 10 minutes apart."""
    for name, action, *args in script:
        for machine in (machines[name], machines["solo"]):
            getattr(machine, action)(*args)
        clock.advance(minutes=10)


ROUND_1 = [
    ("a", "answer", "d/c0/0", 3),
    ("a", "answer", "d/c1/0", 1),
    ("a", "answer", "d/c2/0", 4, True),  # answered, then taken back
    ("a", "suspend", "d/c9/0"),
    ("a", "log", "read-a", "progress", 20),
    ("b", "answer", "d/c3/0", 3),
    ("b", "answer", "d/c4/0", 2, True),
    ("b", "flag", "d/c8/0", "typo in the answer"),
    ("b", "log", "read-a", "progress", 15),
    ("b", "log", "watch-b", "progress", 30),
    (
        "b",
        "undo_last_task",
    ),
]
ROUND_2 = [  # each studies the cards the other one started
    ("a", "answer", "d/c3/0", 3),
    ("b", "answer", "d/c0/0", 3),
    ("b", "answer", "d/c1/0", 3),
    ("a", "answer", "d/c5/0", 1, True),
    ("a", "log", "read-a", "done"),
]
ROUND_3 = [
    ("b", "answer", "d/c3/0", 4),
    ("a", "answer", "d/c0/0", 2),
    ("b", "answer", "d/c6/0", 3),
    ("a", "log", "watch-b", "progress", 45),
]


def test_two_homes_through_a_bare_git_repository_end_like_one_home_that_did_it_all(tmp_path):
    clock = Clock()
    remote = bare_repository(tmp_path)
    machines = {name: Machine(tmp_path, name, clock) for name in ("a", "b", "solo")}
    a, b = machines["a"], machines["b"]
    folders = {"a": clone(remote, tmp_path / "a-sync"), "b": clone(remote, tmp_path / "b-sync")}

    study(ROUND_1, machines, clock)
    assert a.sync(folders["a"]).exported > 0  # the folder is given once, then remembered
    assert b.sync(folders["b"]).imported > 0
    a.sync()
    study(ROUND_2, machines, clock)
    for name in ("b", "a", "b"):
        machines[name].sync()
    clock.advance(days=1)
    study(ROUND_3, machines, clock)
    for name in ("a", "a", "b", "a"):
        machines[name].sync()

    solo = without_uids(machines["solo"].knowledge())
    assert without_uids(a.knowledge()) == solo
    assert a.knowledge() == b.knowledge()
    assert solo["reviews"] and solo["marks"] and solo["progress"]["read-a"].done
    assert solo["progress"]["watch-b"].minutes == 45  # B's 30 minutes were taken back

    before = a.knowledge()
    again = [a.sync(), b.sync(), a.sync()]
    assert [(r.exported, r.imported, r.rows) for r in again] == [(0, 0, 0)] * 3  # re-syncing adds nothing
    assert a.knowledge() == before == b.knowledge()
    assert again[-1].devices == (b.do(lambda home: journal.device_id(home.conn)),)
    log = git("log", "--format=%s", "origin/master", cwd=folders["a"])
    assert log.count("studyctl sync") >= 4  # each machine's segments, committed and pushed


def test_settings_stay_on_their_machine(tmp_path):
    clock = Clock()
    a, b = Machine(tmp_path, "a", clock), Machine(tmp_path, "b", clock)
    (a.dir / "settings.yaml").write_text("roadmap: small\nnew_cards_per_day: 3\nrollover_hour: 2\n")
    a.answer("d/c0/0", 3)
    folder = tmp_path / "shared"
    a.sync(folder)
    b.sync(folder)
    assert b.do(lambda home: home.settings.new_cards_per_day) == 50
    for segment in (folder).glob("*/*.jsonl"):
        kinds = {json.loads(line).get("kind") for line in segment.read_text().splitlines()[1:-1]}
        assert kinds <= {"review", "mark", "task", "lab", "undo", "roadmap"}


def test_a_segment_truncated_mid_write_is_reported_skipped_and_read_once_whole(tmp_path, run, studyctl_home):
    clock = Clock()
    a, b = Machine(tmp_path, "a", clock), Machine(tmp_path, "b", clock)
    folder = tmp_path / "Dropbox" / "studyctl"
    folder.parent.mkdir()
    for n in range(4):
        a.answer(f"d/c{n}/0", 3)
    a.log("read-a", "progress", 25)
    a.sync(folder)
    [segment] = folder.glob("*/*.jsonl")
    whole = segment.read_bytes()
    segment.write_bytes(whole[: len(whole) * 2 // 3])  # the sync tool has delivered two thirds

    result = b.sync(folder)
    assert result.imported == 0 and len(result.skipped) == 1
    assert str(segment) in result.skipped[0] and "incomplete" in result.skipped[0]
    assert b.knowledge()["reviews"] == []
    status = b.do(sync_service.status)
    assert [d.unread for d in status.devices if not d.this] == [1]

    segment.write_bytes(whole.replace(b'"rating":3', b'"rating":1', 1))  # whole but altered: also skipped
    assert "damaged" in b.sync().skipped[0]

    segment.write_bytes(whole)  # the rest arrives
    result = b.sync()
    assert result.skipped == () and result.imported == 5
    assert without_uids(b.knowledge()) == without_uids(a.knowledge())


def test_the_cli_reports_a_skipped_segment_as_a_warning_and_succeeds(tmp_path, run, studyctl_home):
    folder = tmp_path / "shared"
    (folder / "other-device").mkdir(parents=True)
    (folder / "other-device" / "20261123T190000Z-0000.jsonl").write_text('{"studyctl_segment": 1}\n{"uid": "x')
    result = run("sync", str(folder))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "incomplete" in result.stderr
    assert "Synced through" in result.stdout


def test_a_push_race_is_retried_after_a_pull(tmp_path, monkeypatch):
    clock = Clock()
    remote = bare_repository(tmp_path)
    a, b = Machine(tmp_path, "a", clock), Machine(tmp_path, "b", clock)
    a_folder, b_folder = clone(remote, tmp_path / "a-sync"), clone(remote, tmp_path / "b-sync")
    a.answer("d/c0/0", 3)
    b.answer("d/c1/0", 3)
    b.sync(b_folder)  # B publishes first, so both machines share a history

    real_push = Repository.push
    raced = []

    def push_after_b_pushed_again(self, remote_name, branch):
        if not raced:  # between A's pull and A's push, B pushes again
            raced.append(True)
            b.answer("d/c2/0", 3)
            b.sync()
        return real_push(self, remote_name, branch)

    monkeypatch.setattr(Repository, "push", push_after_b_pushed_again)
    result = a.sync(a_folder)
    assert "another machine pushed first: pulled again" in result.notes
    assert any(note.startswith("pushed to origin/") for note in result.notes)
    b.sync()
    assert a.knowledge() == b.knowledge()
    assert len(a.knowledge()["reviews"]) == 3


def test_a_git_folder_without_a_remote_commits_locally(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    git("init", "--quiet", cwd=folder)
    a = Machine(tmp_path, "a", Clock())
    a.answer("d/c0/0", 3)
    result = a.sync(folder)
    assert result.git and "no git remote: committed locally only" in result.notes
    assert git("status", "--porcelain", cwd=folder) == ""


def test_sync_without_a_folder_says_how_to_start(tmp_path):
    a = Machine(tmp_path, "a", Clock())
    with pytest.raises(StudyctlError, match="no sync folder yet"):
        a.sync()


def test_events_for_a_deck_this_machine_lacks_wait_and_apply_when_the_deck_arrives(tmp_path):
    """B has no deck 'extra' when A's answers on it arrive: they wait in the journal, and the
    deck sync that brings the deck in applies them (history, state and marks)."""
    clock = Clock()
    a = Machine(tmp_path, "a", clock, decks={"d": 4, "extra": 3})
    b = Machine(tmp_path, "b", clock, decks={"d": 4})
    a.answer("extra/c0/0", 3)
    clock.advance(minutes=5)
    a.answer("extra/c0/0", 3)
    a.answer("extra/c1/0", 1, undo=True)
    a.suspend("extra/c2/0")
    folder = tmp_path / "shared"
    a.sync(folder)
    result = b.sync(folder)
    assert result.waiting == 3 and result.imported == 5  # two answers and the suspension wait
    assert "extra/c0/0" not in b.knowledge()["states"]

    (b.dir / "content" / "decks" / "extra.yaml").write_text((a.dir / "content" / "decks" / "extra.yaml").read_text())
    b.do(lambda home: home.sync_decks())  # any command's deck sync
    assert b.knowledge() == a.knowledge()
    assert b.do(sync_service.status).waiting == 0


def test_roadmap_start_dates_travel_and_the_earliest_wins(tmp_path):
    import datetime as dt

    from studyctl.service.roadmaps import set_start

    clock = Clock()
    a, b = Machine(tmp_path, "a", clock), Machine(tmp_path, "b", clock)
    a.do(set_start, "small", dt.date(2026, 11, 1))
    b.do(set_start, "small", dt.date(2026, 11, 20))  # B planned once before its first sync
    folder = tmp_path / "shared"
    for machine in (b, a, b):
        machine.sync(folder)
    for machine in (a, b):
        assert machine.do(lambda home: home.state("roadmaps/small"))["start"] == "2026-11-01"
    assert [r.exported for r in (a.sync(), b.sync())] == [0, 0]  # adopting a date isn't a change to share


def test_status_lists_devices_event_counts_and_last_events(tmp_path, run, studyctl_home):
    clock = Clock()
    a = Machine(tmp_path, "a", clock)
    a.answer("d/c0/0", 3)
    a.log("read-a", "progress", 10)
    folder = tmp_path / "shared"
    a.sync(folder)
    import shutil

    shutil.copytree(folder / next(p.name for p in folder.iterdir()), folder / "copy-of-a")
    # the CLI's own home (studyctl_home) is a third machine
    assert run("sync", str(folder)).exit_code == 0
    result = run("sync", "--status", "--json")
    data = json.loads(result.stdout)
    assert data["folder"] == str(folder.resolve())
    rows = {row["device"]: row for row in data["devices"]}
    assert sum(row["this"] for row in rows.values()) == 1
    other = next(row for name, row in rows.items() if not row["this"] and name != "copy-of-a")
    assert other["events"] == 2 and other["last_kind"] == "task" and other["segments"] == 1 and other["unread"] == 0
    text = run("sync", "--status").stdout
    assert "Last sync just now" in text and other["device"] in text


def test_today_and_stats_show_the_last_sync(tmp_path, run, studyctl_home, content):
    assert "sync" not in run("--content", str(content), "today", "--plain").stdout.lower()
    laptop = Machine(tmp_path, "laptop", Clock())
    laptop.answer("d/c0/0", 3)
    folder = tmp_path / "shared"
    laptop.sync(folder)
    laptop_id = laptop.do(lambda home: journal.device_id(home.conn))
    assert run("sync", str(folder)).exit_code == 0
    plan = run("--content", str(content), "today", "--plain").stdout
    assert "Last sync just now" in plan and laptop_id in plan
    assert "Last sync just now" in run("stats").stdout


def test_the_app_shows_the_last_sync_on_today_and_stats(tmp_path, monkeypatch, run, studyctl_home):
    import asyncio

    from tui_support import SIZE, make_study, new_app, press, screen_text, settle

    study = make_study(tmp_path, monkeypatch)
    laptop = Machine(tmp_path, "laptop", Clock())
    laptop.answer("d/c0/0", 3)
    folder = tmp_path / "shared"
    laptop.sync(folder)
    assert run("sync", str(folder)).exit_code == 0
    laptop_id = laptop.do(lambda home: journal.device_id(home.conn))

    async def drive():
        app = new_app(study)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            today = screen_text(app)
            await press(pilot, "s")
            return today, screen_text(app)

    today, stats = asyncio.run(drive())
    assert "Synced just now" in today and laptop_id in today
    assert "Last sync" in stats and laptop_id in stats


def test_a_lost_segment_is_written_again_and_a_copied_database_is_named(tmp_path):
    clock = Clock()
    a = Machine(tmp_path, "a", clock)
    a.answer("d/c0/0", 3)
    folder = tmp_path / "shared"
    a.sync(folder)
    a.answer("d/c1/0", 3)
    a.sync()
    [own] = [p for p in folder.iterdir()]
    first, _ = sorted(own.glob("*.jsonl"))
    first.unlink()  # cleaned away by hand, or the folder was moved
    assert a.sync().exported == 1  # the lost answer, once more
    b = Machine(tmp_path, "b", clock)
    assert b.sync(folder).imported == 2

    import shutil

    shutil.copy(a.dir / "studyctl.db", b.dir / "studyctl.db")  # B is now a copy of A's database
    a.answer("d/c2/0", 3)
    a.sync()
    result = b.sync()
    assert any("another database uses device id" in note for note in result.notes)
    assert result.imported == 1  # A's new answer all the same


def test_a_clock_running_behind_moves_only_its_own_answers_and_both_machines_agree(tmp_path):
    """B's clock is 30 minutes slow: its answer given after A's (it had synced A's) is stamped
    earlier. Replay goes by the stamps (the documented rule), on both machines alike."""
    import datetime as dt

    from studyctl.srs.replay import rebuild

    a_clock, b_clock = Clock(), Clock()
    b_clock.advance(minutes=-30)
    a, b = Machine(tmp_path, "a", a_clock), Machine(tmp_path, "b", b_clock)
    folder = tmp_path / "shared"
    a.answer("d/c0/0", 3)
    a.sync(folder)
    b.sync(folder)
    b_clock.advance(minutes=5)  # five minutes later for real, still 25 minutes "before" A's answer
    b.answer("d/c0/0", 1)
    b.sync()
    a.sync()
    assert a.knowledge() == b.knowledge()
    stamps = [row[1] for row in a.knowledge()["reviews"]]
    assert sorted(stamps) == [(START_UTC + dt.timedelta(minutes=-25)).isoformat(), START_UTC.isoformat()]
    for machine in (a, b):
        assert machine.do(lambda home: rebuild(home.conn, write=False).differences) == []


def test_a_folder_merely_inside_a_git_work_tree_is_a_plain_folder(tmp_path):
    """A home directory kept in git must not get sync commits: only a repository's top level is
    taken for a sync repository."""
    git("init", "--quiet", cwd=tmp_path)
    a = Machine(tmp_path, "a", Clock())
    a.answer("d/c0/0", 3)
    result = a.sync(tmp_path / "Dropbox-studyctl")
    assert not result.git and result.exported == 1
    assert "Dropbox-studyctl" in git("status", "--porcelain", "--untracked-files=all", cwd=tmp_path)  # uncommitted
