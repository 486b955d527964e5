"""Issue 13's acceptance: studyctl and real Anki (the `anki` package, tests only) exchange cards
and review history both ways, with Anki's own scheduler doing Anki's reviews."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    DeckIdLimit,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
from conftest import write

from studyctl import paths
from studyctl.service.home import Home

CUSTOM_FIELDS = ("Word", "Meaning", "Example", "Notes")


def custom_notetype(col: Collection) -> dict:
    """A note type of our own: 4 fields, 2 templates that are not a simple reverse."""
    models = col.models
    notetype = models.new("Vocab 4x2")
    for name in CUSTOM_FIELDS:
        models.add_field(notetype, models.new_field(name))
    first = models.new_template("Recognise")
    first["qfmt"] = "{{Word}}"
    first["afmt"] = '{{FrontSide}}<hr id="answer">{{Meaning}}<br>{{Example}}'
    second = models.new_template("Produce")
    second["qfmt"] = "{{Meaning}}{{#Notes}}<br><i>{{Notes}}</i>{{/Notes}}"
    second["afmt"] = '{{FrontSide}}<hr id="answer">{{Word}}'
    models.add_template(notetype, first)
    models.add_template(notetype, second)
    models.add(notetype)
    return models.by_name("Vocab 4x2")


def far_from_rollover(col: Collection) -> None:
    """Anki's day starts at 4 am: a learning step that would land after it waits for tomorrow,
    so run at 3:55 the same 24 answers found fewer cards. Put the day's start 12 hours away."""
    prefs = col.get_preferences()
    prefs.scheduling.rollover = (dt.datetime.now().astimezone().hour + 12) % 24
    col.set_preferences(prefs)


def build_collection(path: Path) -> Collection:
    """Stock Basic, Basic-and-reversed, type-in, Cloze (hints, nested), a custom 4-field 2-template
    note type, HTML, media, nested decks; FSRS on."""
    col = Collection(str(path))
    col.set_config("fsrs", True)
    far_from_rollover(col)
    top = col.decks.id("Languages")
    sub = col.decks.id("Languages::French::Verbs")
    image = path.parent / "cat.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    col.media.add_file(str(image))

    def add(notetype: str | dict, deck: int, **fields: str) -> None:
        model = col.models.by_name(notetype) if isinstance(notetype, str) else notetype
        note = col.new_note(model)
        for name, value in fields.items():
            note[name.replace("_", " ")] = value
        col.add_note(note, deck)

    add("Basic", top, Front="<b>bonjour</b>", Back='hello <img src="cat.png">')
    add("Basic", sub, Front="x<sup>2</sup> means?", Back="x <i>squared</i>")
    add("Basic (and reversed card)", top, Front="chat", Back="cat")
    add("Basic (and reversed card)", sub, Front="manger", Back="to eat")
    add("Basic (type in the answer)", top, Front="Speed of light (km/s)?", Back="<b>300000</b>")
    add("Cloze", top, Text="{{c1::Paris}} is the capital of {{c2::France::country}}", Back_Extra="")
    add("Cloze", sub, Text="{{c1::Attention {{c2::is all}} you}} need")
    custom = custom_notetype(col)
    add(custom, sub, Word="aller", Meaning="to go", Example="je vais", Notes="irregular")
    return col


def review_in_anki(col: Collection, answers: int, ratings=(3, 3, 1, 3, 4, 2)) -> int:
    """Answer `answers` cards with Anki's own scheduler; returns how many were answered."""
    done = 0
    for deck in ("Languages",):
        col.decks.select(col.decks.id(deck))
    while done < answers:
        card = col.sched.getCard()
        if card is None:
            break
        col.sched.answerCard(card, ratings[done % len(ratings)])
        done += 1
    return done


def export_from_anki(col: Collection, out: Path, *, legacy: bool, deck: str | None = None) -> Path:
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy)
    limit = DeckIdLimit(col.decks.id(deck)) if deck else None
    col.export_anki_package(out_path=str(out), options=options, limit=limit)
    return out


