"""Backpropagation by hand in NumPy (cs231n style). Every layer has a forward function that
returns (out, cache) and a backward function that takes the upstream gradient dout = dL/dout
and the cache, and returns the gradient of the loss with respect to each input.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check backprop-numpy`
to see which steps pass.
"""

import numpy as np


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray):
    """x (N, D), w (D, M), b (M,) -> (out (N, M), cache): out = x @ w + b."""
    # TODO: compute out, and keep what the backward pass needs (x, w, b) in the cache.
    raise NotImplementedError


def affine_backward(dout: np.ndarray, cache):
    """dout (N, M) and the cache from affine_forward -> (dx (N, D), dw (D, M), db (M,))."""
    # TODO: unpack the cache; dx, dw and db have the shapes of x, w and b. Write the shapes next to
    #       each product to find where the transposes go.
    raise NotImplementedError


def relu_forward(x: np.ndarray):
    """x of any shape -> (out, cache): out = max(0, x), elementwise."""
    # TODO: out = max(0, x) elementwise (np.maximum); the cache is what relu_backward needs.
    raise NotImplementedError


def relu_backward(dout: np.ndarray, cache) -> np.ndarray:
    """dout shaped like x, and the cache from relu_forward -> dx shaped like x.
    The gradient passes where the input was > 0 and is 0 elsewhere (0 at exactly 0, as in torch)."""
    # TODO: let dout through where the input was > 0, zero elsewhere.
    raise NotImplementedError


def softmax_loss(scores: np.ndarray, y: np.ndarray):
    """scores (N, C), y (N,) integer labels in [0, C) -> (loss, dscores).

    loss is the mean over the N rows of -log softmax(scores[i])[y[i]], a Python float;
    dscores (N, C) is its gradient with respect to scores."""
    # TODO: 1. subtract each row's max (so exp cannot overflow)  2. log-probabilities
    #       3. loss = mean of -log p(correct class)  4. dscores = (probs - one_hot(y)) / N
    raise NotImplementedError


def two_layer_net(x: np.ndarray, params: dict, y: np.ndarray | None = None):
    """affine - relu - affine - softmax. x (N, D); params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).

    Without y: return the scores (N, C). With y (N,): return (loss, grads), where grads has the
    same keys and shapes as params. Build it from the layers above; don't change params."""
    # TODO: forward through affine, relu, affine (return the scores if y is None); then softmax_loss,
    #       and backward through the same layers in reverse order.
    raise NotImplementedError
