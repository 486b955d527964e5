"""The review log is the source of truth: replaying it reproduces every stored state."""

import datetime as dt
import json
import random

import pytest
from srs_helpers import Clock, basic_deck, session, settings, store_with

from studyctl.srs.replay import rebuild
from studyctl.store import reviewing


def simulate(conn, days: int, cfg=None, seed: int = 3) -> int:
    """A month of evenings with random answers, fuzz and load balancing on, settings changing
    halfway (a new desired retention), plus an undo now and then."""
    rng = random.Random(seed)
    clock = Clock()
    answered = 0
    for day in range(days):
        if day == days // 2:
            cfg = settings(desired_retention=0.85, new_cards_per_day=8)
        sess = session(conn, clock, cfg or settings(new_cards_per_day=8))
        for _ in range(60):
            card = sess.next_card()
            if card is None:
                break
            sess.answer(card, rng.choice([1, 2, 3, 3, 3, 4]), duration_ms=rng.randint(1000, 20000))
            answered += 1
            if rng.random() < 0.05:
                sess.undo()
                answered -= 1
            clock.advance(seconds=rng.randint(5, 90))
        clock.now = dt.datetime.combine(clock.now.date() + dt.timedelta(days=1), dt.time(19), dt.timezone.utc)
    return answered


def test_rebuild_reproduces_every_state_exactly(tmp_path):
    conn = store_with(tmp_path, {"a": basic_deck("a", 40), "b": basic_deck("b", 40)})
    answered = simulate(conn, days=30)
    assert answered > 300
    report = rebuild(conn, write=False)
    assert report.reviews == answered
    assert report.differences == []
    assert conn.execute("SELECT count(*) FROM schedulers").fetchone()[0] == 2


def test_rebuild_repairs_a_damaged_state(tmp_path, run):
    conn = store_with(tmp_path, {"a": basic_deck("a", 10)})
    simulate(conn, days=5)
    card_id, stability = conn.execute("SELECT card_id, stability FROM card_state LIMIT 1").fetchone()
    with conn:
        conn.execute("UPDATE card_state SET stability = 999 WHERE card_id = ?", (card_id,))
    report = rebuild(conn, write=True)
    assert [d[0] for d in report.differences] == [card_id]
    assert reviewing.state_row(conn, card_id).stability == stability
    assert rebuild(conn, write=False).differences == []


def test_db_rebuild_command(run, studyctl_home, tmp_path):
    from studyctl.store.db import connect

    assert run("decks").exit_code == 0  # creates the database with the built-in deck
    conn = connect(studyctl_home / "studyctl.db")
    simulate(conn, days=3)
    assert run("db", "rebuild", "--check").exit_code == 0
    with conn:
        conn.execute("UPDATE card_state SET difficulty = 1.5")
    checked = run("db", "rebuild", "--check")
    assert checked.exit_code == 1 and "differ" in checked.stdout
    assert run("db", "rebuild").exit_code == 0
    assert run("db", "rebuild", "--check").exit_code == 0


# -- db rebuild under damage and under load (issue 19) -------------------------------------------


def test_rebuild_restores_a_reviewed_card_whose_state_row_is_missing(tmp_path):
    """The row is rebuilt from the card's reviews, not reset to new."""
    conn = store_with(tmp_path, {"a": basic_deck("a", 10)})
    simulate(conn, days=5)
    card_id = conn.execute("SELECT card_id FROM reviews GROUP BY card_id HAVING count(*) > 2 LIMIT 1").fetchone()[0]
    before = reviewing.state_row(conn, card_id)
    with conn:
        conn.execute("DELETE FROM card_state WHERE card_id = ?", (card_id,))
    report = rebuild(conn, write=True)
    assert reviewing.state_row(conn, card_id) == before != reviewing.NEW
    assert [(d[0], d[1]) for d in report.differences] == [(card_id, None)]
    assert rebuild(conn, write=False).differences == []


