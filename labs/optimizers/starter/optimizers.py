"""SGD with momentum (and Nesterov), Adam and AdamW written as torch.optim.Optimizer subclasses
(d2l chapter 11), equal step by step to torch.optim.SGD, Adam and AdamW.

The constructors are written for you: they store each setting in the parameter groups, so
step() finds them in group["lr"], group["momentum"] and so on. Replace each
`raise NotImplementedError` with your code. Run `studyctl lab check optimizers` to see which
steps pass. Don't call torch.optim.SGD, Adam or AdamW (or their functional forms) in here.
"""

import torch


class SGDMomentum(torch.optim.Optimizer):
    """SGD with optional momentum, Nesterov momentum and (coupled, L2) weight decay, as torch.optim.SGD
    with dampening 0. For each parameter p with a gradient:

        g = p.grad + weight_decay * p
        buf = g on the first step, then buf = momentum * buf + g    (only when momentum > 0)
        g = g + momentum * buf if nesterov, else buf                (only when momentum > 0)
        p = p - lr * g
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0):
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0")
        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov, "weight_decay": weight_decay})

    @torch.no_grad()  # the update itself must not be recorded by autograd
    def step(self, closure=None):
        """One update of every parameter that has a gradient, with its group's settings."""
        # TODO: for each group and each of its parameters with a gradient: the formula above. Keep the
        #       momentum buffer in self.state[p], a dict that belongs to that parameter.
        raise NotImplementedError


class Adam(torch.optim.Optimizer):
    """Adam with bias correction from step 1; weight_decay is coupled L2 regularisation, added to the
    gradient before the moving averages (as torch.optim.Adam):

        g = p.grad + weight_decay * p
        m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
        p = p - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        # TODO: per parameter with a gradient: its step count t (from 1), m and v, all in self.state[p]
        #       (zeros on the first step); the bias-corrected update above.
        raise NotImplementedError


class AdamW(torch.optim.Optimizer):
    """Adam with decoupled weight decay (Loshchilov & Hutter): the weights shrink directly,
    p = p * (1 - lr * weight_decay), then the plain Adam step on the gradient alone (as
    torch.optim.AdamW)."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        # TODO: shrink p first, then Adam's update with p.grad (no weight decay in the gradient). A helper
        #       function shared with Adam saves writing the update twice.
        raise NotImplementedError
