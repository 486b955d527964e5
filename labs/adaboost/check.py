"""Check for the adaboost lab (Li Hang, 统计学习方法 ch. 8): five steps. The weighted error and
alpha_m against the formulas; the weight update against the formula; the learner's stump against
an exhaustive search for the smallest weighted error; the whole of algorithm 8.1 replayed round
by round (each stump must be a best one under the weights the check derives, each alpha_m must be
1/2 ln((1 - e_m) / e_m)), on the book's example 8.1 and on seeded hidden data; then scikit-learn's
breast cancer data, against AdaBoostClassifier (SAMME) on stumps, with the training error bound
of theorems 8.1 and 8.3 as metrics.

Ties between equally good stumps are all accepted. The learner's code is NumPy, so --device
changes nothing here."""

import inspect
import math

import numpy as np

from studyctl.labkit.api import Check, assert_close, fail, hidden_cases

check = Check()
FILE = "adaboost.py"

# Li Hang, example 8.1: ten points on a line.
BOOK_X = np.arange(10.0).reshape(-1, 1)
BOOK_Y = np.array([1, 1, 1, -1, -1, -1, 1, 1, 1, -1])
BOOK = "Li Hang's example 8.1 (x = 0..9, y = 1 1 1 -1 -1 -1 1 1 1 -1)"
BOOK_ROUNDS = "the book: e = 0.3, 0.2143, 0.1820 and alpha = 0.4236, 0.6496, 0.7514, then no training error"


def _rng(case) -> np.random.Generator:
    """A NumPy generator seeded from the hidden case: the same numbers on every machine."""
    return np.random.default_rng(case.rng.randrange(2**32))


def _alpha(e: float) -> float:
    return 0.5 * math.log((1 - e) / e)


def _update(w, alpha, y, pred):
    w = w * np.exp(-alpha * y * pred)
    return w / w.sum()


def _best_error(X, y, w) -> float:
    """The smallest weighted error of any stump (every feature, both directions, every split
    between distinct values, and the constant ones), by sorting and cumulative sums."""
    best = min(np.sum(w[y == 1]), np.sum(w[y == -1]))  # predict one class everywhere
    total = w.sum()
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        x, labels, weights = X[order, j], y[order], w[order]
        # error of "+1 below the split, -1 above" after the first i samples, for every i
        wrong_below = np.cumsum(weights * (labels == -1))
        wrong_above = np.sum(weights * (labels == 1)) - np.cumsum(weights * (labels == 1))
        errors = (wrong_below + wrong_above)[:-1][x[:-1] < x[1:]]  # only between distinct values
        if errors.size:
            best = min(best, errors.min(), total - errors.max())
    return float(best)


def _signs(pred, n: int, name: str) -> np.ndarray:
    pred = np.asarray(pred)
    if pred.shape != (n,):
        fail(f"{name} should have shape ({n},); got {pred.shape}")
    if not np.all(np.isin(pred, (-1, 1))):
        fail(f"{name} should hold only +1 and -1; got values {sorted(set(np.unique(pred).tolist()))[:6]}")
    return pred.astype(np.int64)


def _weights(rng, n):
    return rng.dirichlet(np.ones(n) * rng.uniform(0.3, 3))


@check.step("weighted-error")
def weighted_error(ctx):
    """weighted_error is sum_i w_i I(pred_i != y_i) (8.1); classifier_weight is 1/2 ln((1 - e) / e) (8.2)."""
    mine = ctx.learner(FILE)
    first = np.where(BOOK_X[:, 0] < 2.5, 1, -1)  # the book's G_1: misclassifies x = 6, 7, 8
    cases = [(f"{BOOK}, G_1(x) = 1 if x < 2.5 else -1, w = 0.1 each", first, BOOK_Y, np.full(10, 0.1))]
    for case in hidden_cases(seed=71, count=8):
        rng = _rng(case)
        n = case.randint(1, 20)
        y, pred = rng.choice([-1, 1], n), rng.choice([-1, 1], n)
        cases.append((f"{case.name}, N = {n}, weights not uniform", pred, y, _weights(rng, n)))
    for label, pred, y, w in cases:
        expected = float(np.sum(w[pred != y]))
        got = mine.weighted_error(pred.copy(), y.copy(), w.copy())
        hint = "e = the sum of the weights of the misclassified samples: np.sum(w[pred != y])."
        try:
            if np.isclose(float(got), np.mean(pred != y)) and not np.isclose(expected, np.mean(pred != y)):
                hint = "That is the plain error rate: AdaBoost's error weighs each mistake by w_i, sum of w[pred != y]."
        except (TypeError, ValueError):
            pass
        assert_close(got, expected, name=f"weighted_error(pred, y, w), {label}", hint=hint)
    errors = [0.3, *(float(e) for e in np.random.default_rng(72).uniform(0.01, 0.99, 8))]
    for e in errors:
        got = mine.classifier_weight(e)
        hint = "alpha = 1/2 ln((1 - e) / e), with the natural log."
        try:
            if np.isclose(float(got), 2 * _alpha(e)):
                hint = "Yours is twice Li Hang's: alpha_m = 1/2 ln((1 - e_m) / e_m), with the 1/2."
        except (TypeError, ValueError):
            pass
        assert_close(got, _alpha(e), name=f"classifier_weight({e:.4g})", hint=hint)
    return "e_1 = 0.3 and alpha_1 = 0.4236 on example 8.1"


