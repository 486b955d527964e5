"""Linear and logistic regression from scratch: a model is a weight vector w and a bias b, a
loss is a formula, and autograd gives the gradient. No nn.Linear, no torch.optim, no torch
loss functions: the check compares your code with them.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check linear-logistic`
to see which steps pass.
"""

import torch


def linear_forward(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (n, d), w (d,), b () -> (n,): one prediction x[i] @ w + b per row."""
    # TODO: one line. Which shape does x @ w have, and what does adding b do to it?
    raise NotImplementedError


def mse_loss(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """pred (n,), y (n,) -> (): the mean squared error, mean((pred - y) ** 2), as a 0-dim tensor."""
    # TODO: one line; keep it a tensor (no .item()) so autograd can differentiate it.
    raise NotImplementedError


def normal_equations(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Least squares in closed form. x (n, d), y (n,) -> (w (d,), b ()).

    Append a column of ones to x so that X = [x, 1] is (n, d + 1) and the bias is one more
    weight, then solve the normal equations (X^T X) theta = X^T y: w = theta[:d], b = theta[d]."""
    # TODO: 1. the ones column (same dtype and device as x)  2. torch.cat  3. torch.linalg.solve
    #       4. split theta into w and b
    raise NotImplementedError


def fit_linear(
    x: torch.Tensor, y: torch.Tensor, lr: float = 0.1, steps: int = 500
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradient descent on mse_loss(linear_forward(x, w, b), y), starting from w = 0 and b = 0.

    x (n, d), y (n,). Use autograd for the gradients (no torch.optim). Returns (w (d,), b ()),
    detached, with x's dtype and device."""
    # TODO: w and b start at zero and require grad; each step: loss, backward(), update both in place
    #       under torch.no_grad(), clear their .grad. Return them detached.
    raise NotImplementedError


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """logits (n,), y (n,) of 0.0 / 1.0 -> (): the mean binary cross-entropy of sigmoid(logits)
    against y, -mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(logits).

    Compute it from the logits, never from p: max(z, 0) - z * y + log(1 + exp(-|z|)) is the same
    number and cannot overflow, where log(sigmoid(z)) gives -inf once sigmoid rounds to 0 or 1."""
    # TODO: the stable formula per example, then the mean. Useful: clamp(min=0), abs(), torch.log1p, torch.exp.
    raise NotImplementedError


def logistic_sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """One gradient-descent step of logistic regression on bce_with_logits(x @ w + b, y).

    w (d,) and b () are leaf tensors with requires_grad=True, updated in place; x (n, d), y (n,)
    of 0.0 / 1.0. Returns the loss before the update, as a Python float."""
    # TODO: logits from linear_forward (no sigmoid: the loss has it), the loss, backward(), update w and b
    #       in place under torch.no_grad(), clear the grads, return loss.item().
    raise NotImplementedError


def predict(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (n, d) -> (n,) of 0.0 / 1.0: class 1 where sigmoid(x @ w + b) > 0.5."""
    # TODO: where is sigmoid(z) > 0.5? Return floats with x's dtype.
    raise NotImplementedError
