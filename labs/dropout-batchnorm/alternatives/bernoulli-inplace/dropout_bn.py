"""Dropout and batch normalization, forward and backward, by hand on torch tensors (no
autograd: each backward function computes its gradients itself). Both layers behave
differently in training and in evaluation; that difference is the point of this lab."""

import torch


def dropout_forward(x: torch.Tensor, p: float, train: bool):
    """Inverted dropout. x any shape; p in [0, 1) is the probability of dropping each element.

    train=True: zero each element with probability p and scale the kept ones by 1 / (1 - p),
    so that the expected output equals x (what F.dropout does). train=False: return x unchanged.
    Returns (out, cache), cache being what dropout_backward needs."""
    if not train or p == 0:
        return x, None
    mask = torch.empty_like(x).bernoulli_(1 - p).div_(1 - p)  # 1 / (1 - p) where kept, 0 where dropped
    return x * mask, mask


def dropout_backward(dout: torch.Tensor, cache) -> torch.Tensor:
    """dout shaped like x, and the cache from dropout_forward -> dx shaped like x."""
    mask = cache
    return dout if mask is None else dout * mask


def batchnorm_forward(
    x: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    state: dict,
    train: bool,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """Batch normalization of x (N, D) over the batch, like torch.nn.BatchNorm1d(D).

    gamma (D,), beta (D,): the learned scale and shift. state = {"running_mean": (D,),
    "running_var": (D,)}: the running statistics.

    train=True: normalize each column with the batch mean and the biased batch variance
    (divide by N), then update the running statistics in state the way torch does:
        running = (1 - momentum) * running + momentum * batch statistic,
    where the batch variance used for running_var is the unbiased one (divide by N - 1).
    train=False: normalize with state's running mean and variance, and change nothing.

    out = gamma * (x - mean) / sqrt(var + eps) + beta. Returns (out (N, D), cache)."""
    if train:
        var, mean = torch.var_mean(x, dim=0, unbiased=False)
        unbiased = torch.var(x, dim=0, unbiased=True)
        state["running_mean"] = torch.lerp(state["running_mean"], mean, momentum)
        state["running_var"] = torch.lerp(state["running_var"], unbiased, momentum)
    else:
        mean, var = state["running_mean"], state["running_var"]
    inv_std = 1 / torch.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def batchnorm_backward(dout: torch.Tensor, cache):
    """dout (N, D) and the cache from a train-mode batchnorm_forward -> (dx (N, D), dgamma (D,), dbeta (D,)).

    In train mode the mean and variance are functions of x too: dx has a term through them."""
    x_hat, gamma, inv_std = cache
    dbeta = dout.sum(dim=0)
    dgamma = (dout * x_hat).sum(dim=0)
    dx_hat = dout * gamma
    # the mean over the batch of dx_hat and of dx_hat * x_hat, subtracted: the terms through mean and var
    dx = inv_std * (dx_hat - dx_hat.mean(dim=0) - x_hat * (dx_hat * x_hat).mean(dim=0))
    return dx, dgamma, dbeta
