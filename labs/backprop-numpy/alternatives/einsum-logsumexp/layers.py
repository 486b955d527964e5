"""Backpropagation by hand in NumPy (cs231n style). Every layer has a forward function that
returns (out, cache) and a backward function that takes the upstream gradient dout = dL/dout
and the cache, and returns the gradient of the loss with respect to each input."""

import numpy as np


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray):
    """x (N, D), w (D, M), b (M,) -> (out (N, M), cache): out = x @ w + b."""
    out = np.einsum("nd,dm->nm", x, w) + b[None, :]
    return out, (x, w, b)


def affine_backward(dout: np.ndarray, cache):
    """dout (N, M) and the cache from affine_forward -> (dx (N, D), dw (D, M), db (M,))."""
    x, w, _ = cache
    dx = np.einsum("nm,dm->nd", dout, w)
    dw = np.einsum("nd,nm->dm", x, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db


def relu_forward(x: np.ndarray):
    """x of any shape -> (out, cache): out = max(0, x), elementwise."""
    out = x.copy()
    out[out < 0] = 0
    return out, x


def relu_backward(dout: np.ndarray, cache) -> np.ndarray:
    """dout shaped like x, and the cache from relu_forward -> dx shaped like x.
    The gradient passes where the input was > 0 and is 0 elsewhere (0 at exactly 0, as in torch)."""
    return np.where(cache > 0, dout, 0.0)


def softmax_loss(scores: np.ndarray, y: np.ndarray):
    """scores (N, C), y (N,) integer labels in [0, C) -> (loss, dscores).

    loss is the mean over the N rows of -log softmax(scores[i])[y[i]], a Python float;
    dscores (N, C) is its gradient with respect to scores."""
    n, c = scores.shape
    top = scores.max(axis=1, keepdims=True)
    log_norm = top + np.log(np.sum(np.exp(scores - top), axis=1, keepdims=True))  # log-sum-exp, (N, 1)
    picked = np.take_along_axis(scores, y.reshape(-1, 1), axis=1)  # (N, 1)
    loss = float(np.mean(log_norm - picked))
    one_hot = np.eye(c)[y]
    dscores = (np.exp(scores - log_norm) - one_hot) / n
    return loss, dscores


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
