"""Linear and logistic regression from scratch: a model is a weight vector w and a bias b, a
loss is a formula, and autograd gives the gradient. No nn.Linear, no torch.optim, no torch
loss functions: the check compares your code with them."""

import torch


def linear_forward(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (n, d), w (d,), b () -> (n,): one prediction x[i] @ w + b per row."""
    return torch.mv(x, w) + b


def mse_loss(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """pred (n,), y (n,) -> (): the mean squared error, mean((pred - y) ** 2), as a 0-dim tensor."""
    residual = pred - y
    return residual.dot(residual) / residual.numel()


def normal_equations(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Least squares in closed form. x (n, d), y (n,) -> (w (d,), b ()).

    Append a column of ones to x so that X = [x, 1] is (n, d + 1) and the bias is one more
    weight, then solve the normal equations (X^T X) theta = X^T y: w = theta[:d], b = theta[d]."""
    design = torch.nn.functional.pad(x, (0, 1), value=1.0)  # a column of ones on the right
    theta = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1)  # least squares, stably
    return theta[:-1], theta[-1]


def fit_linear(
    x: torch.Tensor, y: torch.Tensor, lr: float = 0.1, steps: int = 500
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradient descent on mse_loss(linear_forward(x, w, b), y), starting from w = 0 and b = 0.

    x (n, d), y (n,). Use autograd for the gradients (no torch.optim). Returns (w (d,), b ()),
    detached, with x's dtype and device."""
    w = torch.zeros(x.shape[1], dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)
    for _ in range(steps):
        loss = mse_loss(linear_forward(x, w, b), y)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad = None
        b.grad = None
    return w.detach(), b.detach()


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """logits (n,), y (n,) of 0.0 / 1.0 -> (): the mean binary cross-entropy of sigmoid(logits)
    against y, -mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(logits).

    Compute it from the logits, never from p: max(z, 0) - z * y + log(1 + exp(-|z|)) is the same
    number and cannot overflow, where log(sigmoid(z)) gives -inf once sigmoid rounds to 0 or 1."""
    # -y log sigmoid(z) - (1 - y) log sigmoid(-z) = y softplus(-z) + (1 - y) softplus(z)
    softplus = torch.nn.functional.softplus
    return (y * softplus(-logits) + (1 - y) * softplus(logits)).mean()


def logistic_sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """One gradient-descent step of logistic regression on bce_with_logits(x @ w + b, y).

    w (d,) and b () are leaf tensors with requires_grad=True, updated in place; x (n, d), y (n,)
    of 0.0 / 1.0. Returns the loss before the update, as a Python float."""
    loss = bce_with_logits(linear_forward(x, w, b), y)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad = None
    b.grad = None
    return loss.item()


def predict(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (n, d) -> (n,) of 0.0 / 1.0: class 1 where sigmoid(x @ w + b) > 0.5."""
    return torch.where(torch.sigmoid(linear_forward(x, w, b)) > 0.5, 1.0, 0.0).to(x.dtype)
