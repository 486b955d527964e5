"""A correct alternative: state created up front in the constructor (a zero momentum buffer, which
gives buf = g on the first step all the same), torch.lerp for the moving averages, explicit
m_hat and v_hat with out-of-place arithmetic, and AdamW as a subclass of Adam."""

import torch


def _init_state(optimizer, **zeros_like):
    for group in optimizer.param_groups:
        for p in group["params"]:
            optimizer.state[p].update({"step": 0} | {name: torch.zeros_like(p) for name in zeros_like})


class SGDMomentum(torch.optim.Optimizer):
    def __init__(self, params, lr: float, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0):
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0")
        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov, "weight_decay": weight_decay})
        _init_state(self, momentum_buffer=True)

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    if group["momentum"] > 0:
                        buf = group["momentum"] * self.state[p]["momentum_buffer"] + g  # from zeros: buf = g first
                        self.state[p]["momentum_buffer"] = buf
                        g = g + group["momentum"] * buf if group["nesterov"] else buf
                    p.copy_(p - group["lr"] * g)


class Adam(torch.optim.Optimizer):
    decoupled = False

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})
        _init_state(self, m=True, v=True)

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if self.decoupled:
                        p.copy_(p * (1 - lr * wd))
                        g = p.grad
                    else:
                        g = p.grad + wd * p
                    state["step"] += 1
                    state["m"] = torch.lerp(state["m"], g, 1 - beta1)
                    state["v"] = torch.lerp(state["v"], g * g, 1 - beta2)
                    m_hat = state["m"] / (1 - beta1 ** state["step"])
                    v_hat = state["v"] / (1 - beta2 ** state["step"])
                    p.copy_(p - lr * m_hat / (torch.sqrt(v_hat) + eps))


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
