"""Dropout and batch normalization, forward and backward, by hand on torch tensors (no
autograd: each backward function computes its gradients itself). Both layers behave
differently in training and in evaluation; that difference is the point of this lab.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check dropout-batchnorm`
to see which steps pass.
"""

import torch


def dropout_forward(x: torch.Tensor, p: float, train: bool):
    """Inverted dropout. x any shape; p in [0, 1) is the probability of dropping each element.

    train=True: zero each element with probability p and scale the kept ones by 1 / (1 - p),
    so that the expected output equals x (what F.dropout does). train=False: return x unchanged.
    Returns (out, cache), cache being what dropout_backward needs."""
    # TODO: eval (or p == 0): return x and a cache that says "nothing was dropped".
    #       train: a random keep-mask (keep with probability 1 - p), scaled by 1 / (1 - p); return x * mask.
    raise NotImplementedError


def dropout_backward(dout: torch.Tensor, cache) -> torch.Tensor:
    """dout shaped like x, and the cache from dropout_forward -> dx shaped like x."""
    # TODO: the gradient goes through the same mask and scale as the forward pass.
    raise NotImplementedError


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
    # TODO: train: batch mean and biased variance per column, then update state (torch's momentum,
    #       unbiased variance for running_var). eval: state's running statistics, no update.
    #       Then normalize, scale and shift; cache what batchnorm_backward needs.
    raise NotImplementedError


def batchnorm_backward(dout: torch.Tensor, cache):
    """dout (N, D) and the cache from a train-mode batchnorm_forward -> (dx (N, D), dgamma (D,), dbeta (D,)).

    In train mode the mean and variance are functions of x too: dx has a term through them."""
    # TODO: dbeta and dgamma sum over the batch; dx goes through x_hat, the mean and the variance.
    raise NotImplementedError
