"""Check for the perceptron lab (Li Hang, 统计学习方法 ch. 2): five steps. The Gram matrix against
X @ X.T; the primal form on the book's example 2.1 against scikit-learn's Perceptron, then on
seeded separable data judged by what any correct perceptron does (it separates the data, makes
no more updates than Novikoff's bound allows, and b is a whole number of eta-steps); the dual
form against the learner's own primal form (same w, b and number of updates); Novikoff's bound
against the formula; and training on two iris species with a held-out split.

The learner's code is NumPy, so --device changes nothing here: every device judges the same
numbers."""

import math

import numpy as np

from studyctl.labkit.api import Check, assert_close, fail, hidden_cases

check = Check()
FILE = "perceptron.py"

# Li Hang, example 2.1 (and 2.2 for the dual form): two positive points and one negative.
BOOK_X = np.array([[3.0, 3.0], [4.0, 3.0], [1.0, 1.0]])
BOOK_Y = np.array([1, 1, -1])
BOOK = "Li Hang's example 2.1 (x1 = (3, 3), x2 = (4, 3) positive, x3 = (1, 1) negative)"
ORDER_HINT = (
    "Visit the samples in index order, pass after pass, and stop after the first pass with no "
    "mistake (or max_epochs passes)."
)


def _rng(case) -> np.random.Generator:
    """A NumPy generator seeded from the hidden case: the same numbers on every machine."""
    return np.random.default_rng(case.rng.randrange(2**32))


def _separable(rng: np.random.Generator, n: int, d: int):
    """n points in d dimensions that the hyperplane (w_true, b_true) separates with a margin,
    centred away from the origin so that the bias matters. Labels are +1 / -1 integers."""
    w_true = rng.standard_normal(d)
    w_true /= np.linalg.norm(w_true)
    center = rng.uniform(-3, 3, d)
    b_true = -float(center @ w_true) + rng.uniform(-0.5, 0.5)
    X = np.empty((0, d))
    while len(X) < n:
        batch = center + rng.uniform(-2.5, 2.5, (4 * n, d))
        X = np.vstack([X, batch[np.abs(batch @ w_true + b_true) > 0.3]])
    X = X[:n]
    y = np.where(X @ w_true + b_true > 0, 1, -1)
    return X, y, w_true, b_true


def _bound(X, y, w_opt, b_opt) -> float:
    """Novikoff's (R / gamma)^2 with x_hat = (x, 1) and the unit-length w_hat = (w_opt, b_opt)."""
    X_hat = np.hstack([X, np.ones((len(X), 1))])
    w_hat = np.append(w_opt, b_opt) / np.linalg.norm(np.append(w_opt, b_opt))
    return float((np.linalg.norm(X_hat, axis=1).max() / (y * (X_hat @ w_hat)).min()) ** 2)


def _triple(result, d: int, name: str, first: str):
    """(array (d,), b, n_updates) from a train_* call, or a failure that says what came back."""
    if not (isinstance(result, tuple) and len(result) == 3):
        got = f"a tuple of {len(result)}" if isinstance(result, tuple) else type(result).__name__
        fail(f"{name} should return a tuple ({first}, b, n_updates); got {got}")
    vector, b, updates = result
    if vector is None or np.shape(vector) != (d,):
        fail(f"{name}: {first} should have shape ({d},); got {np.shape(vector) if vector is not None else None}")
    try:
        b = float(b)
    except (TypeError, ValueError):
        fail(f"{name}: b should be a number; got {type(b).__name__}")
    if isinstance(updates, bool) or not isinstance(updates, (int, np.integer)):
        fail(f"{name}: n_updates should be an int (the number of updates); got {type(updates).__name__}")
    return np.asarray(vector, dtype=np.float64), b, int(updates)


def _whole_steps(b: float, eta: float, updates: int, name: str) -> None:
    """b = eta * sum of y_i over the updates: a whole number of eta-steps, at most n_updates of them."""
    steps = b / eta
    if not (abs(steps - round(steps)) < 1e-6 and abs(round(steps)) <= updates):
        fail(
            f"{name}: b = {b:.6g} is not a whole number of steps of eta = {eta:g} with at most {updates} "
            "updates. Each update changes b by exactly eta * y_i (+eta or -eta)."
        )


