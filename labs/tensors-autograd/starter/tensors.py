"""Tensors and autograd: shapes, broadcasting, requires_grad and one gradient step by hand.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check tensors-autograd`
to see which steps pass.
"""

import torch


def flatten_images(x: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, C*H*W): one row per image, keeping the batch dimension."""
    # TODO: one line with reshape. What must stay the same size?
    raise NotImplementedError


def center_columns(x: torch.Tensor) -> torch.Tensor:
    """(n, d) -> (n, d): subtract each column's mean, so every column of the result has mean 0."""
    # TODO: the column means have shape (1, d); broadcasting subtracts them from every row.
    raise NotImplementedError


def pairwise_sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a (n, d), b (m, d) -> (n, m): out[i, j] = squared distance between a[i] and b[j]. No loops."""
    # TODO: add axes so that a - b broadcasts to (n, m, d), then square and sum over d.
    raise NotImplementedError


def autograd_grad(f, x: torch.Tensor) -> torch.Tensor:
    """The gradient of the scalar f(x) with respect to x, by autograd. The caller's x is not changed."""
    # TODO: make a copy of x that requires grad, call backward() on f of it, return its .grad.
    raise NotImplementedError


def sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """One gradient-descent step on mean((x @ w + b - y) ** 2).

    w (d,) and b () are leaf tensors with requires_grad=True, updated in place. x is (n, d), y is (n,).
    Returns the loss before the update, as a Python float."""
    # TODO: 1. the loss  2. backward()  3. update w and b in place, outside the graph
    #       4. clear w.grad and b.grad for the next call  5. return the loss as a float
    raise NotImplementedError
