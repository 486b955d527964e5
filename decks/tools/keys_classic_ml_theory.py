"""Computed keys for the classic-ml-theory deck: every number, shape and worked-example answer,
recomputed from the book's data.

Where 李航 (2nd ed.) prints a result, the computation is also asserted against the printed value, so
the module checks the book's examples as well as the deck. The examples feed several cards at once,
so the keys come from one group function (GROUPS); check_numbers.py compares them with the deck:
`python decks/tools/check_numbers.py classic-ml-theory`.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

DECKS = {"classic-ml-theory"}


# ---------------------------------------------------------------- ch1: generalization bound
def finite_class_bound(d: int, n: int, delta: float) -> float:
    """李航 1.6: R(f) <= R_emp(f) + sqrt((log d + log(1/delta)) / (2N)) for d functions."""
    return math.sqrt((math.log(d) + math.log(1 / delta)) / (2 * n))


# ---------------------------------------------------------------- ch2: perceptron
X_PERCEPTRON = np.array([[3, 3], [4, 3], [1, 1]], dtype=float)
Y_PERCEPTRON = np.array([1, 1, -1])


def perceptron_primal(x, y, eta=1.0):
    """Always update on the first misclassified point (the order of 例2.1's table)."""
    w, b, visited = np.zeros(x.shape[1]), 0.0, []
    while True:
        wrong = [i for i in range(len(y)) if y[i] * (w @ x[i] + b) <= 0]
        if not wrong:
            return w, b, visited
        i = wrong[0]
        w, b = w + eta * y[i] * x[i], b + eta * y[i]
        visited.append(i + 1)


def perceptron_dual(x, y, eta=1.0):
    gram = x @ x.T
    alpha, b = np.zeros(len(y)), 0.0
    while True:
        wrong = [i for i in range(len(y)) if y[i] * ((alpha * y) @ gram[:, i] + b) <= 0]
        if not wrong:
            return alpha, b, gram
        i = wrong[0]
        alpha[i] += eta
        b += eta * y[i]


def novikoff_bound(w_hat, x, y) -> float:
    """(R / gamma)^2 for a separating (w, b) scaled to unit norm, on x_hat = (x, 1)."""
    x_hat = np.hstack([x, np.ones((len(x), 1))])
    w_hat = np.asarray(w_hat, dtype=float) / np.linalg.norm(w_hat)
    gamma = min(y * (x_hat @ w_hat))
    radius = max(np.linalg.norm(x_hat, axis=1))
    return (radius / gamma) ** 2


# ---------------------------------------------------------------- ch3: kNN and kd-tree
KD_POINTS = [(2, 3), (5, 4), (9, 6), (4, 7), (8, 1), (7, 2)]


def build_kd(points, depth=0):
    if not points:
        return None
    axis = depth % 2
    points = sorted(points, key=lambda p: p[axis])
    mid = len(points) // 2  # 例3.2 takes the upper median for an even count: (7, 2) at the root
    return {
        "point": points[mid],
        "axis": axis,
        "left": build_kd(points[:mid], depth + 1),
        "right": build_kd(points[mid + 1 :], depth + 1),
    }


def kd_first_leaf(node, target):
    while True:
        side = "left" if target[node["axis"]] < node["point"][node["axis"]] else "right"
        if node[side] is None:
            other = node["right" if side == "left" else "left"]
            if other is None:
                return node["point"]
            side = "right" if side == "left" else "left"
        node = node[side]


def kd_nearest(node, target, best=None):
    if node is None:
        return best
    dist = math.dist(node["point"], target)
    if best is None or dist < best[1]:
        best = (node["point"], dist)
    axis = node["axis"]
    near, far = ("left", "right") if target[axis] < node["point"][axis] else ("right", "left")
    best = kd_nearest(node[near], target, best)
    if abs(target[axis] - node["point"][axis]) < best[1]:
        best = kd_nearest(node[far], target, best)
    return best


def minkowski(a, b, p):
    diffs = [abs(u - v) for u, v in zip(a, b, strict=True)]
    return max(diffs) if p == math.inf else sum(d**p for d in diffs) ** (1 / p)


def smallest_p_where_x3_wins():
    x1, x2, x3 = (1, 1), (5, 1), (4, 4)
    return next(p for p in range(1, 20) if minkowski(x1, x3, p) < minkowski(x1, x2, p))


# ---------------------------------------------------------------- ch4: naive Bayes (例4.1, 例4.2)
NB_X1 = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
NB_X2 = list("SMMSSSMMLLLMMLL")
NB_Y = [-1, -1, 1, 1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 1, -1]


def naive_bayes_scores(lam: float, x=(2, "S")) -> dict[int, float]:
    """Unnormalized P(Y=c) * prod_j P(X_j = x_j | Y=c), with Laplace smoothing lam."""
    n, classes = len(NB_Y), sorted(set(NB_Y))
    values = [sorted(set(NB_X1)), sorted(set(NB_X2))]
    scores = {}
    for c in classes:
        rows = [i for i in range(n) if NB_Y[i] == c]
        score = (len(rows) + lam) / (n + len(classes) * lam)
        for j, column in enumerate((NB_X1, NB_X2)):
            hits = sum(column[i] == x[j] for i in rows)
            score *= (hits + lam) / (len(rows) + len(values[j]) * lam)
        scores[c] = score
    return scores


# ---------------------------------------------------------------- ch5: decision trees (表5.1)
LOAN = [  # age, has job, owns house, credit, class
    ("青年", "否", "否", "一般", "否"),
    ("青年", "否", "否", "好", "否"),
    ("青年", "是", "否", "好", "是"),
    ("青年", "是", "是", "一般", "是"),
    ("青年", "否", "否", "一般", "否"),
    ("中年", "否", "否", "一般", "否"),
    ("中年", "否", "否", "好", "否"),
    ("中年", "是", "是", "好", "是"),
    ("中年", "否", "是", "非常好", "是"),
    ("中年", "否", "是", "非常好", "是"),
    ("老年", "否", "是", "非常好", "是"),
    ("老年", "否", "是", "好", "是"),
    ("老年", "是", "否", "好", "是"),
    ("老年", "是", "否", "非常好", "是"),
    ("老年", "否", "否", "一般", "否"),
]


def entropy(labels) -> float:
    counts, n = Counter(labels), len(labels)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def gini(labels) -> float:
    counts, n = Counter(labels), len(labels)
    return 1 - sum((c / n) ** 2 for c in counts.values())


def info_gain(rows, feature: int) -> float:
    labels = [r[-1] for r in rows]
    groups = Counter(r[feature] for r in rows)
    conditional = sum(
        count / len(rows) * entropy([r[-1] for r in rows if r[feature] == value]) for value, count in groups.items()
    )
    return entropy(labels) - conditional


def gain_ratio(rows, feature: int) -> float:
    return info_gain(rows, feature) / entropy([r[feature] for r in rows])


def gini_split(rows, feature: int, value) -> float:
    inside = [r[-1] for r in rows if r[feature] == value]
    outside = [r[-1] for r in rows if r[feature] != value]
    return len(inside) / len(rows) * gini(inside) + len(outside) / len(rows) * gini(outside)


def pruning_alpha() -> float:
    """Leaves (4 rows, 4:0) and (4 rows, 2:2) versus their parent (8 rows, 6:2); loss sum N_t H_t in bits."""
    subtree = 4 * entropy("aaaa") + 4 * entropy("aabb")
    parent = 8 * entropy("aaaaaabb")
    return (parent - subtree) / (2 - 1)


# ---------------------------------------------------------------- ch6: logistic regression, max-ent
def multinomial_lr_probability() -> float:
    """李航 6.1.4 form: K-1 weight vectors, the K-th class is the reference with score 0."""
    scores = np.array([1.0, 0.0, 0.0])  # w1.x = 1, w2.x = 0, reference class K = 3
    return float(np.exp(scores[0]) / np.exp(scores).sum())


def iis_delta(empirical: float, model: float, m: float) -> float:
    """IIS step when f#(x, y) = M for every pair: delta = (1/M) log(E_emp f / E_model f)."""
    return math.log(empirical / model) / m


# ---------------------------------------------------------------- ch7: SVM
def svm_example_margin() -> tuple[float, float]:
    """例7.1: w = (1/2, 1/2), b = -2. Returns (geometric margin, full margin width)."""
    w = np.array([0.5, 0.5])
    x, y = X_PERCEPTRON, Y_PERCEPTRON
    functional = y * (x @ w - 2)
    assert np.isclose(functional.min(), 1.0)  # support vectors sit at functional margin 1
    return 1 / np.linalg.norm(w), 2 / np.linalg.norm(w)


def svm_example_dual() -> np.ndarray:
    """例7.2: solve the dual with alpha_2 = 0 (checked by KKT below): alpha_1 = alpha_3."""
    x, y = X_PERCEPTRON, Y_PERCEPTRON
    gram = x @ x.T
    # with alpha_1 + alpha_2 = alpha_3 and alpha_2 = 0, the dual is
    # max 2a - 1/2 a^2 (G11 - 2 G13 + G33); its maximum is at a = 2 / (G11 - 2 G13 + G33)
    a = 2 / (gram[0, 0] - 2 * gram[0, 2] + gram[2, 2])
    alpha = np.array([a, 0.0, a])
    w = (alpha * y) @ x
    b = y[0] - w @ x[0]
    assert np.all(y * (x @ w + b) >= 1 - 1e-12)  # primal feasible
    assert np.isclose(alpha.sum() - 0.5 * (alpha * y) @ gram @ (alpha * y), 0.5 * w @ w)  # zero duality gap
    return alpha


def smo_step():
    """One SMO update: y1 = -1, y2 = +1, alpha1 = 0.1, alpha2 = 0.2, C = 0.5, E1 = 0.5, E2 = -0.3,
    K11 = 1, K22 = 2, K12 = 0.5."""
    y1, y2, a1, a2, c = -1, 1, 0.1, 0.2, 0.5
    e1, e2, k11, k22, k12 = 0.5, -0.3, 1.0, 2.0, 0.5
    eta = k11 + k22 - 2 * k12
    unclipped = a2 + y2 * (e1 - e2) / eta
    low, high = (max(0, a2 - a1), min(c, c + a2 - a1)) if y1 != y2 else (max(0, a2 + a1 - c), min(c, a2 + a1))
    new_a2 = min(max(unclipped, low), high)
    new_a1 = a1 + y1 * y2 * (a2 - new_a2)
    assert math.isclose(y1 * a1 + y2 * a2, y1 * new_a1 + y2 * new_a2)
    return new_a2, new_a1


def poly2_feature_dim(d: int) -> int:
    """Monomials of degree <= 2 in d variables: the feature space of (x.z + 1)^2."""
    return math.comb(d + 2, 2)


# ---------------------------------------------------------------- ch8: AdaBoost (例8.1)
ADA_X = np.arange(10)
ADA_Y = np.array([1, 1, 1, -1, -1, -1, 1, 1, 1, -1])


def best_stump(weights):
    best = None
    for v in np.arange(-0.5, 10.0, 1.0):
        for sign in (1, -1):
            pred = np.where(v > ADA_X, sign, -sign)
            err = weights[pred != ADA_Y].sum()
            if best is None or err < best[0] - 1e-12:
                best = (err, v, pred)
    return best


def adaboost(rounds: int = 3):
    weights = np.full(10, 0.1)
    history, f = [], np.zeros(10)
    for _ in range(rounds):
        err, v, pred = best_stump(weights)
        alpha = 0.5 * math.log((1 - err) / err)
        z = (weights * np.exp(-alpha * ADA_Y * pred)).sum()
        weights_after = weights * np.exp(-alpha * ADA_Y * pred) / z
        f = f + alpha * pred
        history.append(
            {
                "err": err,
                "v": v,
                "alpha": alpha,
                "z": z,
                "weights_after": weights_after,
                "errors": (np.sign(f) != ADA_Y).sum(),
            }
        )
        weights = weights_after
    return history


def adaboost_rounds_for_bound(gamma: float, target: float) -> int:
    """Smallest M with exp(-2 M gamma^2) < target (李航 定理8.3 with gamma_m >= gamma)."""
    return math.floor(math.log(1 / target) / (2 * gamma**2)) + 1


# ---------------------------------------------------------------- ch8: boosting tree (例8.2)
BT_X = np.arange(1, 11)
BT_Y = np.array([5.56, 5.70, 5.91, 6.40, 6.80, 7.05, 8.90, 8.70, 9.00, 9.05])


def fit_stump(residual):
    best = None
    for s in np.arange(1.5, 10.0, 1.0):
        left, right = residual[s > BT_X], residual[s < BT_X]
        loss = ((left - left.mean()) ** 2).sum() + ((right - right.mean()) ** 2).sum()
        if best is None or loss < best[0] - 1e-12:
            best = (loss, s, left.mean(), right.mean())
    return best


def boosting_tree(rounds: int):
    f, splits = np.zeros(10), []
    for _ in range(rounds):
        _, s, c1, c2 = fit_stump(BT_Y - f)
        f = f + np.where(s > BT_X, c1, c2)
        splits.append((s, c1, c2, float(((BT_Y - f) ** 2).sum())))
    return splits


def gbdt_logloss_leaf() -> float:
    """Friedman's one-step Newton leaf value for log loss: sum r / sum p(1-p), labels (1, 1, 0) at p = 0.5."""
    y, p = np.array([1, 1, 0]), np.full(3, 0.5)
    return float((y - p).sum() / (p * (1 - p)).sum())


# ---------------------------------------------------------------- ch9: EM, three coins (例9.1)
COINS = np.array([1, 1, 0, 1, 0, 0, 1, 0, 1, 1])


def three_coins_step(pi, p, q):
    heads_b = pi * p**COINS * (1 - p) ** (1 - COINS)
    heads_c = (1 - pi) * q**COINS * (1 - q) ** (1 - COINS)
    mu = heads_b / (heads_b + heads_c)
    return mu.mean(), (mu * COINS).sum() / mu.sum(), ((1 - mu) * COINS).sum() / (1 - mu).sum()


def gmm_responsibility() -> float:
    """Equal weights, unit variances, means 0 and 2: responsibility of the second component for y = 1.5."""
    phi = lambda y, mu: math.exp(-((y - mu) ** 2) / 2)  # noqa: E731 (the shared 1/sqrt(2 pi) cancels)
    return phi(1.5, 2) / (phi(1.5, 0) + phi(1.5, 2))


def gmm_mean_update() -> float:
    """M-step mean of a component with responsibilities (0.9, 0.5, 0.1) for points (1, 2, 6)."""
    gamma, y = np.array([0.9, 0.5, 0.1]), np.array([1.0, 2.0, 6.0])
    return float((gamma * y).sum() / gamma.sum())


# ---------------------------------------------------------------- ch10: HMM (例10.2, 例10.3)
HMM_A = np.array([[0.5, 0.2, 0.3], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5]])
HMM_B = np.array([[0.5, 0.5], [0.4, 0.6], [0.7, 0.3]])  # columns: red, white
HMM_PI = np.array([0.2, 0.4, 0.4])
HMM_O = [0, 1, 0]  # red, white, red