@check.step("gram-matrix")
def gram(ctx):
    """gram_matrix(X) is X @ X.T: all inner products x_i · x_j, an (N, N) matrix."""
    mine = ctx.learner(FILE)
    hint = "G[i, j] = x_i · x_j for samples i and j: X @ X.T is (N, d) @ (d, N), an (N, N) matrix."
    cases = [(f"{BOOK} X (3, 2)", BOOK_X)]
    for case in hidden_cases(seed=21, count=8):
        n, d = case.shape(2, 1, 6)
        cases.append((f"{case.name}, X ({n}, {d})", _rng(case).standard_normal((n, d))))
    for label, X in cases:
        assert_close(mine.gram_matrix(X.copy()), X @ X.T, name=f"gram_matrix(X), {label}", hint=hint)


@check.step("primal")
def primal(ctx):
    """Algorithm 2.1: the book's answer on example 2.1; on hidden separable data, a hyperplane that
    separates it after no more updates than Novikoff's bound."""
    mine = ctx.learner(FILE)
    name = f"train_primal on {BOOK}, eta 1"
    w, b, updates = _triple(mine.train_primal(BOOK_X.copy(), BOOK_Y.copy(), eta=1.0), 2, name, "w")
    from sklearn.linear_model import Perceptron  # after the learner's call: an unfinished file fails fast

    reference = Perceptron(eta0=1.0, shuffle=False, tol=None, max_iter=100).fit(BOOK_X, BOOK_Y)
    expected_w, expected_b = reference.coef_[0], float(reference.intercept_[0])
    _, _, expected_updates = ctx.solution(FILE).train_primal(BOOK_X, BOOK_Y, eta=1.0)
    if updates == 0 and not np.any(w):
        fail(
            f"{name}: no update was made (w = 0, b = 0, n_updates = 0). At the start every y_i (w · x_i + b) "
            "is exactly 0, and 0 is a mistake: the test is y_i (w · x_i + b) <= 0, not < 0."
        )
    hint = ORDER_HINT
    if b == 0:
        hint = "b is still 0: every update changes b too, b <- b + eta * y_i (the book's answer has b = -3)."
    book = "the book's answer is w = (1, 1), b = -3 after 7 updates (x1, x3, x3, x3, x1, x3, x3)"
    assert_close(w, expected_w, name=f"w from {name}, against scikit-learn's Perceptron(shuffle=False)", hint=hint)
    assert_close(b, expected_b, name=f"b from {name}, against scikit-learn's Perceptron(shuffle=False)", hint=hint)
    if updates != expected_updates:
        fail(f"{name}: n_updates is {updates}; {book}. Count every update across all passes, not the passes.")
    worst = 0.0
    for case in hidden_cases(seed=22, count=8):
        rng = _rng(case)
        n, d = case.randint(1, 30), case.randint(1, 5)
        eta = rng.choice([0.1, 0.5, 1.0, 2.5])
        X, y, w_true, b_true = _separable(rng, n, d)
        label = f"{case.name}, X ({n}, {d}), eta {eta:g}"
        name = f"train_primal, {label}"
        w, b, updates = _triple(mine.train_primal(X.copy(), y.copy(), eta=eta, max_epochs=1000), d, name, "w")
        wrong = int(np.sum(y * (X @ w + b) <= 0))
        if wrong:
            fail(
                f"{name}: w, b leave {wrong} of {n} training points on the wrong side (or on the plane), "
                "but this data is linearly separable, so the loop should run until a whole pass makes "
                f"no mistake. {ORDER_HINT}"
            )
        bound = _bound(X, y, w_true, b_true)
        if updates > bound:
            fail(
                f"{name}: {updates} updates, more than Novikoff's bound (R / gamma)^2 = {bound:.1f}: "
                "update only on a mistake, y_i (w · x_i + b) <= 0."
            )
        _whole_steps(b, eta, updates, name)
        worst = max(worst, updates / bound)
    ctx.metrics["max_updates_over_bound"] = round(worst, 4)
    return f"separates all 8 hidden sets; at most {worst:.1%} of Novikoff's bound in updates"


