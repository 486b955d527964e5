"""`studyctl optimize` benchmark: both engines on the same simulated review history.

Generates a history with the simulated learner of studyctl.srs.simulate (memory following
FSRS with hidden parameters far from the defaults, reviewing through the real ReviewSession),
then fits each engine on the same 80% of the cards and scores the FSRS defaults and the fitted
parameters on the other 20%. Prints reviews, generation time, and for each engine the fitting
time and the held-out log loss and RMSE (bins) before and after. The issue's goal: on at least
10,000 reviews, optimize finishes and lowers the log loss.

    .venv/bin/python benchmarks/optimize.py [--cards 1000] [--days 100] [--seed 0] [--engines rs,torch]

The torch engine needs torch, pandas and tqdm; it is skipped with a note when they are missing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", default="rs,torch")
    args = parser.parse_args()

    os.environ["TZ"] = "UTC"  # study days follow local time: pin it so the history is the same anywhere
    time.tzset()

    from studyctl.settings import Settings
    from studyctl.srs import optimize as fitting
    from studyctl.srs.simulate import new_store, simulate

    with tempfile.TemporaryDirectory() as folder:
        conn = new_store(Path(folder) / "studyctl.db", args.cards)
        settings = Settings()
        sim = simulate(conn, settings, days=args.days, seed=args.seed)
        print(
            f"history: {sim.reviews} reviews of {sim.cards_seen} cards over {sim.days} days, "
            f"generated in {sim.seconds:.1f} s"
        )
        print(f"{'engine':<8}{'fit s':>8}{'log loss before':>17}{'after':>9}{'RMSE before':>13}{'after':>9}  held-out")
        for engine in args.engines.split(","):
            try:
                result = fitting.optimize(conn, settings.review, engine=engine)
            except fitting.OptimizeError as exc:
                print(f"{engine:<8}skipped: {exc}")
                continue
            before, after = result.before, result.after
            print(
                f"{engine:<8}{result.seconds:>8.2f}{before.log_loss:>17.4f}{after.log_loss:>9.4f}"
                f"{before.rmse_bins:>13.4f}{after.rmse_bins:>9.4f}  "
                f"{result.held_out_cards} cards, {before.reviews} reviews; trained on {result.train_reviews} answers"
            )
        conn.close()


if __name__ == "__main__":
    main()
