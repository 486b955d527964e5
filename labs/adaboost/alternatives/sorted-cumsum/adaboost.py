"""AdaBoost (Li Hang ch. 8) with a fast stump search: sort each feature once, and cumulative sums
of the weights give the error of every threshold at once."""

import numpy as np


def weighted_error(pred, y, w):
    """sum of w where pred != y, as a dot product."""
    return float(w @ (pred != y))


def classifier_weight(e):
    """1/2 ln((1 - e) / e), written as 1/2 (ln(1 - e) - ln e)."""
    return float(0.5 * (np.log1p(-e) - np.log(e)))


def update_weights(w, alpha, y, pred):
    """Scale and renormalise."""
    scaled = w * np.exp(-alpha * y * pred)
    return scaled / scaled.sum()


def fit_stump(X, y, w):
    """The best stump as a dict {feature, threshold, sign}."""
    best = {"error": np.inf}
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j])
        x, labels, weights = X[order, j], y[order], w[order]
        # cut after i samples (i = 0..N): "+1 below" errs on the -1s below and the +1s above
        neg_below = np.concatenate([[0.0], np.cumsum(weights * (labels == -1))])
        pos_above = np.sum(weights * (labels == 1)) - np.concatenate([[0.0], np.cumsum(weights * (labels == 1))])
        errors = neg_below + pos_above
        valid = np.concatenate([[True], x[:-1] < x[1:], [False]])  # cuts between distinct values, and before all
        thresholds = np.concatenate([[x[0] - 1.0], (x[:-1] + x[1:]) / 2, [np.inf]])
        for sign, candidate in ((1, errors), (-1, weights.sum() - errors)):
            candidate = np.where(valid, candidate, np.inf)
            i = int(np.argmin(candidate))
            if candidate[i] < best["error"]:
                best = {"error": candidate[i], "feature": j, "threshold": thresholds[i], "sign": sign}
    return best


def stump_predict(stump, X):
    """sign below the threshold, -sign above."""
    return np.where(X[:, stump["feature"]] < stump["threshold"], stump["sign"], -stump["sign"])


def adaboost(X, y, n_rounds):
    """Algorithm 8.1."""
    w = np.ones(len(y)) / len(y)
    model = []
    for _ in range(n_rounds):
        stump = fit_stump(X, y, w)
        pred = stump_predict(stump, X)
        e = weighted_error(pred, y, w)
        if e <= 0:
            return [*model, (1.0, stump)]
        alpha = classifier_weight(e)
        model.append((alpha, stump))
        w = update_weights(w, alpha, y, pred)
    return model


def predict(model, X):
    """All stumps' votes as a (N, M) matrix times the alphas."""
    votes = np.stack([stump_predict(stump, X) for _, stump in model], axis=1)
    alphas = np.array([alpha for alpha, _ in model])
    return np.where(votes @ alphas >= 0, 1, -1)
