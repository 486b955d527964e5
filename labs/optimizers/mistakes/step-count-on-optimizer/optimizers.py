"""SGD with momentum (and Nesterov), Adam and AdamW written as torch.optim.Optimizer subclasses
(d2l chapter 11), equal step by step to torch.optim.SGD, Adam and AdamW."""

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
        for group in self.param_groups:
            lr, momentum, wd = group["lr"], group["momentum"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.add(p, alpha=wd) if wd else p.grad
                if momentum:
                    state = self.state[p]  # per parameter, and saved by state_dict()
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = g.clone()
                    else:
                        state["momentum_buffer"].mul_(momentum).add_(g)
                    buf = state["momentum_buffer"]
                    g = g.add(buf, alpha=momentum) if group["nesterov"] else buf
                p.add_(g, alpha=-lr)


def adam_update(p, grad, state, lr, betas, eps, t=None):
    """One Adam step on p in place with the gradient grad; state holds step, exp_avg and exp_avg_sq."""
    beta1, beta2 = betas
    if not state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(p)  # m: the moving average of the gradient
        state["exp_avg_sq"] = torch.zeros_like(p)  # v: the moving average of its square
    state["step"] += 1
    t, m, v = t or state["step"], state["exp_avg"], state["exp_avg_sq"]
    m.mul_(beta1).add_(grad, alpha=1 - beta1)
    v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    m_hat = m / (1 - beta1**t)  # bias correction: m and v start at 0, too small in the first steps
    v_hat = v / (1 - beta2**t)
    p.addcdiv_(m_hat, v_hat.sqrt().add_(eps), value=-lr)


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
        self.t = getattr(self, "t", 0) + 1  # one step counter for the whole optimizer
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad.add(p, alpha=group["weight_decay"]) if group["weight_decay"] else p.grad
                adam_update(p, grad, self.state[p], group["lr"], group["betas"], group["eps"], t=self.t)


class AdamW(torch.optim.Optimizer):
    """Adam with decoupled weight decay (Loshchilov & Hutter): the weights shrink directly,
    p = p * (1 - lr * weight_decay), then the plain Adam step on the gradient alone (as
    torch.optim.AdamW)."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.mul_(1 - group["lr"] * group["weight_decay"])  # decoupled: outside the adaptive scaling
                adam_update(p, p.grad, self.state[p], group["lr"], group["betas"], group["eps"])