def answer_from_another_process(path, card_id, clock):
    """Answer `card_id` on a connection of its own, in a thread (as a second process would)."""
    import threading

    from studyctl.store.db import connect

    def work():
        other = connect(path)
        card = reviewing.card(other, card_id)
        session(other, clock, settings(desired_retention=0.85, new_cards_per_day=8)).answer(card, 1)
        other.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_rebuild_never_overwrites_an_answer_saved_while_it_runs(tmp_path, monkeypatch):
    """Driven interleaving: rebuild has read the log, then an answer is saved, then rebuild
    writes. Rebuild holds the write lock from its first read, so the answer waits and builds
    on the repaired state: nothing is lost and the states agree with the log."""
    import studyctl.srs.replay as replay_module

    conn = store_with(tmp_path, {"a": basic_deck("a", 10)})
    simulate(conn, days=5)
    card_id = conn.execute("SELECT card_id FROM reviews ORDER BY id DESC LIMIT 1").fetchone()[0]
    with conn:
        conn.execute("UPDATE card_state SET stability = 999 WHERE card_id = ?", (card_id,))
    answering = []
    real_replay = replay_module.replay_card

    def replay_while_an_answer_comes_in(*args, **kwargs):
        if not answering:
            clock = Clock(dt.datetime(2026, 12, 31, 19, 0, tzinfo=dt.timezone.utc))
            answering.append(answer_from_another_process(tmp_path / "s.db", card_id, clock))
            answering[0].join(timeout=1.0)  # done at once without the fix; waits for our lock with it
        return real_replay(*args, **kwargs)

    monkeypatch.setattr(replay_module, "replay_card", replay_while_an_answer_comes_in)
    rebuild(conn, write=True)
    answering[0].join()
    monkeypatch.undo()
    assert conn.execute("SELECT max(reviewed_at) FROM reviews WHERE card_id = ?", (card_id,)).fetchone()[0] == (
        "2026-12-31T19:00:00+00:00"
    )
    assert rebuild(conn, write=False).differences == []


def test_rebuild_check_reads_one_snapshot_while_answers_come_in(tmp_path, monkeypatch):
    """An answer committed between reading the states and reading the log is not a difference."""
    conn = store_with(tmp_path, {"a": basic_deck("a", 10)})
    simulate(conn, days=5)
    card_id = conn.execute("SELECT card_id FROM reviews ORDER BY id DESC LIMIT 1").fetchone()[0]
    real_reviews = reviewing.all_reviews

    def reviews_after_an_answer(connection):
        clock = Clock(dt.datetime(2026, 12, 31, 19, 0, tzinfo=dt.timezone.utc))
        answer_from_another_process(tmp_path / "s.db", card_id, clock).join()
        return real_reviews(connection)

    monkeypatch.setattr(reviewing, "all_reviews", reviews_after_an_answer)
    assert rebuild(conn, write=False).differences == []
    monkeypatch.undo()
    assert rebuild(conn, write=False).differences == []  # and the answer is there, consistent


# -- rebuilding the live tables from the journal -----------------------------------------------

LIVE = {
    "reviews": "SELECT card_id, reviewed_at, rating, duration_ms, kind, grading, answer, due_after, scheduler_id, uid "
    "FROM reviews ORDER BY uid",
    "task_log": "SELECT roadmap, task, status, minutes, day, logged_at, uid FROM task_log ORDER BY uid",
    "lab_runs": "SELECT lab, started_at, seconds, device, passed, steps, metrics, files_hash, uid FROM lab_runs "
    "ORDER BY uid",
    "card_marks": "SELECT * FROM card_marks ORDER BY card_id",
    "card_state": "SELECT * FROM card_state ORDER BY card_id",
}


def live_tables(conn) -> dict[str, list[tuple]]:
    """The live tables less local row ids (lab steps and metrics as what their JSON says)."""
    tables = {table: [tuple(row) for row in conn.execute(sql)] for table, sql in LIVE.items()}
    tables["lab_runs"] = [(*row[:5], json.loads(row[5]), json.loads(row[6]), *row[7:]) for row in tables["lab_runs"]]
    return tables


