"""Start-up benchmark: `studyctl today --plain` against `python -c "import click"`.

Builds a collection of 10,000 cards (ten deck files) and 100,000 reviews in a temporary
STUDYCTL_HOME, then times both commands interleaved, as whole processes, and reports the
medians and their ratio. The issue's goal: at most 2x.

    .venv/bin/python benchmarks/startup.py [--runs 40] [--cards 10000] [--reviews 100000]
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


def build_collection(home: Path, cards: int, reviews: int) -> None:
    decks = home / "content" / "decks"
    decks.mkdir(parents=True)
    per_deck = cards // 10
    for d in range(10):
        lines = [f"id: bench-{d}", f"title: Benchmark deck {d}", "cards:"]
        for c in range(per_deck):
            lines += [f"  - id: card-{c}", "    type: basic", f"    front: Question {d}-{c}?", f"    back: Answer {c}."]
        (decks / f"bench-{d}.yaml").write_text("\n".join(lines) + "\n")
    env = dict(os.environ, STUDYCTL_HOME=str(home))
    subprocess.run([sys.executable, "-m", "studyctl", "decks"], env=env, check=True, capture_output=True)

    from studyctl.store.db import connect

    conn = connect(home / "studyctl.db")
    rng = random.Random(7)
    now = dt.datetime.now(dt.timezone.utc)
    ids = [row[0] for row in conn.execute("SELECT id FROM cards")]
    seen = ids[: int(len(ids) * 0.8)]  # 80% of cards have been studied
    with conn:
        conn.executemany(
            "INSERT OR REPLACE INTO card_state "
            "(card_id, state, step, stability, difficulty, due, last_review, reps, lapses) "
            "VALUES (?, 'review', NULL, ?, ?, ?, ?, ?, 0)",
            [
                (
                    card_id,
                    rng.uniform(1, 300),
                    rng.uniform(1, 10),
                    (now + dt.timedelta(days=rng.uniform(-3, 60))).isoformat(timespec="seconds"),
                    (now - dt.timedelta(days=rng.uniform(1, 60))).isoformat(timespec="seconds"),
                    rng.randint(1, 20),
                )
                for card_id in seen
            ],
        )
        conn.executemany(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind) VALUES (?, ?, ?, ?, 'review')",
            [
                (
                    rng.choice(seen),
                    (now - dt.timedelta(minutes=rng.uniform(0, 365 * 24 * 60))).isoformat(timespec="seconds"),
                    rng.choice((1, 2, 3, 3, 3, 4)),
                    rng.randint(2000, 20000),
                )
                for _ in range(reviews)
            ],
        )
    conn.close()


def time_once(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        build_collection(home, args.cards, args.reviews)
        env = dict(os.environ, STUDYCTL_HOME=str(home))
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import click'": [sys.executable, "-c", "import click"],
            # the console script, as a user types it (python -m adds runpy's ~3 ms)
            "studyctl today --plain": [str(Path(sys.executable).with_name("studyctl")), "today", "--plain"],
        }
        for command in commands.values():  # warm the OS caches and .pyc files
            time_once(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(time_once(command, env))
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"collection: {args.cards} cards, {args.reviews} reviews; {args.runs} interleaved runs each")
    print(f"{'command':<28} {'median ms':>10} {'p90 ms':>8}")
    for name, values in times.items():
        p90 = sorted(values)[int(len(values) * 0.9) - 1] * 1000
        print(f"{name:<28} {medians[name]:>10.1f} {p90:>8.1f}")
    ratio = medians["studyctl today --plain"] / medians["python -c 'import click'"]
    print(f"ratio today --plain / import click: {ratio:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    main()
