"""A correct alternative in the arrangement of torch's own source: the step count kept as a float
tensor, the bias corrections folded into a step size (lr / (1 - beta1**t)) and a denominator
sqrt(v) / sqrt(1 - beta2**t) + eps, torch.addcdiv / torch.add with alpha, and Nesterov written
with torch.add; AdamW written out on its own."""

import math

import torch


class SGDMomentum(torch.optim.Optimizer):
    def __init__(self, params, lr: float, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0):
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0")
        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for param in (p for p in group["params"] if p.grad is not None):
                d_p = param.grad
                if group["weight_decay"] != 0:
                    d_p = torch.add(d_p, param, alpha=group["weight_decay"])
                if group["momentum"] != 0:
                    buffer = self.state[param].get("momentum_buffer")
                    if buffer is None:
                        buffer = torch.clone(d_p).detach()
                        self.state[param]["momentum_buffer"] = buffer
                    else:
                        buffer.mul_(group["momentum"]).add_(d_p)
                    d_p = torch.add(d_p, buffer, alpha=group["momentum"]) if group["nesterov"] else buffer
                param.add_(d_p, alpha=-group["lr"])


def _moments(state, p, grad, beta1, beta2):
    if len(state) == 0:
        state["step"] = torch.tensor(0.0)
        state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
    state["step"] += 1
    state["exp_avg"].lerp_(grad, 1 - beta1)
    state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad.conj(), value=1 - beta2)
    return state["step"].item(), state["exp_avg"], state["exp_avg_sq"]


def _apply(p, step, exp_avg, exp_avg_sq, lr, beta1, beta2, eps):
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    denom = (exp_avg_sq.sqrt() / math.sqrt(bias_correction2)).add_(eps)
    p.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is not None:
                    grad = p.grad if group["weight_decay"] == 0 else p.grad.add(p, alpha=group["weight_decay"])
                    step, exp_avg, exp_avg_sq = _moments(self.state[p], p, grad, beta1, beta2)
                    _apply(p, step, exp_avg, exp_avg_sq, group["lr"], beta1, beta2, group["eps"])


class AdamW(torch.optim.Optimizer):
    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.add_(p, alpha=-group["lr"] * group["weight_decay"])
                step, exp_avg, exp_avg_sq = _moments(self.state[p], p, p.grad, beta1, beta2)
                _apply(p, step, exp_avg, exp_avg_sq, group["lr"], beta1, beta2, group["eps"])
