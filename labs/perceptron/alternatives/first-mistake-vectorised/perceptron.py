"""The perceptron (Li Hang ch. 2) with vectorised margins: each step finds every mistake at once
and updates on the first one, so the scan restarts from sample 0 after every update."""

import numpy as np


def gram_matrix(X: np.ndarray) -> np.ndarray:
    """X (N, d) -> (N, N) inner products."""
    return np.einsum("id,jd->ij", X, X)


def train_primal(X: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000):
    """Algorithm 2.1, updating on the first misclassified sample until there is none."""
    w, b = np.zeros(X.shape[1]), 0.0
    for updates in range(max_epochs * len(y)):
        wrong = np.flatnonzero(y * (X @ w + b) <= 0)
        if wrong.size == 0:
            return w, float(b), updates
        i = wrong[0]
        w = w + eta * y[i] * X[i]
        b = b + eta * y[i]
    return w, float(b), max_epochs * len(y)


def train_dual(X: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000):
    """Algorithm 2.2 in the same order: all dual scores at once from the Gram matrix."""
    G = gram_matrix(X)
    alpha, b = np.zeros(len(y)), 0.0
    for updates in range(max_epochs * len(y)):
        wrong = np.flatnonzero(y * (G @ (alpha * y) + b) <= 0)
        if wrong.size == 0:
            return alpha, float(b), updates
        i = wrong[0]
        alpha[i] += eta
        b = b + eta * y[i]
    return alpha, float(b), max_epochs * len(y)


def dual_weights(alpha: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """w = sum_i alpha_i y_i x_i."""
    return np.einsum("i,i,id->d", alpha, y, X)


def novikoff_bound(X: np.ndarray, y: np.ndarray, w_opt: np.ndarray, b_opt: float) -> float:
    """(R / gamma) ** 2 with x_hat = (x, 1) and a unit-length w_hat."""
    X_hat = np.c_[X, np.ones(len(X))]
    w_hat = np.r_[w_opt, b_opt]
    gamma = np.min(y * (X_hat @ w_hat)) / np.sqrt(w_hat @ w_hat)
    R = np.sqrt(np.max(np.sum(X_hat**2, axis=1)))
    return float(R**2 / gamma**2)