def hmm_forward():
    alpha = HMM_PI * HMM_B[:, HMM_O[0]]
    first = alpha.copy()
    for o in HMM_O[1:]:
        alpha = (alpha @ HMM_A) * HMM_B[:, o]
    return first, float(alpha.sum())


def hmm_backward() -> float:
    beta = np.ones(3)
    for o in reversed(HMM_O[1:]):
        beta = HMM_A @ (HMM_B[:, o] * beta)
    return float((HMM_PI * HMM_B[:, HMM_O[0]] * beta).sum())


def hmm_viterbi():
    delta = HMM_PI * HMM_B[:, HMM_O[0]]
    back = []
    for o in HMM_O[1:]:
        scores = delta[:, None] * HMM_A
        back.append(scores.argmax(axis=0))
        delta = scores.max(axis=0) * HMM_B[:, o]
    path = [int(delta.argmax())]
    for pointers in reversed(back):
        path.insert(0, int(pointers[path[0]]))
    return tuple(s + 1 for s in path), float(delta.max())


def hmm_brute_force() -> float:
    total = 0.0
    for states in np.ndindex(3, 3, 3):
        prob = HMM_PI[states[0]] * HMM_B[states[0], HMM_O[0]]
        for t in (1, 2):
            prob *= HMM_A[states[t - 1], states[t]] * HMM_B[states[t], HMM_O[t]]
        total += prob
    return total


