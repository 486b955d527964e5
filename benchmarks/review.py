"""Review latency and `today` at scale.

Builds a collection of 100,000 cards (100 deck files, synced through the real sync) and
1,000,000 reviews, then measures:
- answer-to-next-card latency of a ReviewSession (p50, p95 over --answers answers);
- `studyctl today --plain` wall time at that size against a 1,000-card collection.
Goals from the SRS issue: p95 under 5 ms; the large collection within 1.2x the small one.

    .venv/bin/python benchmarks/review.py [--cards 100000] [--reviews 1000000] [--answers 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_decks(root: Path, cards: int, per_deck: int = 1000) -> None:
    decks = root / "decks"
    decks.mkdir(parents=True)
    for d in range(max(1, cards // per_deck)):
        lines = [f"id: deck-{d:03}", f"title: Deck {d}", "cards:"]
        for c in range(min(per_deck, cards)):
            lines.append(f"  - {{id: c{c}, type: basic, front: 'Question {d}-{c}?', back: 'Answer {c}.'}}")
        (decks / f"deck-{d:03}.yaml").write_text("\n".join(lines) + "\n")


def build(home: Path, cards: int, reviews: int) -> float:
    """Create the collection; returns the seconds the first (full) sync took."""
    write_decks(home / "content", cards)
    env = dict(os.environ, STUDYCTL_HOME=str(home))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "studyctl", "decks"], env=env, check=True, capture_output=True)
    sync_seconds = time.perf_counter() - started

    from studyctl.store.db import connect

    conn = connect(home / "studyctl.db")
    rng = random.Random(11)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    ids = [row[0] for row in conn.execute("SELECT id FROM cards")]
    seen = ids[: int(len(ids) * 0.8)]

    def iso(moment):
        return moment.isoformat(timespec="seconds")

    with conn:
        conn.execute(
            "INSERT INTO schedulers (config, created_at) VALUES (?, ?)",
            ("{}", iso(now)),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO card_state VALUES (?, 'review', NULL, ?, ?, ?, ?, ?, ?)",
            (
                (
                    card_id,
                    rng.uniform(2, 400),
                    rng.uniform(1, 10),
                    iso(now + dt.timedelta(days=rng.uniform(-2, 365))),
                    iso(now - dt.timedelta(days=rng.uniform(1, 300))),
                    rng.randint(1, 30),
                    rng.randint(0, 3),
                )
                for card_id in seen
            ),
        )
        conn.executemany(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, grading, due_after, scheduler_id) "
            "VALUES (?, ?, ?, ?, 'review', 'self', ?, 1)",
            (
                (
                    rng.choice(seen),
                    iso(now - dt.timedelta(seconds=rng.uniform(86400, 2 * 365 * 86400))),  # before today
                    rng.choice((1, 2, 3, 3, 3, 4)),
                    rng.randint(2000, 20000),
                    iso(now),
                )
                for _ in range(reviews)
            ),
        )
    conn.close()
    return sync_seconds


def answer_latency(home: Path, answers: int) -> tuple[list[float], float]:
    """Milliseconds from an answer to the next card shown, and the session start time."""
    from studyctl.settings import load_settings
    from studyctl.srs.session import ReviewSession
    from studyctl.store.db import connect

    conn = connect(home / "studyctl.db")
    settings = load_settings(home / "settings.yaml")
    started = time.perf_counter()
    session = ReviewSession(conn, settings)
    start_ms = (time.perf_counter() - started) * 1000
    rng = random.Random(5)
    card = session.next_card()
    samples = []
    while card is not None and len(samples) < answers:
        t0 = time.perf_counter()
        session.answer(card, rng.choice((1, 3, 3, 3, 4)), duration_ms=5000)
        card = session.next_card()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples, start_ms


def today_ms(home: Path, runs: int) -> float:
    env = dict(os.environ, STUDYCTL_HOME=str(home))
    command = [str(Path(sys.executable).with_name("studyctl")), "today", "--plain"]
    subprocess.run(command, env=env, check=True, capture_output=True)  # first run: caches
    subprocess.run(command, env=env, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        t0 = time.perf_counter()
        sync_seconds = build(big, args.cards, args.reviews)
        print(
            f"built {args.cards} cards / {args.reviews} reviews in {time.perf_counter() - t0:.0f} s "
            f"(first sync of {args.cards // 1000} deck files: {sync_seconds:.1f} s)"
        )
        build(small, 1000, 10_000)
        large_today = today_ms(big, args.runs)
        small_today = today_ms(small, args.runs)
        samples, start_ms = answer_latency(big, args.answers)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"review session start (queue build): {start_ms:.1f} ms")
    print(f"answer -> next card over {len(samples)} answers: p50 {p50:.2f} ms, p95 {p95:.2f} ms (goal p95 < 5 ms)")
    print(
        f"today --plain median: {large_today:.1f} ms at {args.cards} cards, {small_today:.1f} ms at 1000 cards: "
        f"{large_today / small_today:.2f}x (goal <= 1.2x)"
    )


if __name__ == "__main__":
    main()
