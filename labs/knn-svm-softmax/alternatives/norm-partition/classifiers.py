"""A correct alternative: plain Python sums in the two loops, np.add.outer for the no-loop
distances, np.argpartition and np.unique for the vote, and take_along_axis / np.add.at in the
losses. The log-softmax subtracts the max inside the log-sum-exp in one expression."""

import math

import numpy as np


def compute_distances_two_loops(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        for j in range(num_train):
            dists[i, j] = math.sqrt(float(np.dot(X[i] - X_train[j], X[i] - X_train[j])))
    return dists


def compute_distances_one_loop(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        difference = X_train - X[i]
        dists[i] = np.sqrt(np.einsum("md,md->m", difference, difference))
    return dists


def compute_distances_no_loops(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    squared = np.add.outer((X * X).sum(axis=1), (X_train * X_train).sum(axis=1)) - 2 * np.dot(X, X_train.T)
    squared[squared < 0] = 0
    return np.sqrt(squared)


def predict_labels(dists: np.ndarray, y_train: np.ndarray, k: int = 1) -> np.ndarray:
    k = min(k, dists.shape[1])
    nearest = np.argpartition(dists, k - 1, axis=1)[:, :k]  # the k smallest, in any order
    y_pred = []
    for row in nearest:
        labels, counts = np.unique(y_train[row], return_counts=True)  # labels come sorted
        y_pred.append(labels[np.argmax(counts)])
    return np.array(y_pred, dtype=int)


def svm_loss_vectorized(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    n = len(y)
    scores = X.dot(W)
    correct = np.take_along_axis(scores, y[:, None], axis=1)
    margins = np.maximum(0, scores - correct + 1)
    np.put_along_axis(margins, y[:, None], 0, axis=1)
    data_loss = margins.sum() / n
    dscores = (margins > 0) * 1.0
    np.add.at(dscores, (np.arange(n), y), -dscores.sum(axis=1))
    return float(data_loss + reg * (W * W).sum()), X.T.dot(dscores) / n + reg * 2 * W


def softmax_loss_vectorized(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    n = len(y)
    scores = X.dot(W)
    scores = scores - np.max(scores, axis=1)[:, None]
    log_probs = scores - np.log(np.exp(scores).sum(axis=1))[:, None]
    data_loss = -np.take_along_axis(log_probs, y[:, None], axis=1).sum() / n
    probs = np.exp(log_probs)
    probs[np.arange(n), y] = probs[np.arange(n), y] - 1
    return float(data_loss + reg * (W * W).sum()), X.T.dot(probs) / n + reg * 2 * W
