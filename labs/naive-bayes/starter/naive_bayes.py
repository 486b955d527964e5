"""Naive Bayes for categorical features, Li Hang's 统计学习方法 (2nd ed.), chapter 4, in NumPy:
the prior and the conditional probabilities with Laplace (additive) smoothing (the Bayesian
estimates 4.10 and 4.11), then the posterior, all in log space so that many features never
underflow to 0.

Features and labels are integer codes: X[:, j] takes values 0 .. n_categories[j] - 1, and y
takes values 0 .. n_classes - 1.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check naive-bayes` to
see which steps pass.
"""

import numpy as np


def class_log_prior(y: np.ndarray, n_classes: int, lam: float = 1.0) -> np.ndarray:
    """y (N,) -> (K,): log P(Y = c_k) = log((N_k + lam) / (N + K lam)), where N_k is how many
    samples have class k and K = n_classes. lam = 0 is the maximum-likelihood estimate."""
    # TODO: count each class (np.bincount with minlength), add lam, divide by N + K lam, take the log.
    raise NotImplementedError


def feature_log_prob(
    X: np.ndarray, y: np.ndarray, n_categories: list[int], n_classes: int, lam: float = 1.0
) -> list[np.ndarray]:
    """X (N, n), y (N,) -> a list of n arrays, the j-th of shape (K, S_j) with S_j = n_categories[j]:
    entry [k, l] is log P(X_j = l | Y = c_k) = log((N_kjl + lam) / (N_k + S_j lam)), where N_kjl
    counts the samples of class k whose feature j is l."""
    # TODO: for each feature j: a (K, S_j) table of counts N_kjl (np.add.at, or loops), then
    #       log(counts + lam) - log(N_k + S_j lam) with N_k as a column (K, 1).
    raise NotImplementedError


def joint_log_likelihood(X: np.ndarray, log_prior: np.ndarray, log_probs: list[np.ndarray]) -> np.ndarray:
    """X (M, n) -> (M, K): log P(Y = c_k) + sum_j log P(X_j = x_j | Y = c_k) for every row and
    class. A sum of logs, never a product of probabilities: with hundreds of features the product
    is smaller than the smallest float and becomes 0."""
    # TODO: start from log_prior for every row, then add log_probs[j][:, X[:, j]] (a (K, M) array) for each j.
    raise NotImplementedError


def predict_proba(X: np.ndarray, log_prior: np.ndarray, log_probs: list[np.ndarray]) -> np.ndarray:
    """X (M, n) -> (M, K): the posterior P(Y = c_k | x), each row summing to 1. Normalise in log
    space (log-sum-exp: subtract each row's max before exp), or large feature counts give 0 / 0."""
    # TODO: jll from joint_log_likelihood; subtract each row's max; exp; divide by the row sums.
    raise NotImplementedError


def predict(X: np.ndarray, log_prior: np.ndarray, log_probs: list[np.ndarray]) -> np.ndarray:
    """X (M, n) -> (M,): the class with the largest posterior (the MAP decision, 4.7)."""
    # TODO: one line: argmax over the classes.
    raise NotImplementedError
