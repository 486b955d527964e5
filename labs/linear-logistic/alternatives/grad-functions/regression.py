"""Linear and logistic regression from scratch: a model is a weight vector w and a bias b, a
loss is a formula, and autograd gives the gradient. No nn.Linear, no torch.optim, no torch
loss functions: the check compares your code with them."""

import torch


def linear_forward(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (n, d), w (d,), b () -> (n,): one prediction x[i] @ w + b per row."""
    return x @ w + b


def mse_loss(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """pred (n,), y (n,) -> (): the mean squared error, mean((pred - y) ** 2), as a 0-dim tensor."""
    return ((pred - y) ** 2).mean()


def normal_equations(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Least squares in closed form. x (n, d), y (n,) -> (w (d,), b ()).

    Append a column of ones to x so that X = [x, 1] is (n, d + 1) and the bias is one more
    weight, then solve the normal equations (X^T X) theta = X^T y: w = theta[:d], b = theta[d]."""
    design = torch.hstack([x, torch.ones_like(x[:, :1])])
    theta = torch.linalg.pinv(design) @ y
    w, b = theta.split([x.shape[1], 1])
    return w, b.squeeze(0)


def fit_linear(
    x: torch.Tensor, y: torch.Tensor, lr: float = 0.1, steps: int = 500
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradient descent on mse_loss(linear_forward(x, w, b), y), starting from w = 0 and b = 0.

    x (n, d), y (n,). Use autograd for the gradients (no torch.optim). Returns (w (d,), b ()),
    detached, with x's dtype and device."""
    params = [x.new_zeros(x.shape[1]).requires_grad_(), x.new_zeros(()).requires_grad_()]
    for _ in range(steps):
        loss = mse_loss(linear_forward(x, *params), y)
        grads = torch.autograd.grad(loss, params)
        params = [(p - lr * g).detach().requires_grad_() for p, g in zip(params, grads, strict=True)]
    w, b = params
    return w.detach(), b.detach()


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """logits (n,), y (n,) of 0.0 / 1.0 -> (): the mean binary cross-entropy of sigmoid(logits)
    against y, -mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(logits).

    Compute it from the logits, never from p: max(z, 0) - z * y + log(1 + exp(-|z|)) is the same
    number and cannot overflow, where log(sigmoid(z)) gives -inf once sigmoid rounds to 0 or 1."""
    # log(1 + exp(z)) - z y, with log(1 + exp(z)) = logaddexp(0, z), which never overflows
    return (torch.logaddexp(torch.zeros_like(logits), logits) - logits * y).mean()


def logistic_sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """One gradient-descent step of logistic regression on bce_with_logits(x @ w + b, y).

    w (d,) and b () are leaf tensors with requires_grad=True, updated in place; x (n, d), y (n,)
    of 0.0 / 1.0. Returns the loss before the update, as a Python float."""
    loss = bce_with_logits(linear_forward(x, w, b), y)
    grad_w, grad_b = torch.autograd.grad(loss, (w, b))
    with torch.no_grad():
        w.add_(grad_w, alpha=-lr)
        b.add_(grad_b, alpha=-lr)
    return float(loss)


def predict(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (n, d) -> (n,) of 0.0 / 1.0: class 1 where sigmoid(x @ w + b) > 0.5."""
    return (linear_forward(x, w, b) > 0).to(x.dtype)
