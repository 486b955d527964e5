"""Text classification with bag-of-words and n-gram features and softmax regression, trained
from scratch with mini-batch gradient descent in NumPy (FudanNLP nlp-beginner, task 1)."""

from collections import Counter

import numpy as np


def tokenize(text: str) -> list[str]:
    """'The movie was NOT good' -> ['the', 'movie', 'was', 'not', 'good']: lower case, split on spaces."""
    return text.lower().split()


def ngrams(tokens: list[str], n: int) -> list[str]:
    """Every run of n consecutive tokens, joined by one space, in order:
    ['the', 'movie', 'was', 'good'], 2 -> ['the movie', 'movie was', 'was good'].
    Fewer than n tokens give []."""
    return [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n)]


def _all_ngrams(text: str, n_max: int) -> list[str]:
    tokens = tokenize(text)
    return [gram for n in range(1, n_max + 1) for gram in ngrams(tokens, n)]


def build_vocab(texts: list[str], n_max: int = 1, min_count: int = 1) -> dict[str, int]:
    """The feature names: every n-gram, for n = 1 .. n_max, that occurs at least min_count times in
    all the texts together, mapped to the indexes 0 .. V-1 (in any order)."""
    counts = Counter(gram for text in texts for gram in _all_ngrams(text, n_max))
    kept = sorted(gram for gram, count in counts.items() if count >= min_count)
    return {gram: index for index, gram in enumerate(kept)}


def featurize(texts: list[str], vocab: dict[str, int], n_max: int = 1) -> np.ndarray:
    """Bag of n-grams: X (N, V) floats, X[i, vocab[g]] = how many times the n-gram g (n = 1 .. n_max)
    occurs in texts[i]. N-grams that are not in vocab are ignored."""
    X = np.zeros((len(texts), len(vocab)))
    for i, text in enumerate(texts):
        for gram in _all_ngrams(text, n_max):
            if gram in vocab:
                X[i, vocab[gram]] += 1
    return X


def loss_and_grads(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    """Softmax regression. W (V, C), b (C,), X (N, V), y (N,) labels in [0, C), reg >= 0 ->
    (loss, dW, db): the mean cross-entropy of the scores X @ W + b, plus reg * sum(W * W) (the bias
    is not regularised), and its gradients dW (V, C) and db (C,)."""
    n = X.shape[0]
    scores = X @ W + b
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean() + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    dscores /= n
    return float(loss), X.T @ dscores + 2 * reg * W, dscores.sum(axis=0)


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
    W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start : start + batch_size]
            _, dW, db = loss_and_grads(W, b, X[batch], y[batch], reg)
            W -= lr * dW
            b -= lr * db
    return W, b