def import_into_anki(col: Collection, package: Path, *, with_scheduling: bool = True):
    options = ImportAnkiPackageOptions(
        update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=with_scheduling,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log


def db(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "studyctl.db")
    conn.row_factory = sqlite3.Row
    return conn


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "anki21"])
def test_anki_collection_and_its_review_history_come_into_studyctl(run, tmp_path, studyctl_home, legacy):
    col = build_collection(tmp_path / "phone.anki2")
    try:
        answered = review_in_anki(col, 24)
        cards = col.find_cards("")
        suspended, flagged = cards[0], cards[1]
        col.sched.suspend_cards([suspended])
        col.set_user_flag_for_cards(1, [flagged])
        revlog = col.db.scalar("SELECT count() FROM revlog")
        anki_cards = len(cards)
        package = export_from_anki(col, tmp_path / "phone.apkg", legacy=legacy)
    finally:
        col.close()
    assert answered == 24 and revlog == 24 and anki_cards == 13

    result = run("import", "anki", str(package), "--as", "phone")

    assert result.exit_code == 0, result.stderr
    assert "Imported 9 cards" in result.stdout  # 8 notes; the custom note type's 2nd template its own card
    assert "24 of 24 Anki reviews merged" in result.stdout, result.stdout
    deck_file = paths.user_content_dir() / "decks" / "phone.yaml"
    text = deck_file.read_text(encoding="utf-8")
    assert "reverse: true" in text and "![](cat.png)" in text and "French::Verbs" in text
    assert "{{c1::Attention {{c2::is all}} you}} need" in text
    assert (paths.user_content_dir() / "media" / "cat.png").read_bytes().startswith(b"\x89PNG")
    assert "answer: '300000'" in text  # a type-in answer is plain text, no **bold**
    conn = db(studyctl_home)
    assert conn.execute("SELECT count(*) FROM cards WHERE deck = 'phone'").fetchone()[0] == anki_cards
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == revlog
    assert conn.execute("SELECT count(*) FROM journal WHERE kind = 'review'").fetchone()[0] == revlog
    reviewed = conn.execute("SELECT count(DISTINCT card_id) FROM reviews").fetchone()[0]
    rebuilt = conn.execute("SELECT count(*) FROM card_state WHERE state != 'new'").fetchone()[0]
    assert rebuilt == reviewed > 0
    assert conn.execute("SELECT sum(reps) FROM card_state").fetchone()[0] == revlog
    marks = conn.execute("SELECT suspended, flag_note FROM card_marks").fetchall()
    assert sorted((m[0], m[1]) for m in marks) == [(0, "Anki flag: red"), (1, None)]
    events = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    conn.close()

    again = run("import", "anki", str(package))

    assert again.exit_code == 0, again.stderr
    assert "0 of 24 Anki reviews merged" in again.stdout and "skipped 24: imported before" in again.stdout
    conn = db(studyctl_home)
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == events  # nothing added
    conn.close()
    check = run("validate", "--strict", str(deck_file))
    assert check.exit_code == 0, check.stdout + check.stderr


def test_a_round_trip_into_the_original_collection_adds_no_note(run, tmp_path, studyctl_home):
    col = build_collection(tmp_path / "desk.anki2")
    try:
        package = export_from_anki(col, tmp_path / "desk.apkg", legacy=False)
        notes_before = col.note_count()
    finally:
        col.close()
    assert run("import", "anki", str(package), "--as", "desk").exit_code == 0
    back = tmp_path / "back.apkg"
    result = run("export", "anki", "--deck", "desk", "-o", str(back))
    assert result.exit_code == 0, result.stderr
    col = Collection(str(tmp_path / "desk.anki2"))
    try:
        log = import_into_anki(col, back, with_scheduling=False)
        assert col.note_count() == notes_before
        assert len(log.new) == 0
    finally:
        col.close()


DECK = """
id: fsrs
title: FSRS both ways
cards:
  - {id: a, type: basic, front: "Alpha?", back: "A"}
  - {id: b, type: basic, front: "Beta?", back: "B", reverse: true}
  - {id: c, type: cloze, text: "{{c1::Gamma}} and {{c2::delta}}"}
  - {id: d, type: basic, front: "Epsilon?", back: "E"}
  - {id: e, type: basic, front: "Zeta?", back: "Z"}
"""


def studyctl_reviews(content: Path, start: dt.datetime) -> None:
    """A few days of reviews at the terminal, ending before now (the real clock Anki uses)."""
    import random

    from studyctl.srs.session import ReviewSession

    clock = {"now": start}
    home = Home((content,), clock=lambda: clock["now"])
    home.sync_decks()
    for day in range(4):
        clock["now"] = start + dt.timedelta(days=day)
        session = ReviewSession(
            home.conn, home.settings, decks=["fsrs"], clock=lambda: clock["now"], rng=random.Random(day)
        )
        for _ in range(12):
            card = session.next_card()
            if card is None or card.note == "e":
                break
            session.answer(card, 3 if (card.note, day) != ("d", 2) else 1, duration_ms=4000)
            clock["now"] += dt.timedelta(minutes=11)
    home.close()


