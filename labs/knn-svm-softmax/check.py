"""Check for the knn-svm-softmax lab (cs231n assignment 1): eleven steps. The three distance
functions against scipy's cdist, the vote against a majority vote computed here, kNN on
scikit-learn's digits, then the SVM and softmax losses against torch's own
(F.multi_margin_loss, F.cross_entropy) and their gradients against float64 centred
differences, scores in the thousands for the softmax, and both classifiers trained with SGD
on the digits. Every step runs a visible case first, then seeded hidden ones with random shapes.

The learner's code is NumPy, so it runs on the CPU whatever --device says; the torch
references run on the chosen device (in float64, so on the CPU when that device is MPS)."""

import functools
import io
import tokenize
import traceback
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases

check = Check()
FILE = "classifiers.py"

# Library calls that would do the lab's work; this lab is NumPy only.
OTHER_LIBRARIES = {"torch", "scipy", "sklearn"}
DISTANCE_NAMES = {"cdist", "pdist", "pairwise_distances", "euclidean_distances", "distance_matrix"}
LOOP_WORDS = {"for", "while", "vectorize", "apply_along_axis", "frompyfunc"}
DISTANCE_HINT = (
    "dists[i, j] = sqrt(sum((X[i] - X_train[j]) ** 2)): one row per test point, one column per training point."
)
KNN_THRESHOLD = 0.95  # the reference: 0.986 with k = 1
LINEAR_THRESHOLD = 0.92  # the reference: SVM 0.96-0.97, softmax 0.95-0.96 over 8 seeds


# -- helpers -------------------------------------------------------------------------------------


def _f64_device(ctx) -> torch.device:
    """Where the float64 torch references run: the chosen device, except MPS (no float64)."""
    return torch.device("cpu") if ctx.device.type == "mps" else ctx.device


def _torch(ctx, array) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array)).to(_f64_device(ctx))


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def _randn(case, *shape) -> np.ndarray:
    return case.randn(*shape, dtype=torch.float64).numpy()


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    try:
        return [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.NAME]
    except (tokenize.TokenError, SyntaxError):
        return []


def _numpy_only(ctx) -> None:
    """Fail when the learner's file uses torch, scipy or scikit-learn: the lab is NumPy only."""
    source = (ctx.workspace / FILE).read_text(encoding="utf-8")
    for token in _tokens(source):
        if token.string in OTHER_LIBRARIES:
            fail(
                f"{FILE} line {token.start[0]} uses {token.string}: this lab is NumPy only (as in cs231n), so that "
                "you write the distances and the losses yourself. The check compares them with scipy and torch."
            )


def _function_tokens(func) -> list[tokenize.TokenInfo]:
    import inspect
    import textwrap

    try:
        return _tokens(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError):
        return []


def _vectorised(func, forbidden: set, why: str) -> None:
    """Fail when `func`'s own code holds a loop (for, while, a comprehension, np.vectorize) or a
    name from `forbidden`."""
    for token in _function_tokens(func):
        if token.string in LOOP_WORDS | forbidden:
            what = "a Python loop" if token.string in LOOP_WORDS else token.string
            fail(f"{func.__name__} uses {what} (`{token.line.strip()}`): {why}")


def _your_line(exc: BaseException, workspace: Path) -> str:
    """' at classifiers.py line 17 (`...`)' for the deepest frame in the learner's file."""
    folder = workspace.resolve()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(folder)]
    if not frames:
        return ""
    code = f" (`{frames[-1].line.strip()}`)" if frames[-1].line else ""
    return f" at {Path(frames[-1].filename).name} line {frames[-1].lineno}{code}"


def _call(ctx, func, *args, what: str, hint: str):
    """Call the learner's function; a NumPy shape error becomes a message about the shapes."""
    try:
        return func(*args)
    except (ValueError, IndexError) as exc:
        fail(f"{what} raised {type(exc).__name__}{_your_line(exc, ctx.workspace)}:\n{exc}\n{hint}")


def _pair(result, name: str):
    if not (isinstance(result, tuple) and len(result) == 2):
        got = f"a tuple of {len(result)}" if isinstance(result, tuple) else type(result).__name__
        fail(f"{name} should return a tuple (loss, dW); got {got}")
    return result


