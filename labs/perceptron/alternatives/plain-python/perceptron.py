"""The perceptron (Li Hang ch. 2) the way the book writes it: loops over samples and over
coordinates, Python floats and lists, NumPy arrays only for what is returned."""

import math

import numpy as np


def _dot(a, b) -> float:
    return sum(float(p) * float(q) for p, q in zip(a, b, strict=True))


def gram_matrix(X):
    """X (N, d) -> (N, N) inner products, one pair at a time."""
    rows = [list(x) for x in X]
    return np.array([[_dot(a, b) for b in rows] for a in rows])


def train_primal(X, y, eta=1.0, max_epochs=1000):
    """Algorithm 2.1 with a list for w."""
    rows, labels = [list(map(float, x)) for x in X], [int(v) for v in y]
    w, b, updates = [0.0] * len(rows[0]), 0.0, 0
    for _ in range(max_epochs):
        changed = False
        for x, label in zip(rows, labels, strict=True):
            if label * (_dot(w, x) + b) <= 0:
                w = [wk + eta * label * xk for wk, xk in zip(w, x, strict=True)]
                b += eta * label
                updates += 1
                changed = True
        if not changed:
            break
    return np.array(w), b, updates


def train_dual(X, y, eta=1.0, max_epochs=1000):
    """Algorithm 2.2 with the Gram matrix as nested lists."""
    G = gram_matrix(X).tolist()
    labels = [int(v) for v in y]
    n = len(labels)
    alpha, b, updates = [0.0] * n, 0.0, 0
    for _ in range(max_epochs):
        changed = False
        for i in range(n):
            score = sum(alpha[j] * labels[j] * G[j][i] for j in range(n)) + b
            if labels[i] * score <= 0:
                alpha[i] += eta
                b += eta * labels[i]
                updates += 1
                changed = True
        if not changed:
            break
    return np.array(alpha), b, updates


def dual_weights(alpha, X, y):
    """w = sum_i alpha_i y_i x_i, coordinate by coordinate."""
    terms = list(zip(alpha, y, X, strict=True))
    return np.array([sum(float(a) * float(label) * float(x[k]) for a, label, x in terms) for k in range(len(X[0]))])


def novikoff_bound(X, y, w_opt, b_opt):
    """(R / gamma) ** 2 with x_hat = (x, 1) and a unit-length w_hat."""
    w_hat = [float(v) for v in w_opt] + [float(b_opt)]
    length = math.sqrt(_dot(w_hat, w_hat))
    points = [[float(v) for v in x] + [1.0] for x in X]
    R = max(math.sqrt(_dot(p, p)) for p in points)
    gamma = min(float(label) * _dot(w_hat, p) / length for label, p in zip(y, points, strict=True))
    return (R / gamma) ** 2
