"""The image classification pipeline of cs231n assignment 1, in NumPy: a k-nearest-neighbour
classifier (distances written three ways), and the two linear classifiers' losses, the
multiclass SVM (hinge) loss and the softmax (cross-entropy) loss, with their gradients.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check knn-svm-softmax`
to see which steps pass. NumPy only: no scipy, scikit-learn or torch in this file.
"""

import numpy as np


def compute_distances_two_loops(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    """X (N, D) test points, X_train (M, D) training points -> dists (N, M), where dists[i, j] is
    the Euclidean (L2) distance between X[i] and X_train[j]. Two nested loops, over i and j."""
    # TODO: dists = np.zeros((N, M)); for each i and j, the square root of the summed squared differences.
    raise NotImplementedError


def compute_distances_one_loop(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    """The same (N, M) distances with one loop over the test points: each row at once."""
    # TODO: for each i, X_train - X[i] broadcasts (M, D) - (D,); sum the squares over axis 1.
    raise NotImplementedError


def compute_distances_no_loops(X: np.ndarray, X_train: np.ndarray) -> np.ndarray:
    """The same (N, M) distances without any Python loop: ||x - t||^2 = ||x||^2 + ||t||^2 - 2 x.t,
    one matrix product for all the dot products."""
    # TODO: an (N, 1) column of ||x||^2, a (1, M) row of ||t||^2 and -2 X @ X_train.T; add them (broadcasting),
    #       then the square root. Rounding can leave tiny negative numbers where the distance is 0.
    raise NotImplementedError


def predict_labels(dists: np.ndarray, y_train: np.ndarray, k: int = 1) -> np.ndarray:
    """dists (N, M) from test to training points, y_train (M,) integer labels -> y_pred (N,) integers:
    for each test point the most common label among its k nearest training points; a tie in the
    vote goes to the smallest label."""
    # TODO: for each row, the labels of the k smallest distances (np.argsort), then their most common one.
    raise NotImplementedError


def svm_loss_vectorized(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Multiclass SVM loss, vectorised. W (D, C) weights, X (N, D) data, y (N,) labels in [0, C),
    reg the regularisation strength -> (loss, dW):

        loss = (1/N) sum_i sum_{j != y_i} max(0, s_ij - s_iy_i + 1) + reg * sum(W * W),  s = X @ W

    loss is a Python float, dW (D, C) its gradient with respect to W."""
    # TODO: 1. scores and the margins against each row's correct-class score (the correct class itself
    #          does not count)  2. the loss  3. dW: which margins are positive says which columns move.
    #       No loop over the examples.
    raise NotImplementedError


def softmax_loss_vectorized(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Softmax (cross-entropy) loss, vectorised and numerically stable. Same inputs as
    svm_loss_vectorized -> (loss, dW):

        loss = (1/N) sum_i -log softmax(s_i)[y_i] + reg * sum(W * W),  s = X @ W

    It must stay finite and right for scores in the thousands."""
    # TODO: 1. subtract each row's max score  2. log-probabilities straight from the shifted scores
    #       3. the loss  4. dW from softmax(s) minus one-hot(y). No loop over the examples.
    raise NotImplementedError
