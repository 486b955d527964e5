"""Text classification with bag-of-words and n-gram features and softmax regression, trained
from scratch with mini-batch gradient descent in NumPy (FudanNLP nlp-beginner, task 1).

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check
bow-text-classification` to see which steps pass. NumPy and the standard library only.
"""

from collections import Counter  # noqa: F401  (handy for build_vocab)

import numpy as np


def tokenize(text: str) -> list[str]:
    """'The movie was NOT good' -> ['the', 'movie', 'was', 'not', 'good']: lower case, split on spaces."""
    return text.lower().split()


def ngrams(tokens: list[str], n: int) -> list[str]:
    """Every run of n consecutive tokens, joined by one space, in order:
    ['the', 'movie', 'was', 'good'], 2 -> ['the movie', 'movie was', 'was good'].
    Fewer than n tokens give []."""
    # TODO: one n-gram per start position i; how many start positions are there?
    raise NotImplementedError


def build_vocab(texts: list[str], n_max: int = 1, min_count: int = 1) -> dict[str, int]:
    """The feature names: every n-gram, for n = 1 .. n_max, that occurs at least min_count times in
    all the texts together, mapped to the indexes 0 .. V-1 (in any order)."""
    # TODO: count the n-grams of tokenize(text) for every text and every n from 1 to n_max (both included);
    #       keep those seen at least min_count times; number them 0, 1, 2, ...
    raise NotImplementedError


def featurize(texts: list[str], vocab: dict[str, int], n_max: int = 1) -> np.ndarray:
    """Bag of n-grams: X (N, V) floats, X[i, vocab[g]] = how many times the n-gram g (n = 1 .. n_max)
    occurs in texts[i]. N-grams that are not in vocab are ignored."""
    # TODO: a zero matrix, then add 1 at X[i, vocab[gram]] for every n-gram of text i that is in vocab.
    raise NotImplementedError


def loss_and_grads(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Softmax regression. W (V, C), b (C,), X (N, V), y (N,) labels in [0, C), reg >= 0 ->
    (loss, dW, db): the mean cross-entropy of the scores X @ W + b, plus reg * sum(W * W) (the bias
    is not regularised), and its gradients dW (V, C) and db (C,)."""
    # TODO: 1. scores, minus each row's max (a stable softmax)  2. log-probabilities  3. the mean loss
    #       plus the penalty  4. dscores = (softmax - one_hot(y)) / N  5. dW and db from dscores.
    raise NotImplementedError


def train(
    X: np.ndarray,
    y: np.ndarray,
    num_classes: int,
    *,
    lr: float = 0.5,
    epochs: int = 10,
    batch_size: int = 32,
    reg: float = 1e-4,
    seed: int = 0,
):
    """Mini-batch gradient descent from W = 0 (V, num_classes) and b = 0 (num_classes,). Each epoch:
    shuffle the N examples (with a generator seeded once with `seed`), cut them into batches of
    batch_size (the last one may be smaller), and for each batch take one step
    W -= lr * dW, b -= lr * db. Returns (W, b)."""
    # TODO: zeros, a generator from seed; per epoch a new random order of the N indexes; per batch
    #       loss_and_grads on X[batch], y[batch] and one step.
    raise NotImplementedError
