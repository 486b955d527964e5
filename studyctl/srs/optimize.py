"""Fit FSRS parameters to the user's own review log (`studyctl optimize`), judged on held-out cards.

The cards are split 80/20 (seeded, so a rerun on the same log gives the same split); the
optimizer sees only the reviews of the training cards, and the current and the fitted
parameters are both scored on the held-out cards' reviews. The fitted parameters are saved
only when they predict those reviews better (lower log loss).

Scoring replays each held-out card through the `fsrs` package's own Scheduler, the code that
schedules studyctl's cards, and asks it for the recall probability at every review made at
least one 24-hour period after the card's previous one (the package counts days that way;
same-day reviews feed the short-term model and are not predictions). Log loss is the mean
binary cross-entropy of those predictions; RMSE (bins) compares the mean prediction with the
actual recall rate inside 20 bins of predicted probability, weighted by count (simpler than
fsrs-rs's own RMSE (bins), which groups reviews differently: compare before with after only).

Engine. Both were measured on the same simulated log (`benchmarks/optimize.py`, seed 0, a
shared 2-core machine): 10,283 answers of 1,000 cards; fitted on the 800 training cards (8,304
answers), scored on the 200 held-out cards' 1,100 long-term reviews:

    engine                          fit time    held-out log loss (defaults -> fitted)
    fsrs-rs-python 0.9.3 ("rs")     0.02-0.05 s 0.4262 -> 0.4066   (RMSE bins 0.050 -> 0.020)
    fsrs 6.3.2 Optimizer ("torch")  19-28 s     0.4262 -> 0.4122   (RMSE bins 0.050 -> 0.021)

Seeds 1 and 2 and a 21,305-answer log gave the same order (rs 0.4215 / 0.4039 / 0.4114 against
torch 0.4236 / 0.4067 / 0.4121; torch 31-65 s). fsrs-rs (the optimizer inside Anki, in Rust)
is the default: about a thousand times faster and more accurate. It first estimates the
first-day stabilities from the data and filters outliers, where the torch optimizer starts
from the defaults and runs five epochs of per-review Python autograd; and it needs only the
small `fsrs-rs-python` wheel, not torch and pandas. `--engine torch` keeps the `fsrs`
package's optimizer reachable (a dozen lines) for anyone who wants to compare.

Minimum. `optimize` refuses below MIN_REVIEWS review-state reviews (answers to a card in the
review state: each one tests memory after a day or more, which is what the parameters
predict). The `fsrs` package's optimizer does not train at all below 512 such reviews (one
mini-batch; it returns the defaults), and fsrs-rs fits only the four first-day stabilities
below 64 training items. With 1,000, the 80% of cards trained on carry about 800 (above one
mini-batch even when some fall within 24 hours of the previous answer) and the 20% held out
about 200. Judged on so few, the before/after comparison is noisy (on simulated logs of that
size it went either way by up to 0.015), which is why a fit is saved only when it wins; on
10,000 answers it won on every seed tried.

Re-optimizing. The machine state records the log's size at the last run; `studyctl today`
suggests a new run once REOPTIMIZE_AFTER more review-state reviews are in the log (or, before any
run, once there are MIN_REVIEWS). That check reads one row and runs one COUNT query: nothing in
this module imports fsrs, torch or fsrs-rs at the top.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from studyctl.errors import StudyctlError
from studyctl.srs.optimize_record import (  # noqa: F401  (re-exported: the record is part of the API)
    MIN_REVIEWS,
    REOPTIMIZE_AFTER,
    last_record,
    optimize_hint,
    reviews_since_optimize,
    write_record,
)
from studyctl.store import queries

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Sequence

    from studyctl.settings import ReviewSettings

HELD_OUT_SHARE = 0.2
SPLIT_SEED = 20261123
ENGINES = ("rs", "torch")
DEFAULT_ENGINE = "rs"
_BINS = 20


class OptimizeError(StudyctlError):
    """optimize cannot run: too few reviews, or the engine is not installed. The message says
    what to do."""


@dataclass(frozen=True)
class Review:
    at: dt.datetime
    rating: int
    duration_ms: int | None


@dataclass(frozen=True)
class Evaluation:
    """How well a parameter set predicts recall on a set of cards."""

    log_loss: float
    rmse_bins: float
    reviews: int  # the long-term reviews scored


@dataclass(frozen=True)
class OptimizeResult:
    engine: str
    parameters: tuple[float, ...]  # fitted on the training cards
    before: Evaluation  # current parameters (settings, else FSRS defaults), held-out cards
    after: Evaluation  # fitted parameters, held-out cards
    seconds: float  # fitting time only
    reviews: int  # answers in the log (cram excluded)
    review_state_reviews: int
    train_cards: int
    train_reviews: int
    held_out_cards: int
    last_review_id: int  # the log's newest answer when the fit started

    @property
    def improved(self) -> bool:
        return self.after.log_loss < self.before.log_loss

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["parameters"] = list(self.parameters)
        data["improved"] = self.improved
        return data


# -- the log ---------------------------------------------------------------------------------


def load_histories(conn: sqlite3.Connection) -> dict[int, list[Review]]:
    """Every card's answers in order, cram answers left out (they never touch the schedule)."""
    from studyctl.store import reviewing

    histories: dict[int, list[Review]] = {}
    for row in reviewing.all_reviews(conn):
        histories.setdefault(row["card_id"], []).append(
            Review(dt.datetime.fromisoformat(row["reviewed_at"]), row["rating"], row["duration_ms"])
        )
    return histories


