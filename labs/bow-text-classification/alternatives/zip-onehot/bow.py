"""A correct alternative: n-grams with zip, the vocabulary numbered in first-seen order, a
Counter per text, one-hot labels in the loss, and the standard library's random.Random to
shuffle the training order."""

import random
from collections import Counter

import numpy as np


def tokenize(text: str) -> list[str]:
    return text.lower().split()


def ngrams(tokens: list[str], n: int) -> list[str]:
    return [" ".join(gram) for gram in zip(*(tokens[i:] for i in range(n)), strict=False)]


def _grams(text: str, n_max: int):
    tokens = tokenize(text)
    for n in range(1, n_max + 1):
        yield from ngrams(tokens, n)


def build_vocab(texts: list[str], n_max: int = 1, min_count: int = 1) -> dict[str, int]:
    counts = Counter()
    for text in texts:
        counts.update(_grams(text, n_max))
    vocab = {}
    for gram, count in counts.items():  # first-seen order
        if count >= min_count:
            vocab[gram] = len(vocab)
    return vocab


def featurize(texts: list[str], vocab: dict[str, int], n_max: int = 1) -> np.ndarray:
    X = np.zeros((len(texts), len(vocab)), dtype=np.float64)
    for row, text in zip(X, texts, strict=True):
        for gram, count in Counter(_grams(text, n_max)).items():
            column = vocab.get(gram)
            if column is not None:
                row[column] = count
    return X


def loss_and_grads(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float):
    n, classes = X.shape[0], W.shape[1]
    one_hot = np.eye(classes)[y]
    scores = X.dot(W) + b
    top = scores.max(axis=1, keepdims=True)
    log_probs = scores - (top + np.log(np.exp(scores - top).sum(axis=1, keepdims=True)))
    loss = -(one_hot * log_probs).sum() / n + reg * (W**2).sum()
    dscores = (np.exp(log_probs) - one_hot) / n
    return float(loss), X.T.dot(dscores) + 2.0 * reg * W, dscores.sum(axis=0)


def train(X, y, num_classes, *, lr=0.5, epochs=10, batch_size=32, reg=1e-4, seed=0):
    W = np.zeros((X.shape[1], num_classes))
    b = np.zeros(num_classes)
    shuffler = random.Random(seed)
    indexes = list(range(len(y)))
    for _epoch in range(epochs):
        shuffler.shuffle(indexes)
        batches = [indexes[i : i + batch_size] for i in range(0, len(indexes), batch_size)]
        for batch in batches:
            _, dW, db = loss_and_grads(W, b, X[batch], y[batch], reg)
            W = W - lr * dW
            b = b - lr * db
    return W, b
