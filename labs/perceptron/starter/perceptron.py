"""The perceptron of Li Hang's 统计学习方法 (2nd ed.), chapter 2, in NumPy: the primal form
(algorithm 2.1), the dual form with the Gram matrix (algorithm 2.2), and Novikoff's bound on the
number of mistakes (theorem 2.1).

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check perceptron` to
see which steps pass.
"""

import numpy as np


def gram_matrix(X: np.ndarray) -> np.ndarray:
    """X (N, d) -> G (N, N) with G[i, j] = x_i · x_j: every inner product the dual form needs."""
    # TODO: one line, no loops. Which product of X with itself is (N, N)?
    raise NotImplementedError


def train_primal(X: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000):
    """Algorithm 2.1. X (N, d), y (N,) of +1 / -1, learning rate eta > 0.

    Start from w = 0, b = 0. Visit the samples in index order; whenever y_i (w · x_i + b) <= 0
    (a mistake: exactly 0 counts as one), update w <- w + eta y_i x_i and b <- b + eta y_i. Repeat
    passes over the data until a whole pass makes no mistake, or max_epochs passes.

    Returns (w (d,) float array, b float, n_updates int: how many updates were made in all)."""
    # TODO: w = np.zeros(d), b = 0.0; an outer loop over passes, an inner loop over i; count the
    #       updates of each pass and stop after a pass with none.
    raise NotImplementedError


def train_dual(X: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000):
    """Algorithm 2.2, the dual form. X (N, d), y (N,) of +1 / -1, learning rate eta > 0.

    The model is alpha (N,) and b, with w = sum_j alpha_j y_j x_j never formed while training:
    sample i is a mistake when y_i (sum_j alpha_j y_j G[j, i] + b) <= 0, with G = gram_matrix(X),
    and the update is alpha_i <- alpha_i + eta, b <- b + eta y_i. Visit the samples in the same
    order as train_primal, so that both make the same updates.

    Returns (alpha (N,) float array, b float, n_updates int)."""
    # TODO: G = gram_matrix(X) once, before the loops; then train_primal's loops with the dual test
    #       and the dual update.
    raise NotImplementedError


def dual_weights(alpha: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """alpha (N,), X (N, d), y (N,) -> w (d,) = sum_i alpha_i y_i x_i: the primal weights."""
    # TODO: one line. An (N,) vector of coefficients times X (N, d).
    raise NotImplementedError


def novikoff_bound(X: np.ndarray, y: np.ndarray, w_opt: np.ndarray, b_opt: float) -> float:
    """Theorem 2.1's bound (R / gamma) ** 2 on the number of updates, for data that the
    hyperplane w_opt · x + b_opt = 0 separates. X (N, d), y (N,), w_opt (d,), b_opt a number.

    With x_hat = (x, 1) and w_hat = (w_opt, b_opt) scaled to length 1:
    R = max_i ||x_hat_i|| and gamma = min_i y_i (w_hat · x_hat_i). Returns a float."""
    # TODO: 1. X_hat: X with a column of ones  2. w_hat: (w_opt, b_opt) divided by its length
    #       3. R and gamma  4. (R / gamma) ** 2 as a float
    raise NotImplementedError