def _looks_like(got, candidates, default: str) -> str:
    """The description of the first candidate `got` matches (a likely mistake), else `default`."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return default
    for value, why in candidates:
        value = np.asarray(value, dtype=np.float64)
        if got.shape == value.shape and np.all(np.isfinite(got)) and np.allclose(got, value, rtol=1e-6, atol=1e-9):
            return why
    return default


@functools.lru_cache(maxsize=1)
def _digits():
    """scikit-learn's bundled digits (no download), 64 pixels in 0..16 per image, split once with
    a fixed seed: 1297 to train on, 500 held out."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    order = np.random.default_rng(231).permutation(len(digits.target))
    x, y = digits.data[order].astype(np.float64), digits.target[order].astype(np.int64)
    return x[:1297], y[:1297], x[1297:], y[1297:]


# -- kNN -----------------------------------------------------------------------------------------


def _distance_cases(seed: int, count: int, small: bool):
    """A visible case with whole-number distances, then hidden ones with random shapes (size 1
    included), one hidden test point that is also a training point, and one digits-sized case."""
    X = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]])
    X_train = np.array([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0], [1.0, 2.0, 2.0], [0.0, 2.0, 2.0]])
    cases = [("X (2, 3), X_train (4, 3)", X, X_train)]
    for case in hidden_cases(seed=seed, count=count):
        n, m, d = case.shape(3, 1, 5 if small else 9)
        X, X_train = _randn(case, n, d), _randn(case, m, d)
        if case.index == 1:
            X[-1] = X_train[0]  # a distance of exactly 0
        if case.index == 2 and not small:
            X, X_train = 16 * np.abs(_randn(case, n, 64)), 16 * np.abs(_randn(case, m, 64))  # digits' scale
        cases.append((f"{case.name}, X {X.shape}, X_train {X_train.shape}", X, X_train))
    return cases


def _distance_hint(got, X, X_train, expected) -> str:
    if isinstance(got, np.ndarray) and got.shape == expected.shape and np.isnan(got).any():
        return (
            "Some distances are NaN: a square root of a slightly negative number. In ||x||^2 + ||t||^2 - 2 x.t "
            "rounding can leave -1e-13 where the distance is 0 (a test point equal to a training point): "
            "clamp with np.maximum(squared, 0) before np.sqrt."
        )
    if isinstance(got, np.ndarray) and got.shape == expected.shape[::-1] and expected.shape[0] != expected.shape[1]:
        return f"Your array is ({expected.shape[1]}, {expected.shape[0]}): transposed. " + DISTANCE_HINT
    squared = expected**2
    plus = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] + 2 * X @ X_train.T
    candidates = [
        (squared, "These are the squared distances: take np.sqrt at the end."),
        (np.sqrt(np.abs(plus)), "The cross term has the wrong sign: ||x - t||^2 = ||x||^2 + ||t||^2 - 2 x.t."),
        (np.abs(X[:, None, :] - X_train[None, :, :]).sum(axis=2), "That is the L1 (Manhattan) distance; use L2."),
    ]
    return _looks_like(got, candidates, DISTANCE_HINT)


def _judge_distances(ctx, func, *, seed: int, small: bool) -> None:
    from scipy.spatial.distance import cdist

    _numpy_only(ctx)
    for label, X, X_train in _distance_cases(seed, 8, small):
        expected = cdist(X, X_train)
        what = f"{func.__name__}(X, X_train), {label},"
        got = _call(ctx, func, X, X_train, what=what, hint=DISTANCE_HINT)
        assert_close(
            got,
            expected,
            rtol=1e-7,
            atol=1e-6,
            check_dtype=False,
            name=f"{func.__name__}(X, X_train), {label}, against scipy's cdist",
            hint=_distance_hint(got, X, X_train, expected),
        )


@check.step("two-loops")
def two_loops(ctx):
    """compute_distances_two_loops matches scipy.spatial.distance.cdist."""
    _judge_distances(ctx, ctx.learner(FILE).compute_distances_two_loops, seed=41, small=True)


@check.step("one-loop")
def one_loop(ctx):
    """compute_distances_one_loop matches scipy.spatial.distance.cdist."""
    _judge_distances(ctx, ctx.learner(FILE).compute_distances_one_loop, seed=42, small=True)


@check.step("no-loops")
def no_loops(ctx):
    """compute_distances_no_loops matches cdist, with no Python loop and no library distance function."""
    mine = ctx.learner(FILE)
    _vectorised(
        mine.compute_distances_no_loops,
        DISTANCE_NAMES | {"compute_distances_one_loop", "compute_distances_two_loops"},
        "write it with whole-array operations only. Expand ||x - t||^2 = ||x||^2 + ||t||^2 - 2 x.t: "
        "the cross terms for every pair are one matrix product, X @ X_train.T.",
    )
    _judge_distances(ctx, mine.compute_distances_no_loops, seed=43, small=False)