@check.step("weight-update")
def weight_update(ctx):
    """update_weights is w_i exp(-alpha y_i pred_i) / Z_m (8.3-8.5): the weights sum to 1."""
    mine = ctx.learner(FILE)
    first = np.where(BOOK_X[:, 0] < 2.5, 1, -1)
    cases = [(f"{BOOK}, round 1 (alpha_1 = 0.4236)", np.full(10, 0.1), _alpha(0.3), BOOK_Y, first)]
    for case in hidden_cases(seed=73, count=8):
        rng = _rng(case)
        n = case.randint(1, 20)
        y, pred = rng.choice([-1, 1], n), rng.choice([-1, 1], n)
        cases.append((f"{case.name}, N = {n}", _weights(rng, n), float(rng.uniform(-1, 2)), y, pred))
    for label, w, alpha, y, pred in cases:
        expected = _update(w, alpha, y, pred)
        got = mine.update_weights(w.copy(), alpha, y.copy(), pred.copy())
        hint = "w_i exp(-alpha y_i pred_i), then divide by their sum Z so that the new weights sum to 1."
        if np.shape(got) == expected.shape:
            got_array = np.asarray(got, dtype=np.float64)
            raw = w * np.exp(-alpha * y * pred)
            if np.allclose(got_array, raw) and not np.allclose(raw, expected):
                hint = "The weights must be normalised: divide by Z_m = sum_i w_i exp(-alpha y_i pred_i)."
            elif np.allclose(got_array, _update(w, -alpha, y, pred)):
                hint = "The sign in the exponent: a mistake (y_i pred_i = -1) must grow, exp(-alpha * y * pred)."
        assert_close(got, expected, name=f"update_weights, {label}", hint=hint, check_dtype=False)
    return "D_2 = (0.0714 x 6, 0.1667 for x = 6, 7, 8, 0.0714) on example 8.1"


def _book_rounds():
    """The weights D_1, D_2, D_3 of example 8.1 (with the book's stumps), for the stump step."""
    w, rounds = np.full(10, 0.1), []
    for v, s in ((2.5, 1), (8.5, 1), (5.5, -1)):
        rounds.append(w)
        pred = np.where(BOOK_X[:, 0] < v, s, -s)
        w = _update(w, _alpha(float(np.sum(w[pred != BOOK_Y]))), BOOK_Y, pred)
    return rounds


def _stump_hint(X, y, w) -> str:
    """The likely cause when the learner's stump is not a best one."""
    one_direction = math.inf
    for j in range(X.shape[1]):
        for v in np.concatenate([[X[:, j].min() - 1], X[:, j] + 1e-9]):
            one_direction = min(one_direction, float(np.sum(w[np.where(X[:, j] < v, 1, -1) != y])))
    if one_direction > _best_error(X, y, w) + 1e-12:
        return (
            "The best stump here predicts -1 below the threshold and +1 above (s = -1): try both directions, "
            "as the book's third round does (G_3(x) = -1 if x < 5.5 else 1)."
        )
    return (
        "Try every feature, both directions s = +1 / -1, and thresholds between consecutive distinct values "
        "(plus one below all of them), and keep the stump with the smallest WEIGHTED error under w."
    )


