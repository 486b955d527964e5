"""AdaBoost with decision stumps, Li Hang's 统计学习方法 (2nd ed.), chapter 8 (algorithm 8.1), in
NumPy: the weighted error e_m, the classifier weight alpha_m, the weight update with its
normaliser Z_m, the best stump under the current weights, and the boosted classifier
f(x) = sum_m alpha_m G_m(x).

Labels are +1 / -1. Replace each `raise NotImplementedError` with your code. Run
`studyctl lab check adaboost` to see which steps pass.
"""

import numpy as np


def weighted_error(pred: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """pred (N,), y (N,) of +1 / -1, w (N,) weights summing to 1 -> e = sum_i w_i I(pred_i != y_i) (8.1)."""
    return float(np.sum(w[pred != y]))


def classifier_weight(e: float) -> float:
    """alpha = 1/2 ln((1 - e) / e) (8.2): positive when e < 1/2, larger the smaller e is."""
    return float(0.5 * np.log((1 - e) / e))


def update_weights(w: np.ndarray, alpha: float, y: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """w (N,) -> the next weights (N,): w_i exp(-alpha y_i pred_i) / Z, where Z (8.5) makes them sum
    to 1. A misclassified sample's weight grows by e^alpha, a right one's shrinks by e^-alpha (8.4)."""
    return w * np.exp(-alpha * y * pred)


def fit_stump(X: np.ndarray, y: np.ndarray, w: np.ndarray):
    """The decision stump with the smallest weighted error. X (N, d), y (N,) of +1 / -1, w (N,).

    A stump looks at one feature j and a threshold v and predicts s where x_j < v and -s elsewhere,
    with s = +1 or -1 (the book's example uses both directions). Try every feature, both
    directions, and as thresholds the midpoints between consecutive distinct values of x_j plus
    one below the smallest (a stump that predicts one class everywhere).

    Return the stump in any form you like (a tuple (j, v, s) works): stump_predict reads it."""
    best_error, best = np.inf, None
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        thresholds = np.concatenate([[values[0] - 1.0], (values[:-1] + values[1:]) / 2])
        below = X[:, j][None, :] < thresholds[:, None]  # (thresholds, N)
        error_plus = ((np.where(below, 1, -1) != y) * w).sum(axis=1)  # s = +1: +1 below v, -1 above
        for s, errors in ((1, error_plus), (-1, w.sum() - error_plus)):
            i = int(np.argmin(errors))
            if errors[i] < best_error:
                best_error, best = errors[i], (j, float(thresholds[i]), s)
    return best


def stump_predict(stump, X: np.ndarray) -> np.ndarray:
    """X (N, d) -> (N,) of +1 / -1: the stump's prediction for every row."""
    j, v, s = stump
    return np.where(X[:, j] < v, s, -s)


def adaboost(X: np.ndarray, y: np.ndarray, n_rounds: int) -> list:
    """Algorithm 8.1. Start from uniform weights 1/N; each round fit the best stump G_m under the
    weights, compute e_m and alpha_m, append (alpha_m, G_m), and update the weights.
    (If a stump makes no weighted error, append it with alpha = 1 and stop: it alone is perfect.)

    Returns the model: a list of (alpha_m, stump_m), one per round."""
    w = np.full(len(y), 1 / len(y))
    model = []
    for _ in range(n_rounds):
        stump = fit_stump(X, y, w)
        pred = stump_predict(stump, X)
        e = weighted_error(pred, y, w)
        if e == 0:
            model.append((1.0, stump))
            break
        alpha = classifier_weight(e)
        model.append((alpha, stump))
        w = update_weights(w, alpha, y, pred)
    return model


def predict(model: list, X: np.ndarray) -> np.ndarray:
    """X (N, d) -> (N,) of +1 / -1: sign(f(x)) with f(x) = sum_m alpha_m G_m(x) (8.6, 8.7)."""
    f = sum(alpha * stump_predict(stump, X) for alpha, stump in model)
    return np.where(f >= 0, 1, -1)