def _vote(dists, y_train, k):
    """The reference: the k nearest training labels, their most common one, the smallest on a tie."""
    nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
    counts = np.stack([np.bincount(y_train[row], minlength=y_train.max() + 1) for row in nearest])
    return counts.argmax(axis=1)


def _predict_hint(got, dists, y_train, k) -> str:
    nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
    from collections import Counter

    candidates = [
        (_vote(-dists, y_train, k), "You voted among the k *farthest* points: np.argsort sorts ascending, so [:k]."),
        (
            np.array([Counter(y_train[row].tolist()).most_common(1)[0][0] for row in nearest]),
            "A tie in the vote went to the label met first (the nearest); cs231n's rule gives it to the smallest "
            "label. np.argmax(np.bincount(closest_y)) does that: argmax returns the first of equal counts.",
        ),
        (_vote(dists, y_train, 1), f"That is the 1-nearest-neighbour answer; k = {k} neighbours should vote."),
        (
            np.array([np.flatnonzero(c == c.max())[-1] for c in map(np.bincount, y_train[nearest])]),
            "A tie in the vote went to the largest label; it should go to the smallest.",
        ),
    ]
    return _looks_like(got, candidates, "Take the labels of the k smallest distances in each row; the commonest wins.")


@check.step("predict")
def predict(ctx):
    """predict_labels votes among the k nearest training labels, a tie going to the smallest label."""
    mine = ctx.learner(FILE)
    _numpy_only(ctx)
    dists = np.array([[4.0, 1.0, 3.0, 2.0, 9.0], [0.5, 7.0, 6.0, 0.2, 0.3], [5.0, 6.0, 2.0, 1.0, 8.0]])
    y_train = np.array([0, 1, 1, 2, 2])
    cases = [(f"dists (3, 5), y_train {y_train.tolist()}, k = {k}", dists, y_train, k) for k in (1, 2, 3)]
    for case in hidden_cases(seed=44, count=10):
        n, m, classes = case.randint(1, 6), case.randint(1, 12), case.randint(1, 4)
        k = m if case.index == 0 else case.randint(1, m)
        y_train = np.array([case.randint(0, classes - 1) for _ in range(m)])
        dists = np.abs(_randn(case, n, m))
        cases.append((f"{case.name}, dists ({n}, {m}), k = {k}", dists, y_train, k))
    for label, dists, y_train, k in cases:
        got = _call(ctx, mine.predict_labels, dists, y_train, k, what=f"predict_labels, {label},", hint="")
        expected = _vote(dists, y_train, k)
        assert_close(
            got,
            expected,
            check_dtype=False,
            name=f"predict_labels(dists, y_train, k={k}), {label}",
            hint=_predict_hint(got, dists, y_train, k),
        )


@check.step("knn-digits", needs=["no-loops", "predict"])
def knn_digits(ctx):
    """kNN with your no-loop distances and your vote reads held-out handwritten digits."""
    mine = ctx.learner(FILE)
    x_train, y_train, x_test, y_test = _digits()
    dists = mine.compute_distances_no_loops(x_test, x_train)
    accuracies = {}
    for i, k in enumerate((1, 3, 5), start=1):
        accuracies[k] = float((np.asarray(mine.predict_labels(dists, y_train, k)) == y_test).mean())
        ctx.metrics[f"knn_acc_k{k}"] = round(accuracies[k], 4)
        ctx.progress(i, 3, acc=accuracies[k])
    if accuracies[1] < KNN_THRESHOLD:
        fail(f"1-nearest-neighbour accuracy {accuracies[1]:.3f} on 500 held-out digits is below {KNN_THRESHOLD}")
    return "held-out accuracy " + ", ".join(f"k={k}: {a:.3f}" for k, a in accuracies.items())


# -- linear classifiers --------------------------------------------------------------------------


