"""Tensors and autograd: shapes, broadcasting, requires_grad and one gradient step by hand."""

import torch


def flatten_images(x: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, C*H*W): one row per image, keeping the batch dimension."""
    n = x.size(0)
    return x.contiguous().view(n, -1)


def center_columns(x: torch.Tensor) -> torch.Tensor:
    """(n, d) -> (n, d): subtract each column's mean, so every column of the result has mean 0."""
    return x - x.mean(dim=0, keepdim=True)


def pairwise_sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a (n, d), b (m, d) -> (n, m): out[i, j] = squared distance between a[i] and b[j]. No loops."""
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2, without the (n, m, d) intermediate; clamp rounding below 0
    sq = (a * a).sum(dim=1)[:, None] - 2 * a @ b.T + (b * b).sum(dim=1)[None, :]
    return sq.clamp_min(0)


def autograd_grad(f, x: torch.Tensor) -> torch.Tensor:
    """The gradient of the scalar f(x) with respect to x, by autograd. The caller's x is not changed."""
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad


def sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """One gradient-descent step on mean((x @ w + b - y) ** 2).

    w (d,) and b () are leaf tensors with requires_grad=True, updated in place. x is (n, d), y is (n,).
    Returns the loss before the update, as a Python float."""
    residual = torch.mv(x, w) + b - y
    loss = residual.pow(2).sum() / len(y)
    grad_w, grad_b = torch.autograd.grad(loss, [w, b])
    with torch.no_grad():
        w.sub_(lr * grad_w)
        b.sub_(lr * grad_b)
    return loss.item()
