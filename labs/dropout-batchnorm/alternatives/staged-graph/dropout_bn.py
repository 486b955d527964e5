"""Dropout and batch normalization, forward and backward, by hand on torch tensors (no
autograd: each backward function computes its gradients itself). Both layers behave
differently in training and in evaluation; that difference is the point of this lab."""

import torch


def dropout_forward(x: torch.Tensor, p: float, train: bool):
    """Inverted dropout. x any shape; p in [0, 1) is the probability of dropping each element.

    train=True: zero each element with probability p and scale the kept ones by 1 / (1 - p),
    so that the expected output equals x (what F.dropout does). train=False: return x unchanged.
    Returns (out, cache), cache being what dropout_backward needs."""
    if not train:
        return x.clone(), None
    scale = 1.0 / (1.0 - p)
    mask = torch.where(torch.rand_like(x) < p, 0.0, scale).to(x.dtype)
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
    if not train:
        x_hat = (x - state["running_mean"]) / torch.sqrt(state["running_var"] + eps)
        return gamma * x_hat + beta, None
    n = x.shape[0]
    mean = x.sum(dim=0) / n
    centred = x - mean
    var = (centred * centred).sum(dim=0) / n
    std = torch.sqrt(var + eps)
    x_hat = centred / std
    state["running_mean"] = state["running_mean"] * (1 - momentum) + mean * momentum
    state["running_var"] = state["running_var"] * (1 - momentum) + (centred * centred).sum(dim=0) / (n - 1) * momentum
    return gamma * x_hat + beta, (centred, std, x_hat, gamma)


def batchnorm_backward(dout: torch.Tensor, cache):
    """dout (N, D) and the cache from a train-mode batchnorm_forward -> (dx (N, D), dgamma (D,), dbeta (D,)).

    In train mode the mean and variance are functions of x too: dx has a term through them."""
    # backward through the computation graph stage by stage (cs231n's first way)
    centred, std, x_hat, gamma = cache
    n = dout.shape[0]
    dbeta = dout.sum(dim=0)
    dgamma = (dout * x_hat).sum(dim=0)
    dx_hat = dout * gamma
    dcentred = dx_hat / std
    dstd = -(dx_hat * centred).sum(dim=0) / std**2
    dvar = dstd / (2 * std)
    dcentred = dcentred + 2 * centred * dvar / n
    dmean = -dcentred.sum(dim=0)
    dx = dcentred + dmean / n
    return dx, dgamma, dbeta