def _loss_cases(seed: int, count: int):
    """(label, W, X, y, reg): a visible case, then hidden ones with random shapes (N = 1 and D = 1
    possible) and regularisation strengths, 0 included."""
    g = np.random.default_rng(seed)
    W, X, y = g.standard_normal((3, 4)), g.standard_normal((5, 3)), np.array([0, 3, 1, 2, 1])
    cases = [("W (3, 4), X (5, 3), y [0, 3, 1, 2, 1], reg 0.1", W, X, y, 0.1)]
    for case in hidden_cases(seed=seed, count=count):
        n, d, c = case.randint(1, 8), case.randint(1, 6), case.randint(2, 6)
        reg = (0.0, 0.05, 0.5)[case.index % 3]
        y = np.array([case.randint(0, c - 1) for _ in range(n)])
        W, X = _randn(case, d, c), _randn(case, n, d)
        cases.append((f"{case.name}, W ({d}, {c}), X ({n}, {d}), reg {reg}", W, X, y, reg))
    return cases


def _svm_numpy(W, X, y, reg) -> float:
    scores = X @ W
    rows = np.arange(len(y))
    margins = np.maximum(0, scores - scores[rows, y][:, None] + 1)
    margins[rows, y] = 0
    return float(margins.sum() / len(y) + reg * np.sum(W * W))


def _softmax_numpy(W, X, y, reg) -> float:
    scores = X @ W
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean() + reg * np.sum(W * W))


def _reference(ctx, kind, W, X, y, reg):
    """torch's own loss (float64) plus reg * sum(W * W), and its gradient by autograd."""
    weights = _torch(ctx, W).requires_grad_(True)
    scores = _torch(ctx, X) @ weights
    labels = _torch(ctx, y).long()
    if kind == "svm":  # multi_margin_loss divides each row's sum of margins by C; cs231n does not
        data_loss = F.multi_margin_loss(scores, labels, margin=1.0) * W.shape[1]
    else:
        data_loss = F.cross_entropy(scores, labels)
    loss = data_loss + reg * (weights * weights).sum()
    loss.backward()
    return loss.item(), data_loss.item(), _numpy(weights.grad)


def _loss_hint(kind, got, expected, data_loss, W, X, reg) -> str:
    n, penalty = X.shape[0], reg * float(np.sum(W * W))
    formula = {
        "svm": "loss = mean over the N rows of sum_{j != y_i} max(0, s_ij - s_iy_i + 1), plus reg * np.sum(W * W).",
        "softmax": "loss = mean over the N rows of -log softmax(s_i)[y_i], plus reg * np.sum(W * W).",
    }[kind]
    candidates = []
    if kind == "svm":
        candidates.append(
            (
                expected + 1,
                "Your loss is 1 more than expected: the correct class was compared with itself (its margin is "
                "always 1). Set margins[np.arange(N), y] = 0 before summing.",
            )
        )
    if reg > 0:
        candidates += [
            (data_loss, "The regularisation term is missing: add reg * np.sum(W * W)."),
            (data_loss + 0.5 * penalty, "This lab's penalty is reg * np.sum(W * W), without the 0.5."),
        ]
    if n > 1:
        candidates.append((n * data_loss + penalty, f"Your data loss is N = {n} times too large: a mean, not a sum."))
    return _looks_like(got, candidates, formula)


def _grad_hint(kind, dW, expected, W, X, y, reg) -> str:
    n, candidates = X.shape[0], []
    if kind == "svm":
        scores = X @ W
        active = (scores - scores[np.arange(n), y][:, None] + 1 > 0).astype(float)
        active[np.arange(n), y] = 0
        candidates.append(
            (
                X.T @ active / n + 2 * reg * W,
                "Each positive margin also pulls the correct class down: dW[:, y_i] gets -X[i] once for every "
                "class whose margin is positive (coeff[np.arange(N), y] = -coeff.sum(axis=1)).",
            )
        )
    if reg > 0:
        candidates += [
            (expected - 2 * reg * W, "dW lacks the penalty's gradient: d/dW of reg * sum(W * W) is 2 * reg * W."),
            (expected - reg * W, "The penalty's gradient is 2 * reg * W (the derivative of W * W is 2W), not reg * W."),
        ]
    if n > 1:
        candidates.append(
            (n * (expected - 2 * reg * W) + 2 * reg * W, f"The data part of dW is N = {n} times too large: a mean.")
        )
    formula = {
        "svm": "Each positive margin adds X[i] to dW[:, j] and subtracts it from the correct class's column "
        "dW[:, y_i]; then divide by N and add 2 * reg * W.",
        "softmax": "dscores = softmax(s) with 1 subtracted at each row's correct class; dW = X.T @ dscores / N "
        "+ 2 * reg * W.",
    }[kind]
    return _looks_like(dW, candidates, formula)


