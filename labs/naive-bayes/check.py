"""Check for the naive-bayes lab (Li Hang, 统计学习方法 ch. 4): five steps. The smoothed prior
against the formula; the conditional probabilities, the joint log-likelihood and the posterior
against scikit-learn's CategoricalNB(alpha=lam) fitted in this run, on the book's example 4.1/4.2
and on seeded hidden cases (one with 800 features, where anything outside log space underflows);
then the whole classifier on scikit-learn's digits, pixel values as categories.

The learner's code is NumPy, so --device changes nothing here: every device judges the same
numbers."""

import warnings

import numpy as np

from studyctl.labkit.api import Check, assert_close, fail, hidden_cases

check = Check()
FILE = "naive_bayes.py"

# Li Hang, table of example 4.1: X1 in {1, 2, 3} -> 0, 1, 2; X2 in {S, M, L} -> 0, 1, 2; Y in {-1, 1} -> 0, 1.
BOOK_X = np.array(
    [
        [0, 0],
        [0, 1],
        [0, 1],
        [0, 0],
        [0, 0],
        [1, 0],
        [1, 1],
        [1, 1],
        [1, 2],
        [1, 2],
        [2, 2],
        [2, 1],
        [2, 1],
        [2, 2],
        [2, 2],
    ]
)
BOOK_Y = np.array([0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0])
BOOK = "Li Hang's example 4.1 (15 samples; X1 in {1, 2, 3}, X2 in {S, M, L}, Y in {-1, 1} coded 0, 1, 2 / 0, 1)"
BOOK_QUERY = np.array([[1, 0]])  # x = (2, S)
LOG_SPACE = (
    "Stay in log space: add log-probabilities instead of multiplying probabilities. 800 probabilities "
    "of about 1/3 multiply to about 1e-380, below the smallest float64 (about 1e-308), so the product is 0."
)


def _rng(case) -> np.random.Generator:
    """A NumPy generator seeded from the hidden case: the same numbers on every machine."""
    return np.random.default_rng(case.rng.randrange(2**32))


def _prior(y, n_classes, lam):
    """Li Hang's (4.11): the smoothed prior, in logs."""
    return np.log(np.bincount(y, minlength=n_classes) + lam) - np.log(len(y) + n_classes * lam)


def _dataset(rng, n_samples, n_features, n_classes, max_categories):
    """Integer-coded categorical data in which every class occurs (so that scikit-learn sees all K)."""
    categories = [int(rng.integers(1, max_categories + 1)) for _ in range(n_features)]
    y = rng.permutation(np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, n_samples - n_classes)]))
    X = np.stack([rng.integers(0, s, n_samples) for s in categories], axis=1)
    return X, y, categories


def _sklearn(X, y, categories, lam):
    """scikit-learn's CategoricalNB with alpha = lam, and the smoothed prior of (4.11) (its own
    prior is the unsmoothed frequency)."""
    from sklearn.naive_bayes import CategoricalNB

    n_classes = int(y.max()) + 1
    prior = np.exp(_prior(y, n_classes, lam))
    return CategoricalNB(alpha=lam, force_alpha=True, min_categories=categories, class_prior=prior).fit(X, y)


def _tables(result, categories, n_classes, name):
    """The learner's list of (K, S_j) tables, or a failure that says what came back."""
    if not isinstance(result, (list, tuple)) or len(result) != len(categories):
        got = f"a {type(result).__name__} of {len(result)}" if isinstance(result, (list, tuple)) else type(result)
        fail(f"{name} should return a list of {len(categories)} arrays (one per feature); got {got}")
    for j, (table, s) in enumerate(zip(result, categories, strict=True)):
        if np.shape(table) != (n_classes, s):
            fail(f"{name}: table {j} should have shape (K, S_{j}) = ({n_classes}, {s}); got {np.shape(table)}")
    return [np.asarray(t, dtype=np.float64) for t in result]