@check.step("stump")
def stump(ctx):
    """fit_stump finds a stump with the smallest weighted error (any of the tied ones), and
    stump_predict returns its +1 / -1 predictions."""
    mine = ctx.learner(FILE)
    cases = [(f"{BOOK}, weights D_{m + 1}", BOOK_X, BOOK_Y, w) for m, w in enumerate(_book_rounds())]
    for case in hidden_cases(seed=74, count=10):
        rng = _rng(case)
        n, d = case.randint(1, 30), case.randint(1, 4)
        X = np.round(rng.standard_normal((n, d)), 1)  # one decimal: repeated values
        cases.append((f"{case.name}, X ({n}, {d})", X, rng.choice([-1, 1], n), _weights(rng, n)))
    for label, X, y, w in cases:
        model = mine.fit_stump(X.copy(), y.copy(), w.copy())
        pred = _signs(mine.stump_predict(model, X.copy()), len(y), f"stump_predict(fit_stump(...), X), {label}")
        got, best = float(np.sum(w[pred != y])), _best_error(X, y, w)
        if got > best + 1e-9:
            fail(
                f"fit_stump, {label}: your stump's weighted error is {got:.4f}, but a stump with {best:.4f} "
                f"exists. {_stump_hint(X, y, w)}"
            )
    return "best stumps on example 8.1's three rounds (e = 0.3, 0.2143, 0.1818) and 10 hidden sets"


def _replay(mine, model, X, y, name: str, judge: bool = True):
    """Algorithm 8.1 again with the learner's stumps: every stump must be a best one under the
    weights derived here, and every alpha must match e. Returns (errors e_m, normalisers Z_m, f(X))."""
    if not isinstance(model, (list, tuple)) or not model:
        fail(f"{name} should return a non-empty list of (alpha, stump) pairs; got {type(model).__name__}")
    w = np.full(len(y), 1 / len(y))
    errors, normalisers, f = [], [], np.zeros(len(y))
    for m, entry in enumerate(model, start=1):
        if not (isinstance(entry, (list, tuple)) and len(entry) == 2):
            fail(f"{name}: round {m} should be an (alpha, stump) pair; got {type(entry).__name__}")
        alpha, stump_m = entry
        pred = _signs(mine.stump_predict(stump_m, X.copy()), len(y), f"{name}: stump_predict of round {m}")
        e = float(np.sum(w[pred != y]))
        if judge:
            best = _best_error(X, y, w)
            if e > best + 1e-9:
                hint = (
                    "Was the stump fitted with the updated weights? Each round must use w from update_weights of "
                    "the round before."
                    if m > 1
                    else "Round 1 uses uniform weights 1/N."
                )
                fail(
                    f"{name}: round {m}'s stump has weighted error {e:.4f} under the weights D_{m} of algorithm "
                    f"8.1, but a stump with {best:.4f} exists. {hint}"
                )
            assert_close(
                alpha,
                _alpha(e),
                name=f"{name}: alpha of round {m} (e_{m} = {e:.4f})",
                hint="alpha_m = classifier_weight(e_m), with e_m the stump's error under the current weights.",
            )
        alpha = float(alpha)
        z = float(np.sum(w * np.exp(-alpha * y * pred)))
        errors.append(e)
        normalisers.append(z)
        f += alpha * pred
        w = w * np.exp(-alpha * y * pred) / z
    return errors, normalisers, f


def _check_predict(mine, model, X, f, name):
    got = _signs(mine.predict(model, X.copy()), len(X), f"predict(model, X), {name}")
    clear = np.abs(f) > 1e-9  # f(x) = 0 exactly: either sign is right
    if np.any(got[clear] != np.sign(f[clear])):
        i = int(np.flatnonzero(clear & (got != np.sign(f)))[0])
        fail(
            f"predict(model, X), {name}: sample {i} is predicted {got[i]}, but f(x) = sum_m alpha_m G_m(x) = "
            f"{f[i]:.4f} there. The vote is weighted: sign(sum alpha_m * G_m(x)), not a count of the G_m."
        )


def _unstumpable(rng, n, d):
    """Data that no single stump classifies perfectly, so that every e_m > 0."""
    for _ in range(100):
        X = np.round(rng.standard_normal((n, d)), 1)
        y = np.where(X.sum(axis=1) + 0.8 * rng.standard_normal(n) > 0, 1, -1)
        if _best_error(X, y, np.full(n, 1 / n)) > 0:
            return X, y
        n += 1
    raise RuntimeError("no data set found")  # never reached with these sizes


