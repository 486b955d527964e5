"""Categorical naive Bayes (Li Hang ch. 4) written as the book writes the estimates: counts by
loops, one class, feature and category at a time; scipy's logsumexp for the posterior."""

import math

import numpy as np
from scipy.special import logsumexp


def class_log_prior(y, n_classes, lam=1.0):
    """log((N_k + lam) / (N + K lam)) for each class k."""
    labels = [int(v) for v in y]
    return np.array(
        [math.log(labels.count(k) + lam) - math.log(len(labels) + n_classes * lam) for k in range(n_classes)]
    )


def feature_log_prob(X, y, n_categories, n_classes, lam=1.0):
    """One (K, S_j) table per feature, entry by entry."""
    rows, labels = [[int(v) for v in x] for x in X], [int(v) for v in y]
    tables = []
    for j, s in enumerate(n_categories):
        table = np.empty((n_classes, s))
        for k in range(n_classes):
            values = [row[j] for row, label in zip(rows, labels, strict=True) if label == k]
            for value in range(s):
                table[k, value] = math.log(values.count(value) + lam) - math.log(len(values) + s * lam)
        tables.append(table)
    return tables


def joint_log_likelihood(X, log_prior, log_probs):
    """log P(Y = c_k) plus each feature's log-probability, row by row."""
    out = np.empty((len(X), len(log_prior)))
    for i, x in enumerate(X):
        for k in range(len(log_prior)):
            out[i, k] = log_prior[k] + sum(table[k, int(x[j])] for j, table in enumerate(log_probs))
    return out


def predict_proba(X, log_prior, log_probs):
    """exp(jll - logsumexp(jll)) per row."""
    jll = joint_log_likelihood(X, log_prior, log_probs)
    return np.exp(jll - logsumexp(jll, axis=1, keepdims=True))


def predict(X, log_prior, log_probs):
    """The class of largest posterior, row by row."""
    jll = joint_log_likelihood(X, log_prior, log_probs)
    return np.array([max(range(jll.shape[1]), key=lambda k, row=row: row[k]) for row in jll])