@check.step("dual", needs=["primal"])
def dual(ctx):
    """Algorithm 2.2: dual_weights is sum_i alpha_i y_i x_i, and the dual form makes exactly the
    primal form's updates: the same w, b and n_updates."""
    mine = ctx.learner(FILE)
    hint = "w = sum_i alpha_i y_i x_i: (alpha * y) @ X, an (N,) vector times (N, d)."
    for case in hidden_cases(seed=23, count=6):
        rng = _rng(case)
        n, d = case.shape(2, 1, 6)
        alpha, X, y = rng.uniform(0, 3, n), rng.standard_normal((n, d)), rng.choice([-1, 1], n)
        assert_close(
            mine.dual_weights(alpha.copy(), X.copy(), y.copy()),
            (alpha * y) @ X,
            name=f"dual_weights(alpha, X, y), {case.name}, X ({n}, {d})",
            hint=hint,
        )
    cases = [(f"{BOOK}, eta 1", BOOK_X, BOOK_Y, 1.0)]
    for case in hidden_cases(seed=24, count=8):
        rng = _rng(case)
        n, d = case.randint(1, 30), case.randint(1, 5)
        eta = float(rng.choice([0.1, 0.5, 1.0, 2.5]))
        X, y, _, _ = _separable(rng, n, d)
        cases.append((f"{case.name}, X ({n}, {d}), eta {eta:g}", X, y, eta))
    for label, X, y, eta in cases:
        n, d = X.shape
        w_primal, b_primal, updates_primal = mine.train_primal(X.copy(), y.copy(), eta=eta, max_epochs=1000)
        name = f"train_dual on {label}"
        alpha, b, updates = _triple(mine.train_dual(X.copy(), y.copy(), eta=eta, max_epochs=1000), n, name, "alpha")
        counts = alpha / eta
        if np.any(alpha < 0) or not np.allclose(counts, np.round(counts), atol=1e-6):
            fail(
                f"{name}: alpha should be eta times how often each sample was updated (0, eta, 2 eta, ...); "
                f"got {np.array2string(alpha, precision=4, threshold=8)}. The update is alpha_i <- alpha_i + eta."
            )
        if updates != updates_primal or round(counts.sum()) != updates:
            fail(
                f"{name}: {updates} updates (alpha / eta sums to {counts.sum():.0f}), but your train_primal made "
                f"{updates_primal}. Both forms are the same algorithm: same mistakes, same order. The dual "
                "test is y_i (sum_j alpha_j y_j G[j, i] + b) <= 0, the primal test with w = sum_j alpha_j y_j x_j."
            )
        assert_close(
            mine.dual_weights(alpha, X, y),
            np.asarray(w_primal, dtype=np.float64),
            rtol=1e-9,
            atol=1e-9,
            name=f"dual_weights(alpha) from {name}, against w from your train_primal",
            hint="The dual form must end where the primal form ends; " + ORDER_HINT,
            check_dtype=False,
        )
        assert_close(
            b,
            float(b_primal),
            rtol=1e-9,
            atol=1e-9,
            name=f"b from {name}, against b from your train_primal",
            hint="b is updated exactly as in the primal form: b <- b + eta * y_i.",
        )
    return "the dual form reaches your primal w and b on the book's example 2.2 and 8 hidden sets"


