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
    return np.dot(dout, w.T), np.dot(x.T, dout), np.sum(dout, axis=0)


def relu_forward(x: np.ndarray):
    """x of any shape -> (out, cache): out = max(0, x), elementwise."""
    return np.maximum(0, x), x


def relu_backward(dout: np.ndarray, cache) -> np.ndarray:
    """dout shaped like x, and the cache from relu_forward -> dx shaped like x.
    The gradient passes where the input was > 0 and is 0 elsewhere (0 at exactly 0, as in torch)."""
    mask = (cache > 0).astype(dout.dtype)
    return dout * mask


def softmax_loss(scores: np.ndarray, y: np.ndarray):
    """scores (N, C), y (N,) integer labels in [0, C) -> (loss, dscores).

    loss is the mean over the N rows of -log softmax(scores[i])[y[i]], a Python float;
    dscores (N, C) is its gradient with respect to scores."""
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)  # the same softmax, and exp cannot overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    dscores /= n
    return float(loss), dscores


def two_layer_net(x: np.ndarray, params: dict, y: np.ndarray | None = None):
    """affine - relu - affine - softmax. x (N, D); params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).

    Without y: return the scores (N, C). With y (N,): return (loss, grads), where grads has the
    same keys and shapes as params. Build it from the layers above; don't change params."""
    layers = [("affine", "1"), ("relu", None), ("affine", "2")]
    caches, out = [], x
    for kind, suffix in layers:  # forward through a list of layers, keeping each cache
        if kind == "affine":
            out, cache = affine_forward(out, params["W" + suffix], params["b" + suffix])
        else:
            out, cache = relu_forward(out)
        caches.append(cache)
    if y is None:
        return out
    loss, grad = softmax_loss(out, y)
    grads = {}
    for (kind, suffix), cache in zip(reversed(layers), reversed(caches), strict=True):  # and back again
        if kind == "affine":
            grad, grads["W" + suffix], grads["b" + suffix] = affine_backward(grad, cache)
        else:
            grad = relu_backward(grad, cache)
    return loss, grads
