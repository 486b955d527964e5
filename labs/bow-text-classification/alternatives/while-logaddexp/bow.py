"""A correct alternative: n-grams with a while loop, the vocabulary numbered by falling
frequency, np.add.at to count, np.logaddexp.reduce for a stable log-sum-exp, a legacy
RandomState for the shuffle and a while loop over the batches."""

import numpy as np


def tokenize(text: str) -> list[str]:
    return text.lower().split()


def ngrams(tokens: list[str], n: int) -> list[str]:
    grams, start = [], 0
    while start + n <= len(tokens):
        grams.append(" ".join(tokens[start : start + n]))
        start += 1
    return grams


def _grams(text: str, n_max: int) -> list[str]:
    tokens = tokenize(text)
    grams = []
    for n in range(1, n_max + 1):
        grams.extend(ngrams(tokens, n))
    return grams


def build_vocab(texts: list[str], n_max: int = 1, min_count: int = 1) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in texts:
        for gram in _grams(text, n_max):
            counts[gram] = counts.get(gram, 0) + 1
    frequent = sorted((g for g in counts if counts[g] >= min_count), key=lambda g: (-counts[g], g))
    return dict(zip(frequent, range(len(frequent)), strict=True))


def featurize(texts: list[str], vocab: dict[str, int], n_max: int = 1) -> np.ndarray:
    rows, columns = [], []
    for i, text in enumerate(texts):
        for gram in _grams(text, n_max):
            if gram in vocab:
                rows.append(i)
                columns.append(vocab[gram])
    X = np.zeros((len(texts), len(vocab)))
    np.add.at(X, (np.array(rows, dtype=int), np.array(columns, dtype=int)), 1.0)
    return X


def loss_and_grads(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    n = len(y)
    scores = X @ W + b[None, :]
    log_probs = scores - np.logaddexp.reduce(scores, axis=1, keepdims=True)
    loss = -np.take_along_axis(log_probs, y[:, None], axis=1).mean() + reg * np.vdot(W, W)
    probs = np.exp(log_probs)
    probs[np.arange(n), y] -= 1.0
    return float(loss), X.T @ probs / n + 2 * reg * W, probs.mean(axis=0)


def train(X, y, num_classes, *, lr=0.5, epochs=10, batch_size=32, reg=1e-4, seed=0):
    W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
    state = np.random.RandomState(seed)
    for _ in range(epochs):
        order = np.arange(len(y))
        state.shuffle(order)
        start = 0
        while start < len(order):
            batch = order[start : start + batch_size]
            _, dW, db = loss_and_grads(W, b, X[batch], y[batch], reg)
            W -= lr * dW
            b -= lr * db
            start += batch_size
    return W, b