def _judge_loss(ctx, kind, func, seed):
    _numpy_only(ctx)
    for label, W, X, y, reg in _loss_cases(seed, 9):
        before = W.copy()
        loss, _ = _pair(_call(ctx, func, W, X, y, reg, what=f"{func.__name__}, {label},", hint=""), func.__name__)
        if not np.array_equal(W, before):
            fail(f"{func.__name__} changed W in place ({label}); compute new arrays instead")
        expected, data_loss, _ = _reference(ctx, kind, W, X, y, reg)
        reference = "F.multi_margin_loss * C" if kind == "svm" else "F.cross_entropy"
        assert_close(
            loss,
            expected,
            name=f"{func.__name__} loss, {label}, against torch's {reference} + reg * sum(W * W)",
            hint=_loss_hint(kind, loss, expected, data_loss, W, X, reg),
        )


def _judge_grad(ctx, kind, func, seed):
    worst = 0.0
    reference_loss = _svm_numpy if kind == "svm" else _softmax_numpy
    for label, W, X, y, reg in _loss_cases(seed, 9):
        _, dW = _pair(func(W, X, y, reg), func.__name__)
        _, _, expected = _reference(ctx, kind, W, X, y, reg)
        error = grad_check(
            lambda w, X=X, y=y, reg=reg: reference_loss(w, X, y, reg),
            W,
            dW,
            threshold=1e-7,
            name=f"{func.__name__} dW, {label}",
            hint=_grad_hint(kind, dW, expected, W, X, y, reg),
        )
        worst = max(worst, error)
    ctx.metrics[f"{kind}_rel_error"] = float(f"{worst:.2e}")
    return f"worst relative error {worst:.1e} (threshold 1e-7)"


VECTORISED = "write it with whole-array operations (cs231n's _vectorized version): no loop over the examples."


@check.step("svm-loss")
def svm_loss(ctx):
    """svm_loss_vectorized's loss matches torch's F.multi_margin_loss (times C) plus reg * sum(W * W)."""
    func = ctx.learner(FILE).svm_loss_vectorized
    _vectorised(func, set(), VECTORISED)
    _judge_loss(ctx, "svm", func, seed=51)


@check.step("svm-grad")
def svm_grad(ctx):
    """svm_loss_vectorized's dW agrees with float64 centred differences (relative error below 1e-7)."""
    return _judge_grad(ctx, "svm", ctx.learner(FILE).svm_loss_vectorized, seed=52)


@check.step("softmax-loss")
def softmax_loss(ctx):
    """softmax_loss_vectorized's loss matches torch's F.cross_entropy plus reg * sum(W * W)."""
    func = ctx.learner(FILE).softmax_loss_vectorized
    _vectorised(func, {"logsumexp", "log_softmax"}, VECTORISED + " Write the log-sum-exp yourself.")
    _judge_loss(ctx, "softmax", func, seed=53)


@check.step("softmax-grad")
def softmax_grad(ctx):
    """softmax_loss_vectorized's dW agrees with float64 centred differences (relative error below 1e-7)."""
    return _judge_grad(ctx, "softmax", ctx.learner(FILE).softmax_loss_vectorized, seed=54)


STABILITY = "Numerical stability: "
OVERFLOW = (
    STABILITY + "np.exp of scores in the thousands overflows to inf (exp(710) is already too large for float64), "
    "and from there the loss is NaN (inf / inf) or inf (log(inf)). Subtract each row's max score before exp: "
    "softmax(s) = softmax(s - max(s)), and the largest exponent is then exp(0) = 1."
)
UNDERFLOW = (
    STABILITY + "the correct class's probability underflowed to 0 (exp(-1000) is 0 in float64) and log(0) = -inf, "
    "so the loss is inf. Don't exponentiate first and take the log after: compute the log-probabilities "
    "directly, log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True)), with shifted = "
    "s - max(s); they stay finite (about -1000 here)."
)
CLIPPED = (
    STABILITY + "your loss is finite but too small: a log(p + eps) or a clip caps -log p at about -log(eps), "
    "while the true loss is in the hundreds. Compute the log-probabilities directly: shifted - log(sum(exp(shifted)))."
)


