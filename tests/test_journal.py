"""The journal: every change is an append-only event with a globally unique id and its device;
the live tables carry the uid of the event that made each row; an undo is an event too; and a
database from before the journal gets one, filled from what it already held."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlite_utils import Database
from srs_helpers import Clock, basic_deck, session, store_with

from studyctl.store import journal, reviewing
from studyctl.store.db import SCHEMA_VERSION, connect
from studyctl.store.labruns import insert_run, mark_tasks_done
from studyctl.store.tasks import log_task


def kinds(conn) -> list[str]:
    return [event.kind for event in journal.events(conn)]


def test_an_answer_is_a_review_event_named_by_card_key_and_the_row_carries_its_uid(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 2)})
    sess = session(conn, Clock())
    card = sess.next_card()
    answer = sess.answer(card, 3, duration_ms=4200, grading="self")
    [event] = list(journal.events(conn))
    assert event.kind == "review" and event.subject == "d/c0/0" and event.uid == answer.uid
    assert event.device == journal.device_id(conn) and len(event.uid) == 32
    assert event.data["card"] == "d/c0/0" and event.data["rating"] == 3 and event.data["duration_ms"] == 4200
    assert json.loads(event.data["scheduler"])  # the configuration itself, not a local id
    assert conn.execute("SELECT uid FROM reviews").fetchone()[0] == answer.uid


def test_undo_is_an_event_and_the_journal_keeps_everything(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 2)})
    sess = session(conn, Clock())
    card = sess.next_card()
    answer = sess.answer(card, 3)
    sess.undo()
    events = list(journal.events(conn))
    assert [e.kind for e in events] == ["review", "undo"]
    assert events[1].data == {"target": answer.uid} and events[1].subject == "d/c0/0"
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0  # the live log has no answer
    assert journal.undone(conn, [answer.uid]) == {answer.uid}
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM journal")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE journal SET kind = 'x'")


def test_suspend_bury_and_flag_are_mark_events_and_each_can_be_undone(tmp_path):
    conn = store_with(tmp_path, {"d": basic_deck("d", 3)})
    clock = Clock()
    sess = session(conn, clock)
    first = sess.next_card()
    sess.suspend(first)
    assert reviewing.marks(conn, first.id)["suspended"] == 1
    second = sess.next_card()
    sess.flag(second, "the answer is wrong")
    sess.bury(second)
    assert sess.undo().action == "bury"
    assert reviewing.marks(conn, second.id)["buried_until"] is None
    assert reviewing.marks(conn, second.id)["flag_note"] == "the answer is wrong"  # the flag stays
    assert sess.undo().action == "flag"
    assert reviewing.marks(conn, second.id) is None  # nothing left: the row is gone
    undone = sess.undo()
    assert undone.action == "suspend" and undone.card.id == first.id
    assert reviewing.marks(conn, first.id) is None
    assert sess.next_card().id == first.id  # an unsuspended card comes back at once
    assert kinds(conn) == ["mark", "mark", "mark", "undo", "undo", "undo"]


def test_marks_fold_in_time_order_whatever_order_they_arrive(tmp_path):
    """Marks are rebuilt from events sorted by time, so a later change wins even when it was
    written first (as when another device's older events arrive by sync)."""
    conn = store_with(tmp_path, {"d": basic_deck("d", 1)})
    card_id = conn.execute("SELECT id FROM cards").fetchone()[0]
    with conn:
        reviewing.write_marks(conn, card_id, {"suspended": 0}, at="2026-12-02T10:00:00+00:00")
        reviewing.write_marks(conn, card_id, {"suspended": 1}, at="2026-12-01T10:00:00+00:00")
        reviewing.refold_marks(conn, card_id)
    assert reviewing.marks(conn, card_id) is None  # the 2 December change (unsuspended) is the last


def test_task_entries_and_lab_runs_are_events(tmp_path):
    conn = connect(tmp_path / "s.db")
    uid = log_task(conn, "r", "read", "progress", 30, "2026-12-02", "2026-12-02T20:00:00+00:00")
    assert mark_tasks_done(
        conn, "r", ["read", "lab"], minutes=45, day="2026-12-02", logged_at="2026-12-02T21:00:00+00:00"
    ) == ["read", "lab"]
    assert (
        mark_tasks_done(conn, "r", ["lab"], minutes=45, day="2026-12-02", logged_at="2026-12-02T21:01:00+00:00") == []
    )
    run_id = insert_run(
        conn, lab="mlp", started_at="2026-12-02T21:00:00+00:00", seconds=3.0, device="cpu", passed=True,
        steps=[{"name": "a", "status": "pass"}], metrics={"acc": 0.97}, files_hash="h",
    )  # fmt: skip
    events = list(journal.events(conn))
    assert [(e.kind, e.subject) for e in events] == [
        ("task", "r/read"),
        ("task", "r/read"),
        ("task", "r/lab"),
        ("lab", "mlp"),
    ]
    assert events[0].uid == uid and events[0].data["minutes"] == 30
    assert events[3].data["metrics"] == {"acc": 0.97} and events[3].data["passed"] is True
    assert conn.execute("SELECT uid FROM lab_runs WHERE id = ?", (run_id,)).fetchone()[0] == events[3].uid
    assert {row[0] for row in conn.execute("SELECT uid FROM task_log")} == {e.uid for e in events[:3]}


def test_uids_are_unique_and_sort_by_time():
    earlier, later = journal.new_uid(1_000), journal.new_uid(2_000)
    assert earlier < later and len({journal.new_uid(5) for _ in range(1000)}) == 1000


def test_a_database_from_before_the_journal_gets_one_filled_from_its_history(tmp_path):
    """Schema 2 (no journal) with answers, a task entry, a lab run and a flag: after migrating,
    each has its event and its row its uid, and the device id exists."""
    from studyctl.store import migrations

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    raw.row_factory = sqlite3.Row
    migrations.migration.apply(Database(raw), stop_before="m003_journal")
    raw.execute("PRAGMA user_version = 2")
    raw.execute("INSERT INTO decks (id, title) VALUES ('d', 'D')")
    raw.execute("INSERT INTO cards (id, deck, note, ord, type, front) VALUES (7, 'd', 'n', 0, 'basic', 'Q')")
    raw.execute("INSERT INTO schedulers (id, config, created_at) VALUES (1, '{\"k\": 1}', '')")
    for n, at in enumerate(("2026-11-01T20:00:00+00:00", "2026-11-02T20:00:00+00:00")):
        raw.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, grading, due_after, scheduler_id) "
            "VALUES (7, ?, 3, 5000, ?, 'self', '2026-11-05T20:00:00+00:00', 1)",
            (at, "new" if n == 0 else "learning"),
        )
    raw.execute(
        "INSERT INTO task_log (roadmap, task, status, minutes, day, logged_at) "
        "VALUES ('r', 't', 'done', 20, '2026-11-02', '2026-11-02T21:00:00+00:00')"
    )
    raw.execute(
        "INSERT INTO lab_runs (lab, started_at, seconds, device, passed, steps, metrics, files_hash) "
        "VALUES ('mlp', '2026-11-02T22:00:00+00:00', 1.0, 'cpu', 1, '[]', '{}', 'h')"
    )
    raw.execute(
        "INSERT INTO card_marks (card_id, suspended, leech, flag_note, flagged_at) "
        "VALUES (7, 0, 0, 'typo', '2026-11-02T20:01:00+00:00')"
    )
    raw.commit()
    raw.close()

    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    events = list(journal.events(conn))
    assert [e.kind for e in events] == ["review", "review", "task", "lab", "mark"]
    assert events[0].subject == "d/n/0" and events[0].data["scheduler"] == '{"k": 1}'
    assert events[0].uid < events[1].uid  # time-ordered like the answers
    assert events[4].data == {
        "card": "d/n/0",
        "set": {
            "suspended": 0,
            "leech": 0,
            "buried_until": None,
            "flag_note": "typo",
            "flagged_at": "2026-11-02T20:01:00+00:00",
        },
    }
    for table in ("reviews", "task_log", "lab_runs"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE uid IS NULL").fetchone()[0] == 0
    assert journal.device_id(conn)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE reviews SET rating = 1")  # the review log's own guard is back