def hmm_gamma_state3_t2() -> float:
    """gamma_2(3) = alpha_2(3) beta_2(3) / P(O | lambda)."""
    alpha1 = HMM_PI * HMM_B[:, 0]
    alpha2 = (alpha1 @ HMM_A) * HMM_B[:, 1]
    beta2 = HMM_A @ (HMM_B[:, 0] * np.ones(3))
    return float(alpha2[2] * beta2[2] / hmm_forward()[1])


# ---------------------------------------------------------------- ch11: CRF normalizer
def crf_partition():
    """Two labels, two positions. exp-scores: start->y1 (2, 1); y1->y2 transitions [[1, 3], [2, 1]]."""
    start, trans = np.array([2.0, 1.0]), np.array([[1.0, 3.0], [2.0, 1.0]])
    brute = sum(start[a] * trans[a, b] for a in range(2) for b in range(2))
    matrix = float(start @ trans @ np.ones(2))
    assert math.isclose(brute, matrix)
    best = max(((a, b) for a in range(2) for b in range(2)), key=lambda ab: start[ab[0]] * trans[ab])
    return matrix, start[best[0]] * trans[best] / matrix


# ---------------------------------------------------------------- cs231n: hinge loss, gradient check
CS231N_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])  # rows: cat, car, frog images