def _conditional_hint(got, X, y, categories, n_classes, lam) -> str:
    """The likely cause when the learner's conditional tables are wrong."""
    if any(np.isneginf(t).any() for t in got):
        j = next(j for j, t in enumerate(got) if np.isneginf(t).any())
        k, value = (int(i) for i in np.argwhere(np.isneginf(got[j]))[0])
        return (
            f"Zero probabilities: P(X_{j} = {value} | Y = {k}) is 0 (log = -inf). Category {value} never occurs "
            f"with class {k} in the training data, so without smoothing any sample with it gets probability 0 "
            "under that class, whatever its other features say. Add lam: (N_kjl + lam) / (N_k + S_j lam)."
        )
    class_counts = np.bincount(y, minlength=n_classes)
    unsmoothed = True
    for j, s in enumerate(categories):
        counts = np.zeros((n_classes, s))
        np.add.at(counts, (y, X[:, j]), 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            unsmoothed &= bool(np.allclose(got[j], np.log(counts) - np.log(class_counts[:, None])))
    if unsmoothed:
        return (
            "That is the maximum-likelihood estimate N_kjl / N_k, without smoothing: a category never seen with a "
            "class gets probability 0 there, and every sample with it probability 0 under that class. Add lam: "
            "(N_kjl + lam) / (N_k + S_j lam)."
        )
    for j, s in enumerate(categories):
        counts = np.zeros((n_classes, s))
        np.add.at(counts, (y, X[:, j]), 1)
        with np.errstate(divide="ignore"):
            wrong_denominator = np.log(counts + lam) - np.log(class_counts[:, None] + n_classes * lam)
        if s != n_classes and np.allclose(got[j], wrong_denominator):
            return (
                f"The denominator adds lam once per category of feature j: N_k + S_j lam (S_{j} = {s}), "
                f"not N_k + K lam (K = {n_classes}). Then each row of probabilities sums to 1."
            )
    sums = [np.exp(t).sum(axis=1) for t in got]
    if not all(np.allclose(s, 1) for s in sums):
        return "exp of each row (one class, one feature) should sum to 1 over the categories; yours do not."
    return "log P(X_j = l | Y = c_k) = log((N_kjl + lam) / (N_k + S_j lam)), one (K, S_j) table per feature."


@check.step("class-prior")
def class_prior(ctx):
    """class_log_prior is log((N_k + lam) / (N + K lam)), Li Hang's (4.11)."""
    mine = ctx.learner(FILE)
    cases = [(f"{BOOK}, lam 1", BOOK_Y, 2, 1.0), (f"{BOOK}, lam 0 (maximum likelihood)", BOOK_Y, 2, 0.0)]
    for case in hidden_cases(seed=41, count=8):
        rng = _rng(case)
        n, k = case.randint(1, 40), case.randint(1, 6)
        lam = float(rng.choice([0.5, 1.0, 2.5]))
        cases.append((f"{case.name}, y ({n},), K {k}, lam {lam:g}", rng.integers(0, k, n), k, lam))
    for label, y, k, lam in cases:
        got = mine.class_log_prior(y.copy(), k, lam)
        expected = _prior(y, k, lam)
        hint = "log P(Y = c_k) = log((N_k + lam) / (N + K lam)): lam is added to every class count."
        if np.shape(got) == expected.shape:
            got_array = np.asarray(got, dtype=np.float64)
            if lam > 0 and np.allclose(got_array, np.log(np.bincount(y, minlength=k) / len(y)), equal_nan=True):
                hint = "That is the unsmoothed frequency N_k / N: the prior is smoothed too, (N_k + lam) / (N + K lam)."
            elif np.allclose(got_array, np.exp(expected)):
                hint = "Those are probabilities; return their logs (everything in this lab stays in log space)."
        assert_close(got, expected, name=f"class_log_prior, {label}", hint=hint, check_dtype=False)
    return "P(Y = 1) = 10/17 and P(Y = -1) = 7/17 with lam = 1, as in example 4.2"


@check.step("conditional")
def conditional(ctx):
    """feature_log_prob matches scikit-learn's CategoricalNB(alpha=lam).feature_log_prob_."""
    mine = ctx.learner(FILE)
    cases = [(f"{BOOK}, lam 1", BOOK_X, BOOK_Y, [3, 3], 1.0)]
    for case in hidden_cases(seed=42, count=8):
        rng = _rng(case)
        k = case.randint(1, 4)
        n, d = case.randint(k, 40), case.randint(1, 5)
        lam = float(rng.choice([0.5, 1.0, 2.5]))
        X, y, categories = _dataset(rng, n, d, k, 5)
        cases.append((f"{case.name}, X ({n}, {d}), S {categories}, K {k}, lam {lam:g}", X, y, categories, lam))
    results = []
    for label, X, y, categories, lam in cases:
        k = int(y.max()) + 1
        name = f"feature_log_prob, {label}"
        with np.errstate(divide="ignore"):  # a log(0) is judged below, with its cause
            got = _tables(mine.feature_log_prob(X.copy(), y.copy(), list(categories), k, lam), categories, k, name)
        results.append((name, got, X, y, categories, k, lam))
    # Zero probabilities first, wherever they are: the book's example has no unseen category.
    results.sort(key=lambda r: not any(np.isneginf(t).any() for t in r[1]))
    for name, got, X, y, categories, k, lam in results:
        reference = _sklearn(X, y, categories, lam)
        hint = _conditional_hint(got, X, y, categories, k, lam)
        for j, (table, expected) in enumerate(zip(got, reference.feature_log_prob_, strict=True)):
            assert_close(table, expected, name=f"{name}: table {j}, against CategoricalNB(alpha={lam:g})", hint=hint)
    return "P(X1 = 1 | Y = 1) = 3/12 and P(X2 = S | Y = -1) = 4/9 with lam = 1, as in example 4.2"


def _fitted_cases(seed):
    """(label, fitted CategoricalNB, query rows) on the book's example and on hidden cases,
    the last of which has 800 features."""
    cases = [(f"{BOOK}, lam 1, x = (2, S)", _sklearn(BOOK_X, BOOK_Y, [3, 3], 1.0), BOOK_QUERY)]
    cases.append(
        (f"{BOOK}, lam 1, all 9 (X1, X2) pairs", cases[0][1], np.array([[a, b] for a in range(3) for b in range(3)]))
    )
    for case in hidden_cases(seed=seed, count=6):
        rng = _rng(case)
        k = case.randint(1, 4)
        big = case.index == 5
        n, d = case.randint(max(k, 2), 30), 800 if big else case.randint(1, 6)
        X, y, categories = _dataset(rng, n, d, k, 4)
        if big:
            categories = [max(s, 2) for s in categories]
        lam = float(rng.choice([0.5, 1.0, 2.5]))
        m = case.randint(1, 6)
        query = np.stack([rng.integers(0, s, m) for s in categories], axis=1)
        label = f"{case.name}, {d} features, K {k}, lam {lam:g}, {len(query)} query rows"
        cases.append((label, _sklearn(X, y, categories, lam), query))
    return cases


def _clear(jll: np.ndarray) -> np.ndarray:
    """Rows whose best class wins by more than rounding: exact ties are left out (either answer is right)."""
    if jll.shape[1] == 1:
        return np.ones(len(jll), dtype=bool)
    top2 = np.sort(jll, axis=1)[:, -2:]
    return (top2[:, 1] - top2[:, 0]) > 1e-9


def _parameters(model):
    return model.class_log_prior_.copy(), [t.copy() for t in model.feature_log_prob_]


@check.step("joint-log-likelihood")
def joint(ctx):
    """joint_log_likelihood matches CategoricalNB.predict_joint_log_proba given the same tables,
    also with 800 features."""
    mine = ctx.learner(FILE)
    for label, model, query in _fitted_cases(seed=43):
        expected = model.predict_joint_log_proba(query)
        with np.errstate(divide="ignore", under="ignore"):
            got = mine.joint_log_likelihood(query.copy(), *_parameters(model))
        hint = "log P(Y = c_k) + sum over features j of log P(X_j = x_j | Y = c_k), for each row and class."
        if np.shape(got) == expected.shape:
            got_array = np.asarray(got, dtype=np.float64)
            if np.isneginf(got_array).any() and np.isfinite(expected).all():
                hint = LOG_SPACE
            elif np.allclose(got_array, expected - model.class_log_prior_):
                hint = "The prior is missing: add log P(Y = c_k) to each class's sum."
        assert_close(got, expected, name=f"joint_log_likelihood, {label}", hint=hint, check_dtype=False)
    return "joint log-likelihoods match CategoricalNB's, 800 features included"


@check.step("posterior")
def posterior(ctx):
    """predict_proba matches CategoricalNB.predict_proba (rows sum to 1, no NaN with 800
    features), and predict is its argmax: x = (2, S) is class -1, as in example 4.2."""
    mine = ctx.learner(FILE)
    for label, model, query in _fitted_cases(seed=44):
        expected = model.predict_proba(query)
        with np.errstate(all="ignore"):
            got = mine.predict_proba(query.copy(), *_parameters(model))
        hint = "Normalise in log space: p = exp(jll - logsumexp(jll)) per row, with the row's max subtracted first."
        if np.shape(got) == expected.shape and np.isnan(np.asarray(got, dtype=np.float64)).any():
            hint = (
                "NaN: exp of a joint log-likelihood around -1000 is 0 for every class, and 0 / 0 is NaN. Subtract "
                "each row's max first: exp(jll - max) has at least one 1 in every row."
            )
        assert_close(got, expected, name=f"predict_proba, {label}", hint=hint, check_dtype=False)
        clear = _clear(model.predict_joint_log_proba(query))
        predicted = np.asarray(mine.predict(query.copy(), *_parameters(model)))
        if predicted.shape != (len(query),):
            fail(f"predict, {label}: expected shape ({len(query)},), got {predicted.shape}")
        assert_close(
            predicted[clear].astype(np.float64),
            model.predict(query)[clear].astype(np.float64),
            name=f"predict, {label}",
            hint="The class with the largest joint log-likelihood: np.argmax over the classes (axis=1).",
        )
    return "x = (2, S) is class -1, as in example 4.2; no NaN with 800 features"


@check.step("train-digits", needs=["conditional", "posterior"])
def train_digits(ctx):
    """Your classifier on scikit-learn's digits (64 pixels, values 0..16 as 17 categories): at
    least 88% on 497 held-out digits and the same predictions as CategoricalNB(alpha=1)."""
    from sklearn.datasets import load_digits

    mine = ctx.learner(FILE)
    digits = load_digits()
    order = np.random.default_rng(45).permutation(len(digits.target))
    X, y = digits.data[order].astype(np.int64), digits.target[order]
    X_train, y_train, X_test, y_test = X[:1300], y[:1300], X[1300:], y[1300:]
    categories = [17] * 64
    log_prior = np.asarray(mine.class_log_prior(y_train.copy(), 10, 1.0), dtype=np.float64)
    log_probs = mine.feature_log_prob(X_train.copy(), y_train.copy(), categories, 10, 1.0)
    predicted = np.asarray(mine.predict(X_test.copy(), log_prior, log_probs))
    accuracy = float(np.mean(predicted == y_test))
    reference = _sklearn(X_train, y_train, categories, 1.0)
    clear = _clear(reference.predict_joint_log_proba(X_test))
    disagree = int(np.sum((predicted != reference.predict(X_test)) & clear))
    ctx.metrics.update(test_acc=round(accuracy, 4), sklearn_test_acc=round(float(reference.score(X_test, y_test)), 4))
    with np.errstate(all="ignore"), warnings.catch_warnings():  # what smoothing is for: lam = 0
        warnings.simplefilter("ignore")
        unsmoothed = _sklearn(X_train, y_train, categories, 0.0).predict_joint_log_proba(X_test)
    zero = int(np.sum(np.all(np.isneginf(unsmoothed), axis=1)))
    ctx.metrics["lam0_zero_prob_digits"] = zero
    if disagree:
        fail(f"{disagree} of 497 held-out predictions differ from CategoricalNB(alpha=1) on the same counts")
    if not accuracy >= 0.88:
        fail(f"held-out accuracy {accuracy:.3f} on 497 digits is below 0.88")
    return (
        f"held-out accuracy {accuracy:.3f} on 497 digits, as CategoricalNB(alpha=1). Without smoothing "
        f"(CategoricalNB(alpha=0)), {zero} of them would get probability 0 under every class"
    )