@check.step("boosting", needs=["weighted-error", "weight-update", "stump"])
def boosting(ctx):
    """adaboost replays as algorithm 8.1: each round's stump is a best one under that round's
    weights and alpha_m matches its error; predict is the sign of the weighted vote."""
    mine = ctx.learner(FILE)
    name = f"adaboost on {BOOK}, 3 rounds"
    model = mine.adaboost(BOOK_X.copy(), BOOK_Y.copy(), 3)
    if not isinstance(model, (list, tuple)) or len(model) != 3:
        got = f"{len(model)} rounds" if isinstance(model, (list, tuple)) else type(model).__name__
        fail(f"{name}: expected a list of 3 (alpha, stump) pairs; got {got}")
    errors, _, f = _replay(mine, model, BOOK_X, BOOK_Y, name)
    _check_predict(mine, model, BOOK_X, f, BOOK)
    wrong = int(np.sum(np.where(f >= 0, 1, -1) != BOOK_Y))
    if wrong:
        fail(f"{name}: the boosted classifier still misclassifies {wrong} training samples; {BOOK_ROUNDS}")
    for case in hidden_cases(seed=75, count=6):
        rng = _rng(case)
        n, d, rounds = case.randint(4, 30), case.randint(1, 3), case.randint(1, 8)
        X, y = _unstumpable(rng, n, d)
        label = f"{case.name}, X {X.shape}, {rounds} rounds"
        model = mine.adaboost(X.copy(), y.copy(), rounds)
        if not isinstance(model, (list, tuple)) or len(model) != rounds:
            got = f"{len(model)} rounds" if isinstance(model, (list, tuple)) else type(model).__name__
            fail(f"adaboost, {label}: expected {rounds} (alpha, stump) pairs; got {got}")
        _, _, f = _replay(mine, model, X, y, f"adaboost, {label}")
        _check_predict(mine, model, X, f, label)
    shown = ", ".join(f"{e:.4f}" for e in errors)
    return f"example 8.1: e = {shown} (the book rounds to 0.3, 0.2143, 0.1820), no training error after 3 rounds"


def _sklearn_samme(rounds: int):
    """AdaBoostClassifier on stumps with SAMME (the only algorithm from scikit-learn 1.8 on; asked
    for by name before that). For two classes SAMME's alpha is twice Li Hang's: the same sign."""
    from sklearn.ensemble import AdaBoostClassifier
    from sklearn.tree import DecisionTreeClassifier

    extra = {"algorithm": "SAMME"} if "algorithm" in inspect.signature(AdaBoostClassifier).parameters else {}
    return AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=rounds, random_state=0, **extra)


@check.step("breast-cancer", needs=["boosting"])
def breast_cancer(ctx):
    """20 rounds on scikit-learn's breast cancer data (its 10 'mean' features): held-out accuracy
    at least 0.88 and within 0.05 of AdaBoostClassifier (SAMME) on stumps; the training error
    below the bounds prod Z_m = prod 2 sqrt(e_m (1 - e_m)) <= exp(-2 sum gamma_m^2)."""
    from sklearn.datasets import load_breast_cancer

    mine = ctx.learner(FILE)
    data = load_breast_cancer()
    order = np.random.default_rng(76).permutation(len(data.target))
    X, y = data.data[order][:, :10], np.where(data.target[order] == 1, 1, -1)
    X_train, y_train, X_test, y_test = X[:350], y[:350], X[350:], y[350:]
    rounds = 20
    model = mine.adaboost(X_train.copy(), y_train.copy(), rounds)
    errors, normalisers, f = _replay(mine, model, X_train, y_train, "adaboost on breast cancer", judge=False)
    train_error = float(np.mean(np.where(f >= 0, 1, -1) != y_train))
    product = float(np.prod(normalisers))
    gammas = 0.5 - np.array(errors)
    exp_bound = float(np.exp(-2 * np.sum(gammas**2)))
    test_acc = float(np.mean(_signs(mine.predict(model, X_test.copy()), len(y_test), "predict") == y_test))
    sklearn_acc = float(_sklearn_samme(rounds).fit(X_train, y_train).score(X_test, y_test))
    ctx.metrics.update(
        train_error=round(train_error, 4),
        bound_prod_z=round(product, 4),
        bound_exp=round(exp_bound, 4),
        test_acc=round(test_acc, 4),
        sklearn_test_acc=round(sklearn_acc, 4),
    )
    if not train_error <= product + 1e-12 <= exp_bound + 2e-12:
        fail(
            f"training error {train_error:.4f}, prod Z_m {product:.4f}, exp(-2 sum gamma^2) {exp_bound:.4f}: "
            "theorems 8.1 and 8.3 say error <= prod Z_m <= exp(-2 sum gamma_m^2) when alpha_m is 1/2 ln((1-e)/e)."
        )
    if test_acc < 0.88 or test_acc < sklearn_acc - 0.05:
        fail(
            f"held-out accuracy {test_acc:.3f} on 219 samples; scikit-learn's AdaBoostClassifier (SAMME, stumps, "
            f"{rounds} rounds) reaches {sklearn_acc:.3f}. Expected at least 0.88 and within 0.05 of it."
        )
    return (
        f"held-out accuracy {test_acc:.3f} (scikit-learn's SAMME: {sklearn_acc:.3f}); training error "
        f"{train_error:.3f} <= prod Z_m = {product:.3f} <= exp(-2 sum gamma^2) = {exp_bound:.3f}"
    )