def multiclass_hinge(scores, correct, delta=1.0) -> float:
    margins = np.maximum(0, scores - scores[correct] + delta)
    margins[correct] = 0
    return float(margins.sum())


def gradient_check():
    f, x, h = (lambda v: v**3), 1.0, 0.01
    forward = (f(x + h) - f(x)) / h
    centered = (f(x + h) - f(x - h)) / (2 * h)
    exact = 3.0
    rel = lambda a, b: abs(a - b) / max(abs(a), abs(b))  # noqa: E731
    return centered, rel(forward, exact), rel(centered, exact)


# ---------------------------------------------------------------- ridge regression, LR vs SVM
def ridge_closed_form():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([1.0, 2.0, 3.0])
    w = np.linalg.solve(x.T @ x + np.eye(2), x.T @ y)
    kernel_form = x.T @ np.linalg.solve(x @ x.T + np.eye(3), y)  # push-through identity
    assert np.allclose(w, kernel_form)
    return tuple(round(float(v), 3) for v in w)


def ridge_df(singular_values, lam) -> float:
    d2 = np.asarray(singular_values, dtype=float) ** 2
    return float((d2 / (d2 + lam)).sum())


def logistic_loss(margin: float) -> float:
    return math.log1p(math.exp(-margin))


def li_hang_and_cs231n_keys() -> dict[str, object]:
    """Every key of the classic-ml-theory deck, as {"deck/card-id": key}."""
    w, b, visited = perceptron_primal(X_PERCEPTRON, Y_PERCEPTRON)
    assert list(w) == [1, 1] and b == -3 and visited == [1, 3, 3, 3, 1, 3, 3]  # 李航 例2.1
    alpha, b_dual, gram = perceptron_dual(X_PERCEPTRON, Y_PERCEPTRON)
    assert list(alpha) == [2, 0, 5] and b_dual == -3  # 例2.2
    assert gram.tolist() == [[18, 21, 6], [21, 25, 7], [6, 7, 2]]

    tree = build_kd(KD_POINTS)
    assert tree["point"] == (7, 2) and tree["left"]["point"] == (5, 4) and tree["right"]["point"] == (9, 6)  # 例3.2
    nearest, _ = kd_nearest(tree, (3, 4.5))
    assert nearest == min(KD_POINTS, key=lambda p: math.dist(p, (3, 4.5)))  # kd search = brute force

    mle, smoothed = naive_bayes_scores(0.0), naive_bayes_scores(1.0)
    assert math.isclose(mle[1], 1 / 45) and math.isclose(mle[-1], 1 / 15)  # 例4.1
    assert round(smoothed[1], 4) == 0.0327 and round(smoothed[-1], 4) == 0.0610  # 例4.2

    gains = [round(info_gain(LOAN, f), 3) for f in range(4)]
    assert gains == [0.083, 0.324, 0.420, 0.363]  # 例5.2
    no_house = [r for r in LOAN if r[2] == "否"]
    # 例5.3 (second level) prints 0.251, 0.918, 0.474; the exact gain of age is 0.2516
    assert [round(info_gain(no_house, f), 2) for f in (0, 1, 3)] == [0.25, 0.92, 0.47]
    assert round(gini_split(LOAN, 2, "是"), 2) == 0.27  # 例5.4

    history = adaboost(3)
    # 例8.1 prints e3 = 0.1820 and alpha3 = 0.7514, computed from weights rounded to 4 places;
    # the exact values are e3 = 2/11 = 0.1818 and alpha3 = 0.7520.
    assert [round(h["err"], 3) for h in history] == [0.3, 0.214, 0.182]
    assert [round(h["alpha"], 2) for h in history] == [0.42, 0.65, 0.75]
    assert math.isclose(history[2]["err"], 2 / 11)
    assert history[-1]["errors"] == 0
    bound = math.prod(h["z"] for h in history)
    assert math.isclose(bound, math.prod(2 * math.sqrt(h["err"] * (1 - h["err"])) for h in history))

    splits = boosting_tree(6)
    assert (splits[0][0], round(splits[0][1], 2), round(splits[0][2], 2)) == (6.5, 6.24, 8.91)  # 例8.2
    assert [s[0] for s in splits] == [6.5, 3.5, 6.5, 4.5, 6.5, 2.5]
    assert round(splits[-1][3], 2) == 0.17

    coins_a = three_coins_step(0.5, 0.5, 0.5)
    assert np.allclose(coins_a, (0.5, 0.6, 0.6))  # 例9.1
    coins_b = three_coins_step(0.4, 0.6, 0.7)
    assert [round(v, 4) for v in coins_b] == [0.4064, 0.5368, 0.6432]

    first_alpha, prob = hmm_forward()
    assert np.allclose(first_alpha, [0.10, 0.16, 0.28])
    assert round(prob, 6) == 0.130218 and math.isclose(prob, hmm_brute_force()) and math.isclose(prob, hmm_backward())
    path, best = hmm_viterbi()
    assert path == (3, 3, 3) and round(best, 4) == 0.0147  # 例10.3

    centered, rel_forward, _ = gradient_check()
    z_partition, best_path_prob = crf_partition()
    _, width = svm_example_margin()
    svm_alpha = svm_example_dual()
    new_a2, _ = smo_step()
    cat, car, frog = (multiclass_hinge(CS231N_SCORES[i], i) for i in range(3))
    assert (round(cat, 2), car, round(frog, 2)) == (2.9, 0.0, 12.9)  # cs231n linear classification notes

    keys = {
        # ch1
        "finite-hypothesis-bound-typed": round(finite_class_bound(1000, 10_000, 0.05), 4),
        # ch2
        "perceptron-primal-update-count-typed": len(visited),
        "perceptron-final-bias-typed": b,
        "perceptron-dual-alpha-typed": tuple(int(a) for a in alpha),
        "novikoff-bound-example-typed": round(novikoff_bound([0.5, 0.5, -2], X_PERCEPTRON, Y_PERCEPTRON)),
        # ch3
        "kd-tree-root-typed": tree["point"],
        "kd-tree-first-leaf-typed": kd_first_leaf(tree, (3, 4.5)),
        "kd-tree-nearest-typed": nearest,
        "minkowski-p-choice-typed": smallest_p_where_x3_wins(),
        # ch4
        "naive-bayes-mle-posterior-typed": round(mle[1] / (mle[1] + mle[-1]), 4),
        "naive-bayes-smoothed-posterior-typed": round(smoothed[1] / (smoothed[1] + smoothed[-1]), 3),
        # ch5
        "loan-gain-age-typed": gains[0],
        "loan-gain-ratio-house-typed": round(gain_ratio(LOAN, 2), 3),
        "loan-second-split-choice": "有工作 (has a job)",
        "loan-gini-house-typed": round(gini_split(LOAN, 2, "是"), 2),
        "cart-categorical-partitions-typed": 2 ** (4 - 1) - 1,
        "pruning-alpha-threshold-typed": round(pruning_alpha(), 2),
        # ch6
        "multinomial-lr-param-count-typed": (14 - 1) * (3000 + 1),
        "multinomial-lr-probability-typed": round(multinomial_lr_probability(), 3),
        "iis-delta-typed": round(iis_delta(0.3, 0.2, 2), 4),
        # ch7
        "svm-example-margin-typed": round(width, 3),
        "svm-example-dual-alpha-typed": float(svm_alpha[0]),
        "smo-clipped-alpha2-typed": new_a2,
        "poly-kernel-dimension-typed": poly2_feature_dim(100),
        "poly-kernel-value-typed": (np.dot([1, 2], [3, 1]) + 1) ** 2,
        # ch8
        "adaboost-round2-error-typed": round(history[1]["err"], 4),
        "adaboost-misclassified-weight-typed": round(history[0]["weights_after"][6], 4),
        "adaboost-bound-example-typed": round(bound, 3),
        "adaboost-rounds-needed-typed": adaboost_rounds_for_bound(0.1, 0.01),
        "samme-alpha-typed": round(math.log((1 - 0.5) / 0.5) + math.log(3 - 1), 3),
        "boosting-tree-first-split-typed": splits[0][0],
        "boosting-tree-first-loss-typed": round(splits[0][3], 2),
        "gbdt-multiclass-tree-count-typed": 14 * 500,
        "gbdt-logloss-leaf-typed": round(gbdt_logloss_leaf(), 3),
        # ch9
        "three-coins-em-typed": round(coins_b[0], 4),
        "gmm-responsibility-typed": round(gmm_responsibility(), 3),
        "gmm-mean-update-typed": round(gmm_mean_update(), 3),
        # ch10
        "hmm-forward-probability-typed": round(prob, 4),
        "hmm-viterbi-path-typed": path,
        "hmm-viterbi-probability-typed": round(best, 4),
        "hmm-gamma-typed": round(hmm_gamma_state3_t2(), 3),
        # ch11
        "crf-partition-typed": z_partition,
        "crf-best-path-probability-typed": round(best_path_prob, 3),
        # cs231n
        "cs231n-hinge-frog-typed": round(frog, 1),
        "cs231n-hinge-average-typed": round((cat + car + frog) / 3, 2),
        "gradcheck-centered-typed": round(centered, 4),
        "gradcheck-forward-relerror-typed": round(rel_forward, 4),
        # ridge, LR vs SVM
        "ridge-closed-form-typed": ridge_closed_form(),
        "ridge-shrinkage-factor-typed": 2**2 / (2**2 + 4),
        "ridge-effective-df-typed": round(ridge_df([3, 1], 1.0), 2),
        "logistic-vs-hinge-loss-typed": round(logistic_loss(2.0), 3),
    }
    return {f"classic-ml-theory/{card_id}": key for card_id, key in keys.items()}


GROUPS = [li_hang_and_cs231n_keys]