def test_schedule_goes_to_anki_and_reviews_done_there_come_back(run, tmp_path, studyctl_home):
    content = tmp_path / "content"
    write(content / "decks" / "fsrs.yaml", DECK)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    studyctl_reviews(content, now - dt.timedelta(days=5))
    out = tmp_path / "fsrs.apkg"
    result = run("--content", str(content), "export", "anki", "--deck", "fsrs", "--with-schedule", "-o", str(out))
    assert result.exit_code == 0, result.stderr

    conn = db(studyctl_home)
    states = {
        (row["note"], row["ord"]): dict(row)
        for row in conn.execute("SELECT c.note, c.ord, s.* FROM cards c JOIN card_state s ON s.card_id = c.id")
    }
    own_reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    conn.close()
    col = Collection(str(tmp_path / "fresh.anki2"))
    try:
        col.set_config("fsrs", True)
        import_into_anki(col, out)
        today = col.sched.today
        seen = 0
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            note = card.note()
            key = (_note_id(note), card.ord + 1 if "cloze" in note.note_type()["name"] else card.ord)
            state = states[key]
            if state["state"] == "new":
                assert card.type == 0
                continue
            seen += 1
            due = dt.datetime.fromisoformat(state["due"])
            if card.queue in (2, 3):  # a review, or a learning step that ends after the next 4 am
                local_day = (due.astimezone() - dt.timedelta(hours=4)).date()
                # Anki's day starts at 4 am too: just after midnight it is still yesterday there
                anki_today = (dt.datetime.now().astimezone() - dt.timedelta(hours=4)).date()
                anki_day = anki_today + dt.timedelta(days=card.due - today)
                assert anki_day == local_day, key
            else:
                assert abs(card.due - due.timestamp()) < 2, key
            assert card.memory_state.stability == pytest.approx(
                state["stability"], rel=1e-3, abs=1e-4
            )  # Anki keeps 4 decimals
            assert card.memory_state.difficulty == pytest.approx(state["difficulty"], rel=1e-3, abs=1e-4)
        assert seen >= 4
        assert col.db.scalar("SELECT count() FROM revlog") == own_reviews

        # reviews on the phone: the new card, then one review card ahead of time
        col.decks.select(col.decks.id("studyctl::fsrs"))
        phone = 0
        while (card := col.sched.getCard()) is not None and phone < 4:
            col.sched.answerCard(card, 3)
            phone += 1
        assert phone >= 1
        back = export_from_anki(col, tmp_path / "phone.apkg", legacy=False)
    finally:
        col.close()

    result = run("--content", str(content), "import", "anki", str(back))

    assert result.exit_code == 0, result.stderr
    assert f"{phone} of {own_reviews + phone} Anki reviews merged" in result.stdout, result.stdout
    assert f"skipped {own_reviews}: already in studyctl's log" in result.stdout
    conn = db(studyctl_home)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == own_reviews + phone
    _expect_fsrs_replay(conn)
    conn.close()


def _note_id(note) -> str:
    from studyctl.anki.identity import note_guid

    for card_id in "abcde":
        if note_guid("fsrs", card_id) == note.guid:
            return card_id
    raise AssertionError(note.guid)


def _expect_fsrs_replay(conn: sqlite3.Connection) -> None:
    """Every card's state is what FSRS computes from its merged log (studyctl's chosen due
    dates kept; Anki's reviews scheduled by FSRS itself)."""
    from fsrs import Card, Rating, Scheduler

    configs = {
        row[0]: Scheduler.from_dict(json.loads(row[1])) for row in conn.execute("SELECT id, config FROM schedulers")
    }
    for card_id, due, stability in conn.execute("SELECT card_id, due, stability FROM card_state WHERE state != 'new'"):
        card = Card(card_id=card_id)
        rows = conn.execute(
            "SELECT reviewed_at, rating, duration_ms, due_after, scheduler_id FROM reviews WHERE card_id = ?"
            " AND kind != 'cram' ORDER BY reviewed_at, uid",
            (card_id,),
        ).fetchall()
        for row in rows:
            at = dt.datetime.fromisoformat(row["reviewed_at"])
            card, _ = configs[row["scheduler_id"]].review_card(card, Rating(row["rating"]), review_datetime=at)
            if row["due_after"]:
                card.due = dt.datetime.fromisoformat(row["due_after"])
        assert card.stability == pytest.approx(stability)
        assert card.due.isoformat(timespec="seconds") == dt.datetime.fromisoformat(due).isoformat(timespec="seconds")
