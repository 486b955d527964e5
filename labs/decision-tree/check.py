"""Check for the decision-tree lab (Li Hang, 统计学习方法 ch. 5): five steps. Entropy and Gini
against scipy and the formula; information gain against scikit-learn's mutual_info_score (in
bits) and gain ratio against it over the feature's own entropy; CART's Gini index of a binary
split against the formula; trees grown by ID3 and C4.5 on the book's loan table 5.1 and on seeded
hidden data, judged by what any correct tree does (the best feature at the root, leaves that
predict their majority); and pruning with C_alpha(T) = sum N_t H_t + alpha |T| on a noisy set,
where it must improve held-out accuracy.

The tree is the learner's own data structure: only their predict, n_leaves and prune read it.
The learner's code is NumPy, so --device changes nothing here."""

import itertools

import numpy as np

from studyctl.labkit.api import Check, assert_close, fail, hidden_cases

check = Check()
FILE = "tree.py"

# Li Hang, table 5.1 (loan applications). Age: youth 0, middle 1, old 2; has a job: no 0, yes 1;
# owns a house: no 0, yes 1; credit: fair 0, good 1, excellent 2; class (loan granted): no 0, yes 1.
LOAN_X = np.array(
    [
        [0, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 1], [0, 1, 1, 0], [0, 0, 0, 0],
        [1, 0, 0, 0], [1, 0, 0, 1], [1, 1, 1, 1], [1, 0, 1, 2], [1, 0, 1, 2],
        [2, 0, 1, 2], [2, 0, 1, 1], [2, 1, 0, 1], [2, 1, 0, 2], [2, 0, 0, 0],
    ]
)  # fmt: skip
LOAN_Y = np.array([0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0])
LOAN = "Li Hang's table 5.1 (15 loan applications)"
FEATURES = ("A1 age", "A2 has a job", "A3 owns a house", "A4 credit")
BOOK_GAINS = "the book: g(D, A1..A4) = 0.083, 0.324, 0.420, 0.363"


def _rng(case) -> np.random.Generator:
    """A NumPy generator seeded from the hidden case: the same numbers on every machine."""
    return np.random.default_rng(case.rng.randrange(2**32))


def _labels(rng, n):
    """n labels from a random set of integers (negative ones included), at least one of each."""
    values = rng.choice(np.arange(-3, 8), size=int(rng.integers(1, 5)), replace=False)
    return rng.choice(values, n), values


def _entropy(values) -> float:
    from scipy.stats import entropy

    _, counts = np.unique(values, return_counts=True)
    return float(entropy(counts, base=2))


def _gini(values) -> float:
    _, counts = np.unique(values, return_counts=True)
    return float(1 - ((counts / counts.sum()) ** 2).sum())


def _gain(x, y) -> float:
    """Information gain in bits: the mutual information of feature and label."""
    from sklearn.metrics import mutual_info_score

    return float(mutual_info_score(x, y) / np.log(2))


def _ratio(x, y) -> float:
    split = _entropy(x)
    return 0.0 if split == 0 else _gain(x, y) / split


