"""Backpropagation by hand in NumPy (cs231n style). Every layer has a forward function that
returns (out, cache) and a backward function that takes the upstream gradient dout = dL/dout
and the cache, and returns the gradient of the loss with respect to each input."""

import numpy as np


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray):
    """x (N, D), w (D, M), b (M,) -> (out (N, M), cache): out = x @ w + b."""
    out = x @ w + b
    return out, (x, w, b)


def affine_backward(dout: np.ndarray, cache):
    """dout (N, M) and the cache from affine_forward -> (dx (N, D), dw (D, M), db (M,))."""
    x, w, _ = cache
    dx = dout @ w.T  # (N, M) @ (M, D)
    dw = x.T @ dout  # (D, N) @ (N, M)
    db = dout.sum(axis=0)  # b was added to every row
    return dx, dw, db


def relu_forward(x: np.ndarray):
    """x of any shape -> (out, cache): out = max(0, x), elementwise."""
    return np.maximum(0, x), x


def relu_backward(dout: np.ndarray, cache) -> np.ndarray:
    """dout shaped like x, and the cache from relu_forward -> dx shaped like x.
    The gradient passes where the input was > 0 and is 0 elsewhere (0 at exactly 0, as in torch)."""
    x = cache
    return dout * (x > 0)


def softmax_loss(scores: np.ndarray, y: np.ndarray):
    """scores (N, C), y (N,) integer labels in [0, C) -> (loss, dscores).

    loss is the mean over the N rows of -log softmax(scores[i])[y[i]], a Python float;
    dscores (N, C) is its gradient with respect to scores."""
    n = scores.shape[0]
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    log_probs = np.log(probs)
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    dscores /= n
    return float(loss), dscores


def two_layer_net(x: np.ndarray, params: dict, y: np.ndarray | None = None):
    """affine - relu - affine - softmax. x (N, D); params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).

    Without y: return the scores (N, C). With y (N,): return (loss, grads), where grads has the
    same keys and shapes as params. Build it from the layers above; don't change params."""
    hidden, cache1 = affine_forward(x, params["W1"], params["b1"])
    activated, cache_relu = relu_forward(hidden)
    scores, cache2 = affine_forward(activated, params["W2"], params["b2"])
    if y is None:
        return scores
    loss, dscores = softmax_loss(scores, y)
    dactivated, dw2, db2 = affine_backward(dscores, cache2)
    dhidden = relu_backward(dactivated, cache_relu)
    _, dw1, db1 = affine_backward(dhidden, cache1)
    return loss, {"W1": dw1, "b1": db1, "W2": dw2, "b2": db2}
