"""The perceptron of Li Hang's 统计学习方法 (2nd ed.), chapter 2, in NumPy: the primal form
(algorithm 2.1), the dual form with the Gram matrix (algorithm 2.2), and Novikoff's bound on the
number of mistakes (theorem 2.1).

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check perceptron` to
see which steps pass.
"""

import numpy as np


def gram_matrix(X: np.ndarray) -> np.ndarray:
    """X (N, d) -> G (N, N) with G[i, j] = x_i · x_j: every inner product the dual form needs."""
    return X @ X.T


def train_primal(X: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000):
    """Algorithm 2.1. X (N, d), y (N,) of +1 / -1, learning rate eta > 0.

    Start from w = 0, b = 0. Visit the samples in index order; whenever y_i (w · x_i + b) <= 0
    (a mistake: exactly 0 counts as one), update w <- w + eta y_i x_i and b <- b + eta y_i. Repeat
    passes over the data until a whole pass makes no mistake, or max_epochs passes.

    Returns (w (d,) float array, b float, n_updates int: how many updates were made in all)."""
    w, b, updates = np.zeros(X.shape[1]), 0.0, 0
    for _ in range(max_epochs):
        mistakes = 0
        for i in range(len(y)):
            if y[i] * (X[i] @ w + b) <= 0:
                w = w + eta * y[i] * X[i]
                b = b + eta * y[i]
                mistakes += 1
        updates += mistakes
        if mistakes == 0:
            break
    return w, float(b), updates


def train_dual(X: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000):
    """Algorithm 2.2, the dual form. X (N, d), y (N,) of +1 / -1, learning rate eta > 0.

    The model is alpha (N,) and b, with w = sum_j alpha_j y_j x_j never formed while training:
    sample i is a mistake when y_i (sum_j alpha_j y_j G[j, i] + b) <= 0, with G = gram_matrix(X),
    and the update is alpha_i <- alpha_i + eta, b <- b + eta y_i. Visit the samples in the same
    order as train_primal, so that both make the same updates.

    Returns (alpha (N,) float array, b float, n_updates int)."""
    G = gram_matrix(X)
    alpha, b, updates = np.zeros(len(y)), 0.0, 0
    for _ in range(max_epochs):
        mistakes = 0
        for i in range(len(y)):
            if y[i] * ((alpha * y) @ G[:, i] + b) <= 0:
                alpha[i] += eta
                b = b + eta * y[i]
                mistakes += 1
        updates += mistakes
        if mistakes == 0:
            break
    return alpha, float(b), updates


def dual_weights(alpha: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """alpha (N,), X (N, d), y (N,) -> w (d,) = sum_i alpha_i y_i x_i: the primal weights."""
    return alpha @ X


def novikoff_bound(X: np.ndarray, y: np.ndarray, w_opt: np.ndarray, b_opt: float) -> float:
    """Theorem 2.1's bound (R / gamma) ** 2 on the number of updates, for data that the
    hyperplane w_opt · x + b_opt = 0 separates. X (N, d), y (N,), w_opt (d,), b_opt a number.

    With x_hat = (x, 1) and w_hat = (w_opt, b_opt) scaled to length 1:
    R = max_i ||x_hat_i|| and gamma = min_i y_i (w_hat · x_hat_i). Returns a float."""
    X_hat = np.hstack([X, np.ones((len(X), 1))])
    w_hat = np.append(w_opt, b_opt)
    w_hat = w_hat / np.linalg.norm(w_hat)
    R = np.linalg.norm(X_hat, axis=1).max()
    gamma = (y * (X_hat @ w_hat)).min()
    return float((R / gamma) ** 2)