@check.step("softmax-stable")
def softmax_stable(ctx):
    """Scores in the thousands give a finite, correct softmax loss and gradient (overflow and underflow)."""
    func = ctx.learner(FILE).softmax_loss_vectorized
    g = np.random.default_rng(55)
    W, X, y = 1000 * g.standard_normal((4, 5)), g.standard_normal((6, 4)), np.array([0, 1, 2, 3, 4, 0])
    label = "hidden large-score case: W (4, 5) of size ~1000, X (6, 4), scores in the thousands"
    with (
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        loss, dW = _pair(func(W, X, y, 0.0), "softmax_loss_vectorized")
    said = "; ".join(dict.fromkeys(str(w.message) for w in caught))  # each warning once, in order
    expected, _, expected_dW = _reference(ctx, "softmax", W, X, y, 0.0)
    loss = float(loss)
    dW_finite = isinstance(dW, np.ndarray) and dW.shape == expected_dW.shape and bool(np.all(np.isfinite(dW)))
    right = dW_finite and np.isclose(loss, expected, rtol=1e-7) and np.allclose(dW, expected_dW, rtol=1e-7, atol=1e-7)
    if not right:  # a right answer passes whatever numpy warned about on the way
        got = f"softmax_loss_vectorized loss, {label}: got {loss}, expected {expected:.6g}\nnumpy warned: {said or '-'}"
        if "overflow" in said or np.isnan(loss) or not dW_finite:
            fail(f"{got}\n{OVERFLOW}")
        if np.isinf(loss) or "divide by zero" in said:
            fail(f"{got}\n{UNDERFLOW}")
        hint = CLIPPED if loss < expected else UNDERFLOW
        assert_close(loss, expected, rtol=1e-7, name=f"softmax_loss_vectorized loss, {label}", hint=hint)
        assert_close(
            dW,
            expected_dW,
            rtol=1e-7,
            atol=1e-7,
            name=f"softmax_loss_vectorized dW, {label}",
            hint=STABILITY + "dW = X.T @ (softmax(s) - one_hot(y)) / N, with softmax taken from the shifted scores.",
        )
    ctx.metrics["large_score_loss"] = round(expected, 2)
    return f"loss {loss:.2f} with scores in the thousands, as torch"


def _sgd(ctx, func, X, y, *, lr, seed, label, first):
    """cs231n's LinearClassifier.train: 600 steps of SGD on batches of 200 drawn with replacement."""
    g = np.random.default_rng(seed)
    W = 0.001 * g.standard_normal((X.shape[1], 10))
    for it in range(1, 601):
        batch = g.choice(len(y), 200)
        loss, dW = func(W, X[batch], y[batch], 1e-4)
        W = W - lr * dW
        if it % 50 == 0:
            ctx.progress(first + it, 1200, **{f"{label}_loss": float(loss)})
    return W, float(loss)


@check.step("train-linear", needs=["svm-grad", "softmax-grad", "softmax-stable"])
def train_linear(ctx):
    """SGD with your SVM and softmax gradients classifies held-out digits, as in cs231n."""
    mine = ctx.learner(FILE)
    x_train, y_train, x_test, y_test = _digits()
    mean = x_train.mean(axis=0)

    def prepare(x):  # cs231n's preprocessing: centre, then the bias trick (a column of ones)
        return np.hstack([(x - mean) / 16.0, np.ones((len(x), 1))])

    X_train, X_test = prepare(x_train), prepare(x_test)
    results = {}
    for first, (kind, func, lr) in enumerate(
        (("svm", mine.svm_loss_vectorized, 0.3), ("softmax", mine.softmax_loss_vectorized, 2.0))
    ):
        W, loss = _sgd(ctx, func, X_train, y_train, lr=lr, seed=7, label=kind, first=600 * first)
        results[kind] = float((np.argmax(X_test @ W, axis=1) == y_test).mean())
        ctx.metrics[f"{kind}_test_acc"] = round(results[kind], 4)
        ctx.metrics[f"{kind}_final_loss"] = round(loss, 4)
    for kind, accuracy in results.items():
        if accuracy < LINEAR_THRESHOLD:
            fail(
                f"the {kind} classifier scores {accuracy:.3f} on 500 held-out digits after 600 SGD steps, below "
                f"{LINEAR_THRESHOLD}. Its loss and gradient passed, so look at what differs in training: does "
                f"{kind}_loss_vectorized return dW for the batch it was given, without keeping state between calls?"
            )
    svm, softmax = results["svm"], results["softmax"]
    return f"held-out accuracy: SVM {svm:.3f}, softmax {softmax:.3f} (threshold {LINEAR_THRESHOLD})"