def split_cards(
    card_ids: Iterable[int], share: float = HELD_OUT_SHARE, seed: int = SPLIT_SEED
) -> tuple[list[int], list[int]]:
    """(training, held-out) card ids: a seeded shuffle, so the same log always splits the same."""
    import random

    ids = sorted(card_ids)
    random.Random(seed).shuffle(ids)
    held = max(1, round(len(ids) * share)) if ids else 0
    return sorted(ids[held:]), sorted(ids[:held])


# -- scoring ---------------------------------------------------------------------------------


def evaluate(
    histories: dict[int, list[Review]], parameters: Sequence[float], review_settings: ReviewSettings
) -> Evaluation:
    """Log loss and RMSE (bins) of `parameters` on these cards' long-term reviews."""
    from fsrs import Card, Rating, Scheduler

    scheduler = Scheduler(
        parameters=tuple(parameters),
        desired_retention=review_settings.desired_retention,
        learning_steps=tuple(dt.timedelta(minutes=m) for m in review_settings.learning_steps),
        relearning_steps=tuple(dt.timedelta(minutes=m) for m in review_settings.relearning_steps),
        maximum_interval=review_settings.maximum_interval,
        enable_fuzzing=False,
    )
    loss, count = 0.0, 0
    bins = [[0, 0.0, 0] for _ in range(_BINS)]  # count, sum of predictions, recalls
    for card_id, history in histories.items():
        card = Card(card_id=card_id, due=history[0].at)
        for review in history:
            if card.last_review is not None and (review.at - card.last_review).days >= 1:
                p = min(max(float(scheduler.get_card_retrievability(card, review.at)), 1e-6), 1 - 1e-6)
                recalled = review.rating > 1
                loss -= math.log(p if recalled else 1 - p)
                count += 1
                slot = bins[min(int(p * _BINS), _BINS - 1)]
                slot[0] += 1
                slot[1] += p
                slot[2] += recalled
            card, _ = scheduler.review_card(card, Rating(review.rating), review_datetime=review.at)
    if not count:
        return Evaluation(math.nan, math.nan, 0)
    squares = sum((total / n - recalls / n) ** 2 * n for n, total, recalls in bins if n)
    return Evaluation(loss / count, math.sqrt(squares / count), count)


# -- engines ---------------------------------------------------------------------------------


def fit_rs(histories: dict[int, list[Review]], review_settings: ReviewSettings) -> list[float]:
    """fsrs-rs's compute_parameters: one training item per long-term review, holding the card's
    answers up to and including it, with days counted as the fsrs package counts them."""
    try:
        from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview
    except ImportError:
        raise OptimizeError(
            "the default engine needs fsrs-rs-python: pip install 'studyctl[optimize]' "
            "(or run with --engine torch where torch, pandas and tqdm are installed)"
        ) from None
    items = []
    for history in histories.values():
        reviews = [FSRSReview(history[0].rating, 0)]
        for i in range(1, len(history)):
            days = (history[i].at - history[i - 1].at).days
            reviews.append(FSRSReview(history[i].rating, days))
            if days >= 1:
                items.append(FSRSItem(list(reviews)))
    fsrs = FSRS(DEFAULT_PARAMETERS)
    return fsrs.compute_parameters(items, num_relearning_steps=len(review_settings.relearning_steps))