def random_session(conn, seed: int) -> None:
    """A week of answers and undos, with suspensions, burials and flags (some taken back),
    task log entries and lab runs in between."""
    from studyctl.store.labruns import insert_run
    from studyctl.store.tasks import log_task

    rng = random.Random(seed)
    clock = Clock()
    for _ in range(7):
        sess = session(conn, clock, settings(new_cards_per_day=8))
        for _ in range(25):
            card = sess.next_card()
            if card is None:
                break
            roll = rng.random()
            if roll < 0.08:
                sess.suspend(card)
            elif roll < 0.14:
                sess.bury(card)
            elif roll < 0.2:
                sess.flag(card, f"note {rng.randint(1, 9)}")
            else:
                sess.answer(card, rng.choice([1, 2, 3, 3, 4]), duration_ms=rng.randint(1000, 20000))
            if rng.random() < 0.15:
                sess.undo()
            clock.advance(seconds=rng.randint(5, 90))
        stamp = clock.now.isoformat(timespec="seconds")
        log_task(conn, "r", f"t{rng.randint(1, 4)}", rng.choice(["progress", "done"]), 20, str(clock.now.date()), stamp)
        insert_run(
            conn, lab="mlp", started_at=stamp, seconds=1.5, device="cpu", passed=rng.random() < 0.5,
            steps=[{"name": "shape", "status": "pass", "message": "ok"}], metrics={"acc": rng.random()}, files_hash="h",
        )  # fmt: skip
        clock.now = dt.datetime.combine(clock.now.date() + dt.timedelta(days=1), dt.time(19), dt.timezone.utc)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rebuild_from_the_journal_gives_back_the_live_tables(tmp_path, seed):
    conn = store_with(tmp_path, {"a": basic_deck("a", 30)})
    random_session(conn, seed)
    live = live_tables(conn)
    assert live["card_marks"] and live["task_log"] and live["lab_runs"] and len(live["reviews"]) > 50
    assert rebuild(conn, write=False, from_journal=True).journal.differences == 0

    with conn:  # lose every live row: the journal alone must give them back
        for table in ("reviews", "task_log", "lab_runs", "card_marks"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("UPDATE card_state SET state = 'new', stability = NULL, reps = 0")
    report = rebuild(conn, write=True, from_journal=True)
    assert report.journal.differences > 0
    assert live_tables(conn) == live
    assert rebuild(conn, write=False, from_journal=True).journal.differences == 0


def test_rebuild_from_the_journal_removes_rows_no_event_explains(tmp_path, run):
    conn = store_with(tmp_path, {"a": basic_deck("a", 10)})
    random_session(conn, 4)
    live = live_tables(conn)
    card_id = live["reviews"][0][0]
    with conn:
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, kind, uid) VALUES (?, '2026-11-30T10:00:00+00:00', 4, "
            "'review', 'stray')",
            (card_id,),
        )
        conn.execute("INSERT INTO task_log (roadmap, task, status, minutes, uid) VALUES ('r', 'x', 'done', 5, NULL)")
        conn.execute("UPDATE task_log SET minutes = 999 WHERE id = (SELECT min(id) FROM task_log WHERE uid > '')")
    found = rebuild(conn, write=False, from_journal=True).journal
    counts = {table.table: (len(table.missing), len(table.extra), len(table.changed)) for table in found.tables}
    assert counts == {"reviews": (0, 1, 0), "task_log": (0, 1, 1), "lab_runs": (0, 0, 0)}
    rebuild(conn, write=True, from_journal=True)
    assert live_tables(conn) == live


def test_db_rebuild_from_journal_command(run, studyctl_home):
    from studyctl.store.db import connect

    assert run("decks").exit_code == 0
    conn = connect(studyctl_home / "studyctl.db")
    simulate(conn, days=2)
    assert run("db", "rebuild", "--from-journal", "--check").exit_code == 0
    with conn:
        conn.execute("DELETE FROM reviews WHERE id IN (SELECT id FROM reviews LIMIT 3)")
    checked = run("db", "rebuild", "--from-journal", "--check")
    assert checked.exit_code == 1 and "reviews: 3 missing, 0 extra, 0 changed" in checked.stdout
    assert run("db", "rebuild", "--from-journal").exit_code == 0
    assert run("db", "rebuild", "--from-journal", "--check").exit_code == 0
