"""The image classification pipeline of cs231n assignment 1, in NumPy: a k-nearest-neighbour
classifier (distances written three ways), and the two linear classifiers' losses, the
multiclass SVM (hinge) loss and the softmax (cross-entropy) loss, with their gradients."""

import numpy as np


def compute_distances_two_loops(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    """X (N, D) test points, X_train (M, D) training points -> dists (N, M), where dists[i, j] is
    the Euclidean (L2) distance between X[i] and X_train[j]. Two nested loops, over i and j."""
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        for j in range(num_train):
            dists[i, j] = np.sqrt(np.sum((X[i] - X_train[j]) ** 2))
    return dists


def compute_distances_one_loop(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    """The same (N, M) distances with one loop over the test points: each row at once."""
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        dists[i, :] = np.sqrt(np.sum((X_train - X[i]) ** 2, axis=1))  # (M, D) - (D,) broadcasts
    return dists


def compute_distances_no_loops(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    """The same (N, M) distances without any Python loop: ||x - t||^2 = ||x||^2 + ||t||^2 - 2 x.t,
    one matrix product for all the dot products."""
    squared = np.sum(X**2, axis=1)[:, None] + np.sum(X_train**2, axis=1)[None, :] - 2 * X @ X_train.T
    return np.sqrt(np.maximum(squared, 0))  # rounding can leave -1e-13 where the distance is 0


def predict_labels(dists: np.ndarray, y_train: np.ndarray, k: int = 1) -> np.ndarray:
    """dists (N, M) from test to training points, y_train (M,) integer labels -> y_pred (N,) integers:
    for each test point the most common label among its k nearest training points; a tie in the
    vote goes to the smallest label."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        closest_y = y_train[np.argsort(dists[i])[:k]]
        y_pred[i] = np.argmax(np.bincount(closest_y))  # argmax returns the first (smallest) of equal counts
    return y_pred


def svm_loss_vectorized(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Multiclass SVM loss, vectorised. W (D, C) weights, X (N, D) data, y (N,) labels in [0, C),
    reg the regularisation strength -> (loss, dW):

        loss = (1/N) sum_i sum_{j != y_i} max(0, s_ij - s_iy_i + 1) + reg * sum(W * W),  s = X @ W

    loss is a Python float, dW (D, C) its gradient with respect to W."""
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W  # (N, C)
    margins = np.maximum(0, scores - scores[rows, y][:, None] + 1)
    margins[rows, y] = 0  # the correct class is not compared with itself
    loss = margins.sum() / n + reg * np.sum(W * W)
    coeff = (margins > 0).astype(X.dtype)  # each positive margin pushes its class up...
    coeff[rows, y] = -coeff.sum(axis=1)  # ...and the correct class down once per positive margin
    dW = X.T @ coeff / n + 2 * reg * W
    return float(loss), dW


def softmax_loss_vectorized(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Softmax (cross-entropy) loss, vectorised and numerically stable. Same inputs as
    svm_loss_vectorized -> (loss, dW):

        loss = (1/N) sum_i -log softmax(s_i)[y_i] + reg * sum(W * W),  s = X @ W

    It must stay finite and right for scores in the thousands."""
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    shifted = scores
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # never log(0)
    loss = -log_probs[rows, y].mean() + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1
    dW = X.T @ dscores / n + 2 * reg * W
    return float(loss), dW
