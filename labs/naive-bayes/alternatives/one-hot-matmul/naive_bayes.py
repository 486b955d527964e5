"""Categorical naive Bayes (Li Hang ch. 4) with one-hot matrices: a count table is a product of
the class indicators with the category indicators."""

import numpy as np


def _one_hot(values, size):
    return (np.asarray(values)[:, None] == np.arange(size)).astype(np.float64)


def class_log_prior(y, n_classes, lam=1.0):
    """log((N_k + lam) / (N + K lam)) from the column sums of the class indicators."""
    counts = _one_hot(y, n_classes).sum(axis=0)
    return np.log((counts + lam) / (counts.sum() + n_classes * lam))


def feature_log_prob(X, y, n_categories, n_classes, lam=1.0):
    """All count tables at once: Y_onehot.T @ [X_0 onehot | X_1 onehot | ...], split per feature."""
    Y = _one_hot(y, n_classes)
    blocks = np.hstack([_one_hot(X[:, j], s) for j, s in enumerate(n_categories)])
    counts = np.split(Y.T @ blocks, np.cumsum(n_categories)[:-1], axis=1)
    return [np.log((c + lam) / (c.sum(axis=1, keepdims=True) + c.shape[1] * lam)) for c in counts]


def joint_log_likelihood(X, log_prior, log_probs):
    """One-hot rows times the stacked log-probability tables, plus the prior."""
    sizes = [t.shape[1] for t in log_probs]
    blocks = np.hstack([_one_hot(X[:, j], s) for j, s in enumerate(sizes)])
    return blocks @ np.hstack(log_probs).T + log_prior


def predict_proba(X, log_prior, log_probs):
    """Normalised with np.logaddexp.reduce, the log of the row's sum of exps."""
    jll = joint_log_likelihood(X, log_prior, log_probs)
    return np.exp(jll - np.logaddexp.reduce(jll, axis=1, keepdims=True))


def predict(X, log_prior, log_probs):
    """argmax of the posterior."""
    return predict_proba(X, log_prior, log_probs).argmax(axis=1)
