"""AdaBoost (Li Hang ch. 8) as loops: a Stump class, every threshold tried one by one."""

import itertools
import math

import numpy as np


def weighted_error(pred, y, w):
    """Add up the weights of the mistakes."""
    return sum(float(wi) for pi, yi, wi in zip(pred, y, w, strict=True) if pi != yi)


def classifier_weight(e):
    """1/2 ln((1 - e) / e)."""
    return 0.5 * math.log((1 - e) / e)


def update_weights(w, alpha, y, pred):
    """One weight at a time, then normalise."""
    new = [float(wi) * math.exp(-alpha * float(yi) * float(pi)) for wi, yi, pi in zip(w, y, pred, strict=True)]
    z = sum(new)
    return np.array([v / z for v in new])


class Stump:
    """Predicts `sign` where x[feature] < threshold, and -sign elsewhere."""

    def __init__(self, feature, threshold, sign):
        self.feature, self.threshold, self.sign = feature, threshold, sign

    def predict(self, X):
        return np.where(X[:, self.feature] < self.threshold, self.sign, -self.sign)


def fit_stump(X, y, w):
    """Try every feature, threshold and sign."""
    best, best_error = None, math.inf
    for j in range(X.shape[1]):
        values = sorted(set(X[:, j].tolist()))
        thresholds = [values[0] - 1.0] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
        for v in thresholds:
            for sign in (1, -1):
                candidate = Stump(j, v, sign)
                error = weighted_error(candidate.predict(X), y, w)
                if error < best_error:
                    best, best_error = candidate, error
    return best


def stump_predict(stump, X):
    """Delegate to the stump."""
    return stump.predict(X)


def adaboost(X, y, n_rounds):
    """Algorithm 8.1, round by round."""
    w = np.array([1 / len(y)] * len(y))
    model = []
    for _ in range(n_rounds):
        stump = fit_stump(X, y, w)
        pred = stump.predict(X)
        e = weighted_error(pred, y, w)
        if e == 0:
            model.append((1.0, stump))
            break
        alpha = classifier_weight(e)
        model.append((alpha, stump))
        w = update_weights(w, alpha, y, pred)
    return model


def predict(model, X):
    """sign of the weighted vote, sample by sample."""
    out = []
    for i in range(len(X)):
        f = sum(alpha * int(stump.predict(X[i : i + 1])[0]) for alpha, stump in model)
        out.append(1 if f >= 0 else -1)
    return np.array(out)