@check.step("novikoff")
def novikoff(ctx):
    """novikoff_bound is (R / gamma)^2 with x_hat = (x, 1) and a unit-length w_hat = (w_opt, b_opt)."""
    mine = ctx.learner(FILE)
    cases = [(f"{BOOK}, w_opt = (1, 1), b_opt = -3", BOOK_X, BOOK_Y, np.array([1.0, 1.0]), -3.0)]
    for case in hidden_cases(seed=25, count=8):
        rng = _rng(case)
        n, d = case.randint(1, 20), case.randint(1, 5)
        X, y, w_true, b_true = _separable(rng, n, d)
        scale = 10 ** rng.uniform(-2, 2)  # the bound must not depend on how long (w_opt, b_opt) is
        label = f"{case.name}, X ({n}, {d}), (w_opt, b_opt) of length {scale:.3g}"
        cases.append((label, X, y, scale * w_true, scale * b_true))
    for label, X, y, w_opt, b_opt in cases:
        got = mine.novikoff_bound(X.copy(), y.copy(), w_opt.copy(), b_opt)
        expected = _bound(X, y, w_opt, b_opt)
        hint = (
            "R = max_i ||x_hat_i|| with x_hat = (x, 1); w_hat = (w_opt, b_opt) / ||(w_opt, b_opt)||; "
            "gamma = min_i y_i (w_hat · x_hat_i); the bound is (R / gamma) ** 2."
        )
        try:
            value = float(got)
        except (TypeError, ValueError):
            value = math.nan
        if math.isfinite(value):
            R = np.linalg.norm(X, axis=1).max()
            raw_gamma = (y * (X @ w_opt + b_opt)).min()
            unit_gamma = raw_gamma / np.linalg.norm(np.append(w_opt, b_opt))
            if math.isclose(value, (R / unit_gamma) ** 2, rel_tol=1e-9) and not math.isclose(value, expected):
                hint = "R must be measured on x_hat = (x, 1), the points with the bias coordinate appended."
            elif math.isclose(value, expected / np.sum(np.append(w_opt, b_opt) ** 2), rel_tol=1e-9):
                hint = "gamma is measured with w_hat scaled to length 1: divide (w_opt, b_opt) by its norm first."
        assert_close(got, expected, rtol=1e-9, name=f"novikoff_bound, {label}", hint=hint)
    return "(R / gamma)^2 = 286 on the book's example, which needed 7 updates"


@check.step("iris", needs=["primal"])
def iris(ctx):
    """Setosa against versicolor (scikit-learn's iris, 4 raw features): train_primal separates 70
    flowers within Novikoff's bound and classifies 30 held-out ones."""
    from sklearn.datasets import load_iris
    from sklearn.linear_model import Perceptron
    from sklearn.svm import SVC

    mine = ctx.learner(FILE)
    data = load_iris()
    keep = data.target < 2
    X, y = data.data[keep], np.where(data.target[keep] == 0, 1, -1)
    order = np.random.default_rng(26).permutation(len(y))
    X, y = X[order], y[order]
    X_train, y_train, X_test, y_test = X[:70], y[:70], X[70:], y[70:]
    name = "train_primal on 70 iris flowers (setosa = +1, versicolor = -1), eta 1"
    w, b, updates = _triple(mine.train_primal(X_train.copy(), y_train.copy(), eta=1.0, max_epochs=1000), 4, name, "w")
    train_acc = float(np.mean(np.sign(X_train @ w + b) == y_train))
    test_acc = float(np.mean(np.sign(X_test @ w + b) == y_test))
    svm = SVC(kernel="linear", C=1e6).fit(X_train, y_train)  # a hard-margin SVM: one separating hyperplane
    bound = _bound(X_train, y_train, svm.coef_[0], float(svm.intercept_[0]))
    sklearn = Perceptron(eta0=1.0, shuffle=False, tol=None, max_iter=1000).fit(X_train, y_train)
    ctx.metrics.update(
        updates=updates,
        novikoff_bound=round(bound, 1),
        train_acc=round(train_acc, 4),
        test_acc=round(test_acc, 4),
        sklearn_test_acc=round(float(sklearn.score(X_test, y_test)), 4),
    )
    if train_acc < 1.0:
        fail(f"{name}: training accuracy {train_acc:.3f}, but these two species are linearly separable. {ORDER_HINT}")
    if updates > bound:
        fail(f"{name}: {updates} updates, more than Novikoff's bound {bound:.0f} (from a hard-margin SVM's hyperplane)")
    if test_acc < 0.95:
        fail(f"{name}: held-out accuracy {test_acc:.3f} on 30 flowers is below 0.95")
    return f"{updates} updates (Novikoff's bound: {bound:.0f}); held-out accuracy {test_acc:.3f} on 30 flowers"
