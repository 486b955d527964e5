"""Device sync at scale: one device's 100,000 events taken in by another, and a sync with
nothing new.

Builds two homes with the same decks (2,000 cards). Device A's journal gets --events events
written straight into it (90% answers spread over the cards, then undos of some answers, mark
changes, task log entries and lab runs), then measures:
- A's first `sync` (all its events into one segment of a plain shared folder);
- B's first `sync` (read the segment, add the events to the journal, write the live rows,
  replay every touched card);
- a sync with nothing new, on B (in-process, and `studyctl sync` as a command);
- then checks that B's card states equal a full replay (`db rebuild --check`).

    .venv/bin/python benchmarks/sync.py [--events 100000] [--cards 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_decks(home: Path, cards: int, per_deck: int = 1000) -> list[str]:
    decks = home / "content" / "decks"
    decks.mkdir(parents=True)
    keys = []
    for d in range(max(1, cards // per_deck)):
        lines = [f"id: deck-{d:02}", f"title: Deck {d}", "cards:"]
        for c in range(min(per_deck, cards)):
            lines.append(f"  - {{id: c{c}, type: basic, front: 'Question {d}-{c}?', back: 'Answer {c}.'}}")
            keys.append(f"deck-{d:02}/c{c}/0")
        (decks / f"deck-{d:02}.yaml").write_text("\n".join(lines) + "\n")
    (home / "settings.yaml").write_text("review:\n  fuzz: false\n")
    return keys


class At:
    """Use one STUDYCTL_HOME for the calls inside."""

    def __init__(self, home: Path):
        self.home = home

    def __enter__(self):
        from studyctl.service.home import Home

        os.environ["STUDYCTL_HOME"] = str(self.home)
        self.opened = Home()
        return self.opened

    def __exit__(self, *exc):
        self.opened.close()


def fill_journal(conn, keys: list[str], events: int, seed: int = 5) -> None:
    """Events as the store writes them, without running FSRS for each (that is the sessions'
    cost, not sync's)."""
    from studyctl.settings import ReviewSettings
    from studyctl.srs.scheduling import make_scheduler, scheduler_config
    from studyctl.store import journal
    from studyctl.store.db import write_transaction

    rng = random.Random(seed)
    config = scheduler_config(make_scheduler(ReviewSettings()))
    start = dt.datetime(2026, 1, 1, 19, tzinfo=dt.timezone.utc)
    answers = int(events * 0.9)
    step = dt.timedelta(days=300) / answers
    uids = []
    with write_transaction(conn):
        for n in range(answers):
            at = start + step * n
            stamp = at.isoformat(timespec="seconds")
            key = rng.choice(keys)
            data = {
                "card": key,
                "reviewed_at": stamp,
                "rating": rng.choice([1, 2, 3, 3, 3, 4]),
                "duration_ms": rng.randint(1000, 20000),
                "kind": "review",
                "grading": "self",
                "answer": None,
                "due_after": (at + dt.timedelta(days=rng.uniform(0.01, 30))).isoformat(timespec="seconds"),
                "scheduler": config,
            }
            uid = journal.new_uid(int(at.timestamp() * 1000))
            journal.append(conn, journal.REVIEW, key, data, at=stamp, uid=uid)
            uids.append((uid, key, stamp))
        rest = events - answers
        for n in range(rest):
            uid, key, stamp = uids[rng.randrange(len(uids))]
            kind = n % 10
            if kind < 4:
                journal.append(conn, journal.UNDO, key, {"target": uid}, at=stamp)
            elif kind < 7:
                journal.append(conn, journal.MARK, key, {"card": key, "set": {"suspended": n % 2}}, at=stamp)
            elif kind < 9:
                task = {"roadmap": "r", "task": f"t{n % 40}", "status": "progress", "minutes": 25,
                        "day": stamp[:10], "logged_at": stamp}  # fmt: skip
                journal.append(conn, journal.TASK, f"r/t{n % 40}", task, at=stamp)
            else:
                lab = {"lab": "mlp", "started_at": stamp, "seconds": 2.5, "device": "cpu", "passed": n % 3 == 0,
                       "steps": [{"name": "shape", "status": "pass"}], "metrics": {}, "files_hash": "h"}  # fmt: skip
                journal.append(conn, journal.LAB, "mlp", lab, at=stamp)


def timed(action):
    """(wall seconds, result); the CPU seconds of this process go to CPU[0] (on a busy shared
    machine the wall time says more about the neighbours than about sync)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    CPU[0] = time.process_time() - cpu
    return time.perf_counter() - started, result


CPU = [0.0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=2_000)
    args = parser.parse_args()

    from studyctl.service.sync import sync
    from studyctl.srs.replay import rebuild

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        a_home, b_home, folder = root / "a", root / "b", root / "shared"
        folder.mkdir()
        keys = write_decks(a_home, args.cards)
        write_decks(b_home, args.cards)
        with At(a_home) as a:
            a.sync_decks()
            fill_journal(a.conn, keys, args.events)
            seconds, result = timed(lambda: sync(a, folder))
            size = sum(p.stat().st_size for p in folder.rglob("*.jsonl"))
            print(
                f"A: first sync, {result.exported:,} events out ({size / 1e6:.1f} MB), its cards replayed: "
                f"{seconds:.2f} s ({CPU[0]:.2f} s CPU)"
            )
        with At(b_home) as b:
            b.sync_decks()
            seconds, result = timed(lambda: sync(b, folder))
            print(
                f"B: first sync, {result.imported:,} events in, {result.rows:,} live rows written, "
                f"cards replayed: {seconds:.2f} s ({CPU[0]:.2f} s CPU)"
            )
            seconds, result = timed(lambda: sync(b, folder))
            assert result.imported == 0 and result.exported == 0
            print(f"B: sync with nothing new (in-process): {seconds * 1000:.1f} ms ({CPU[0] * 1000:.1f} ms CPU)")
            report = rebuild(b.conn, write=False)
            print(f"B: {report.reviews:,} reviews of {report.cards:,} cards; states differing from a replay: "
                  f"{len(report.differences)}")  # fmt: skip
        env = dict(os.environ, STUDYCTL_HOME=str(b_home))
        seconds, _ = timed(
            lambda: subprocess.run([sys.executable, "-m", "studyctl", "sync"], env=env, check=True, capture_output=True)
        )
        print(f"B: `studyctl sync` with nothing new (a new process): {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
