"""Tensors and autograd: shapes, broadcasting, requires_grad and one gradient step by hand."""

import torch


def flatten_images(x: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, C*H*W): one row per image, keeping the batch dimension."""
    return torch.flatten(x, start_dim=1)


def center_columns(x: torch.Tensor) -> torch.Tensor:
    """(n, d) -> (n, d): subtract each column's mean, so every column of the result has mean 0."""
    return x - x.mean(dim=0)  # (n, d) - (d,) broadcasts over the rows


def pairwise_sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a (n, d), b (m, d) -> (n, m): out[i, j] = squared distance between a[i] and b[j]. No loops."""
    return torch.cdist(a.double(), b.double()).pow(2).to(a.dtype)  # cdist in float64, squared


def autograd_grad(f, x: torch.Tensor) -> torch.Tensor:
    """The gradient of the scalar f(x) with respect to x, by autograd. The caller's x is not changed."""
    x = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(x), x)
    return grad


def sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """One gradient-descent step on mean((x @ w + b - y) ** 2).

    w (d,) and b () are leaf tensors with requires_grad=True, updated in place. x is (n, d), y is (n,).
    Returns the loss before the update, as a Python float."""
    optimizer = torch.optim.SGD([w, b], lr=lr)
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(x @ w + b, y)
    loss.backward()
    optimizer.step()
    return float(loss)