def _number(value, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        fail(f"{name} should return a number; got {type(value).__name__}")


@check.step("impurity")
def impurity(ctx):
    """entropy(y) in bits matches scipy.stats.entropy(counts, base=2); gini(y) is 1 - sum p_k^2."""
    mine = ctx.learner(FILE)
    cases = [(f"y of {LOAN} (9 yes, 6 no)", LOAN_Y)]
    for case in hidden_cases(seed=51, count=10):
        y, _ = _labels(_rng(case), case.randint(1, 30))
        cases.append((f"{case.name}, y ({len(y)},) with labels {sorted(set(y.tolist()))}", y))
    for label, y in cases:
        got = _number(mine.entropy(y.copy()), "entropy")
        expected = _entropy(y)
        hint = "H(D) = -sum_k p_k log2 p_k over the classes present, p_k = (count of class k) / N."
        if expected > 0 and np.isclose(got, expected * np.log(2)):
            hint = "Your entropy is in nats (natural log): the book, and this lab, use bits, np.log2."
        assert_close(got, expected, name=f"entropy(y), {label}, against scipy.stats.entropy(counts, base=2)", hint=hint)
        assert_close(
            _number(mine.gini(y.copy()), "gini"),
            _gini(y),
            name=f"gini(y), {label}",
            hint="Gini(D) = 1 - sum_k p_k ** 2 over the classes present.",
        )
    return "H(D) = 0.971 bits and Gini(D) = 0.48 on table 5.1"


@check.step("information-gain")
def information_gain(ctx):
    """information_gain matches mutual_info_score in bits; gain_ratio divides it by the feature's
    own entropy H_A(D), and is 0 for a feature with one value."""
    mine = ctx.learner(FILE)
    cases = [(f"{LOAN}, feature {FEATURES[j]}", LOAN_X[:, j], LOAN_Y) for j in range(4)]
    for case in hidden_cases(seed=52, count=10):
        rng = _rng(case)
        n = case.randint(1, 30)
        y, _ = _labels(rng, n)
        x = rng.integers(0, case.randint(1, 5), n) * 2 - 1  # odd codes, one value now and then
        cases.append((f"{case.name}, x and y ({n},), x values {sorted(set(x.tolist()))}", x, y))
    for label, x, y in cases:
        got = _number(mine.information_gain(x.copy(), y.copy()), "information_gain")
        expected = _gain(x, y)
        hint = "g(D, A) = H(D) - H(D | A), with H(D | A) = sum_i |D_i| / |D| * H(D_i) over the values a_i of A."
        unweighted = _entropy(y) - np.mean([_entropy(y[x == v]) for v in np.unique(x)])
        if not np.isclose(expected, unweighted) and np.isclose(got, unweighted):
            hint = "H(D | A) weighs each subset's entropy by its share |D_i| / |D|; a plain mean treats them equally."
        extra = f" ({BOOK_GAINS})" if label.startswith("Li Hang") else ""
        assert_close(got, expected, name=f"information_gain(x, y), {label}{extra}", hint=hint)
        got = _number(mine.gain_ratio(x.copy(), y.copy()), "gain_ratio")
        expected = _ratio(x, y)
        hint = "g_R(D, A) = g(D, A) / H_A(D), H_A(D) the entropy of the feature's values (0 when it has one value)."
        if _entropy(y) > 0 and np.isclose(got, _gain(x, y) / _entropy(y)) and not np.isclose(got, expected):
            hint = "That divides by H(D), the labels' entropy. C4.5 divides by H_A(D), the entropy of the feature x."
        assert_close(got, expected, name=f"gain_ratio(x, y), {label}", hint=hint)
    return "g(D, A3 owns a house) = 0.420, the largest on table 5.1, as in the book"


@check.step("gini-index")
def gini_index(ctx):
    """gini_index(x, y, a) is |D1| / |D| Gini(D1) + |D2| / |D| Gini(D2) for D1 = {x == a}."""
    mine = ctx.learner(FILE)
    cases = [
        (f"{LOAN}, {FEATURES[j]} = {a}", LOAN_X[:, j], LOAN_Y, a) for j in range(4) for a in np.unique(LOAN_X[:, j])
    ]
    for case in hidden_cases(seed=53, count=10):
        rng = _rng(case)
        n = case.randint(1, 30)
        y, _ = _labels(rng, n)
        x = rng.integers(0, case.randint(1, 4), n)
        a = int(rng.integers(0, 4))  # sometimes every sample, sometimes none: an empty side adds 0
        cases.append((f"{case.name}, x and y ({n},), a = {a}, {int(np.sum(x == a))} samples with x == a", x, y, a))
    hint = "Gini(D, A = a) = |D1| / |D| Gini(D1) + |D2| / |D| Gini(D2), D1 = samples with x == a, D2 the rest."
    for label, x, y, a in cases:
        left = x == a
        expected = float(sum(np.mean(side) * _gini(y[side]) for side in (left, ~left) if side.any()))
        got = _number(mine.gini_index(x.copy(), y.copy(), a), "gini_index")
        this_hint = hint
        if left.any() and (~left).any() and np.isclose(got, (_gini(y[left]) + _gini(y[~left])) / 2):
            this_hint = "Weigh each side's Gini by its share of the samples, |D1| / |D| and |D2| / |D|."
        assert_close(got, expected, name=f"gini_index(x, y, a), {label}", hint=this_hint)
    return "Gini(D, A3 = yes) = 0.27, the smallest on table 5.1, as in the book"


def _modes(values) -> set:
    labels, counts = np.unique(values, return_counts=True)
    return set(labels[counts == counts.max()].tolist())


def _predicted(mine, tree, X, name):
    got = np.asarray(mine.predict(tree, X.copy()))
    if got.shape != (len(X),):
        fail(f"{name}: predict(tree, X) for X {X.shape} should have shape ({len(X)},); got {got.shape}")
    return got


def _stump_ok(predicted, X, y, criterion) -> bool:
    """A one-split tree is right when, for some feature with the best criterion (ties allowed),
    every training sample gets a majority class of the samples sharing its value."""
    score = _gain if criterion == "gain" else _ratio
    if len(np.unique(y)) == 1:
        return bool(np.all(predicted == y[0]))
    scores = np.array([score(X[:, j], y) for j in range(X.shape[1])])
    for j in np.flatnonzero(scores >= scores.max() - 1e-9):
        if all(predicted[i] in _modes(y[X[:, j] == X[i, j]]) for i in range(len(y))):
            return True
    return False


def _random_table(rng, n, d):
    y, _ = _labels(rng, n)
    X = np.stack([rng.integers(0, int(rng.integers(1, 4)), n) for _ in range(d)], axis=1)
    return X, y


@check.step("build-tree", needs=["information-gain"])
def build_tree(ctx):
    """ID3 and C4.5 on table 5.1 give the book's 3-leaf tree; on hidden data the root split uses a
    best feature, and every leaf predicts the majority of its samples."""
    mine = ctx.learner(FILE)
    for criterion in ("gain", "ratio"):
        name = f"fit_tree on {LOAN}, criterion '{criterion}'"
        tree = mine.fit_tree(LOAN_X.copy(), LOAN_Y.copy(), criterion=criterion)
        predicted = _predicted(mine, tree, LOAN_X, name)
        wrong = int(np.sum(predicted != LOAN_Y))
        if wrong:
            fail(f"{name}: {wrong} of 15 training samples misclassified; the full tree fits table 5.1 exactly.")
        leaves = mine.n_leaves(tree)
        if leaves != 3:
            fail(
                f"{name}: n_leaves is {leaves}; the book's tree (figure 5.5) has 3: owns a house? yes -> grant; "
                "no -> has a job? yes -> grant, no -> refuse. Split only while a node has two classes."
            )
        stump = mine.fit_tree(LOAN_X.copy(), LOAN_Y.copy(), criterion=criterion, max_depth=1)
        expected = np.where(LOAN_X[:, 2] == 1, 1, 0)  # split on the house, then the majority: 6 yes / 3 of 9
        if not np.array_equal(_predicted(mine, stump, LOAN_X, name), expected):
            fail(
                f"{name}, max_depth=1: expected one split on A3 (owns a house), the largest {criterion}, with each "
                "side predicting its majority class. max_depth counts splits: the root has depth 0."
            )
    for case in hidden_cases(seed=54, count=8):
        rng = _rng(case)
        n, d = case.randint(1, 40), case.randint(1, 5)
        X, y = _random_table(rng, n, d)
        criterion = ("gain", "ratio")[case.index % 2]
        name = f"fit_tree, {case.name}, X ({n}, {d}), criterion '{criterion}'"
        predicted = _predicted(mine, mine.fit_tree(X.copy(), y.copy(), criterion=criterion), X, name)
        for i in range(n):
            same = np.all(X[i] == X, axis=1)
            if predicted[i] not in _modes(y[same]):
                fail(
                    f"{name}: sample {i} is predicted {predicted[i]}, but the {int(same.sum())} training samples with "
                    f"its exact features have labels {sorted(y[same].tolist())}. A fully grown tree predicts the "
                    "majority: split while a node has two classes and a feature is left, and give each leaf its "
                    "majority class (not the first sample's)."
                )
        stump = mine.fit_tree(X.copy(), y.copy(), criterion=criterion, max_depth=1)
        if not _stump_ok(_predicted(mine, stump, X, name), X, y, criterion):
            fail(
                f"{name}, max_depth=1: the single split should be on a feature with the largest {criterion}, each "
                "child predicting the majority of its samples."
            )
        query = X[:1].copy() + 5  # values never seen in training
        unseen = _predicted(mine, mine.fit_tree(X.copy(), y.copy(), criterion=criterion), query, name)
        if unseen[0] not in set(y.tolist()):
            fail(f"{name}: a sample with unseen values was predicted {unseen[0]}, which is not a training label")
    return "the book's 3-leaf tree on table 5.1 with both criteria; majority leaves on 8 hidden sets"


def _noisy(rng, n):
    """8 categorical features with 3 values; the label is a small tree on the first three, with
    20% of the labels flipped."""
    X = rng.integers(0, 3, (n, 8))
    y = ((X[:, 0] == 2) | ((X[:, 0] == 1) & (X[:, 1] != 0)) | ((X[:, 0] == 0) & (X[:, 2] == 1))).astype(int)
    return X, np.where(rng.random(n) < 0.2, 1 - y, y)


ALPHAS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


@check.step("prune", needs=["build-tree"])
def prune(ctx):
    """Pruning with C_alpha(T): no more leaves as alpha grows, one leaf for a huge alpha, and on a
    noisy set an alpha chosen on validation data beats the full tree on held-out data."""
    mine = ctx.learner(FILE)
    for alpha, leaves in ((1.0, 3), (20.0, 1)):
        tree = mine.prune(mine.fit_tree(LOAN_X.copy(), LOAN_Y.copy()), alpha)
        if mine.n_leaves(tree) != leaves:
            fail(
                f"prune(tree of {LOAN}, alpha={alpha:g}): n_leaves is {mine.n_leaves(tree)}, expected {leaves}. The "
                "full tree's leaves are pure (loss 3 alpha). Collapsing 'has a job' costs 9 H = 8.26 bits: worth it "
                "once alpha >= 8.26, and then the root (15 H(D) = 14.57) once alpha >= 6.3."
            )
    X, y = _noisy(np.random.default_rng(55), 1000)
    X_train, y_train, X_val, y_val, X_test, y_test = X[:400], y[:400], X[400:600], y[400:600], X[600:], y[600:]
    full = mine.fit_tree(X_train.copy(), y_train.copy())
    full_leaves = mine.n_leaves(full)
    full_test = float(np.mean(_predicted(mine, full, X_test, "the full tree") == y_test))
    rows = []
    for alpha in ALPHAS:
        tree = mine.prune(mine.fit_tree(X_train.copy(), y_train.copy()), alpha)  # a fresh tree: prune may edit
        rows.append(
            (
                alpha,
                mine.n_leaves(tree),
                float(np.mean(_predicted(mine, tree, X_val, f"alpha {alpha:g}") == y_val)),
                float(np.mean(_predicted(mine, tree, X_test, f"alpha {alpha:g}") == y_test)),
            )
        )
        ctx.progress(len(rows), len(ALPHAS), leaves=rows[-1][1])
    table = ", ".join(f"alpha {a:g}: {n} leaves" for a, n, _, _ in rows)
    counts = [n for _, n, _, _ in rows]
    if counts[0] > full_leaves or any(b > a for a, b in itertools.pairwise(counts)):
        fail(
            f"on the noisy set, the full tree has {full_leaves} leaves and the pruned ones {table}: a larger alpha "
            "charges more per leaf, so it can only remove leaves. Collapse a node when N H(node) + alpha <= "
            "sum over its leaf children of N_t H_t + alpha * (number of children)."
        )
    huge = mine.prune(mine.fit_tree(X_train.copy(), y_train.copy()), 1e9)
    majority = np.bincount(y_train).argmax()
    if mine.n_leaves(huge) != 1 or not np.all(_predicted(mine, huge, X_test, "alpha 1e9") == majority):
        fail(
            "prune(tree, alpha=1e9) should leave a single leaf predicting the majority class; "
            f"got {mine.n_leaves(huge)} leaves"
        )
    best = max(rows, key=lambda row: (row[2], row[0]))  # best validation accuracy; on ties the larger alpha
    alpha, leaves, val_acc, test_acc = best
    ctx.metrics.update(
        full_leaves=full_leaves,
        full_test_acc=round(full_test, 4),
        alpha=alpha,
        leaves=leaves,
        test_acc=round(test_acc, 4),
    )
    if test_acc < full_test + 0.05 or test_acc < 0.72:
        fail(
            f"the alpha with the best validation accuracy ({alpha:g}: {leaves} leaves, validation "
            f"{val_acc:.3f}) reaches {test_acc:.3f} on 400 held-out samples, against {full_test:.3f} for the "
            f"full tree ({full_leaves} leaves); expected at least 0.05 better and 0.72. {table}."
        )
    return (
        f"alpha {alpha:g} (chosen on validation) prunes {full_leaves} leaves to {leaves}: held-out accuracy "
        f"{full_test:.3f} -> {test_acc:.3f} (the labels are 20% noise, so 0.8 is the best possible)"
    )