def fit_torch(histories: dict[int, list[Review]], review_settings: ReviewSettings) -> list[float]:
    """The `fsrs` package's own Optimizer (PyTorch; needs torch, pandas and tqdm)."""
    del review_settings  # the package's optimizer replays with its own default steps
    try:
        from fsrs import Rating, ReviewLog
        from fsrs.optimizer import Optimizer

        Optimizer([])  # the package defines a stub that raises ImportError when a dependency is missing
    except ImportError:
        raise OptimizeError(
            "--engine torch needs torch, pandas and tqdm: pip install 'studyctl[labs]' pandas tqdm"
        ) from None
    logs = [
        ReviewLog(card_id=card_id, rating=Rating(review.rating), review_datetime=review.at, review_duration=None)
        for card_id, history in histories.items()
        for review in history
    ]
    return list(Optimizer(logs).compute_optimal_parameters())


FITTERS = {"rs": fit_rs, "torch": fit_torch}


def valid_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """Rounded to 4 places and clamped to the bounds the fsrs package's Scheduler accepts (fsrs-rs
    works in float32 and its bounds differ slightly)."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    if len(parameters) != len(LOWER_BOUNDS_PARAMETERS):
        raise OptimizeError(f"the engine returned {len(parameters)} parameters, FSRS-6 has 21")
    return tuple(
        min(max(round(float(p), 4), low), high)
        for p, low, high in zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    )


# -- the whole run ---------------------------------------------------------------------------


def optimize(
    conn: sqlite3.Connection, review_settings: ReviewSettings, *, engine: str = DEFAULT_ENGINE
) -> OptimizeResult:
    """Fit on 80% of the cards, score current and fitted parameters on the other 20%.
    Raises OptimizeError below MIN_REVIEWS review-state reviews or when the engine is missing."""
    if engine not in FITTERS:
        raise OptimizeError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    have = queries.review_state_answers(conn)
    if have < MIN_REVIEWS:
        raise OptimizeError(
            f"not enough reviews to optimize: {have} review-state reviews in the log, {MIN_REVIEWS} needed "
            f"(answers to cards already learned; fewer than that and the fitted parameters are mostly noise). "
            f"Keep reviewing: FSRS's defaults serve you meanwhile."
        )
    last_review_id = queries.last_review_id(conn)
    histories = load_histories(conn)
    train_ids, held_ids = split_cards(histories)
    train = {card_id: histories[card_id] for card_id in train_ids}
    held = {card_id: histories[card_id] for card_id in held_ids}
    from fsrs.scheduler import DEFAULT_PARAMETERS

    current = tuple(review_settings.fsrs_parameters or DEFAULT_PARAMETERS)
    before = evaluate(held, current, review_settings)
    began = time.perf_counter()
    fitted = valid_parameters(FITTERS[engine](train, review_settings))
    seconds = time.perf_counter() - began
    after = evaluate(held, fitted, review_settings)
    return OptimizeResult(
        engine=engine,
        parameters=fitted,
        before=before,
        after=after,
        seconds=seconds,
        reviews=sum(len(history) for history in histories.values()),
        review_state_reviews=have,
        train_cards=len(train),
        train_reviews=sum(len(history) for history in train.values()),
        held_out_cards=len(held),
        last_review_id=last_review_id,
    )


def record_run(conn: sqlite3.Connection, result: OptimizeResult, *, saved: bool) -> None:
    """Remember the log's size at this run, so `today` can count what came since."""
    record = {
        "optimized_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "review_state_reviews": result.review_state_reviews,
        "last_review_id": result.last_review_id,
        "engine": result.engine,
        "log_loss_before": result.before.log_loss,
        "log_loss_after": result.after.log_loss,
        "saved": saved,
    }
    write_record(conn, record)
