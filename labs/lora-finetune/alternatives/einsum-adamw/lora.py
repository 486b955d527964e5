"""LoRA with einsum: the update as one einsum over A and B, A from the paper's small Gaussian,
names resolved by walking the attribute path, and full-batch AdamW."""

import torch
import torch.nn.functional as F
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0):
        super().__init__()
        base.weight.requires_grad_(False)
        if base.bias is not None:
            base.bias.requires_grad_(False)
        self.wrapped = base
        device = base.weight.device
        self.A = nn.Parameter(0.01 * torch.randn(r, base.in_features, device=device))
        self.B = nn.Parameter(torch.zeros(base.out_features, r, device=device))
        self.alpha, self.r = alpha, r

    def forward(self, x):
        update = torch.einsum("...i,ri,or->...o", x, self.A, self.B)
        return self.wrapped(x) + update * (self.alpha / self.r)

    def merge(self):
        delta = torch.einsum("or,ri->oi", self.B, self.A) * (self.alpha / self.r)
        out_features, in_features = self.wrapped.weight.shape
        layer = nn.Linear(in_features, out_features, bias=self.wrapped.bias is not None).to(delta.device)
        with torch.no_grad():
            layer.weight.copy_(self.wrapped.weight + delta)
            if layer.bias is not None:
                layer.bias.copy_(self.wrapped.bias)
        return layer


def _parent(model, name):
    parts = name.split(".")
    module = model
    for part in parts[:-1]:
        module = module[int(part)] if part.isdigit() else getattr(module, part)
    return module, parts[-1]


def _put(parent, key, module):
    if key.isdigit():
        parent[int(key)] = module
    else:
        setattr(parent, key, module)


def _get(parent, key):
    return parent[int(key)] if key.isdigit() else getattr(parent, key)


def add_lora(model, targets, r=4, alpha=8.0):
    model.requires_grad_(False)
    for name in targets:
        parent, key = _parent(model, name)
        _put(parent, key, LoRALinear(_get(parent, key), r, alpha))
    return model


def count_trainable(model):
    trainable = total = 0
    for p in model.parameters():
        total += p.numel()
        if p.requires_grad:
            trainable += p.numel()
    return trainable, total


def merge_lora(model):
    names = [name for name, m in model.named_modules() if isinstance(m, LoRALinear)]
    for name in names:
        parent, key = _parent(model, name)
        _put(parent, key, _get(parent, key).merge())
    return model


def finetune(model, x, y, *, epochs=150, lr=1e-2, seed=0, progress=None):
    """Full batch: every step sees all the examples (no shuffling needed), AdamW without weight decay."""
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    losses = []
    model.train()
    for step in range(epochs):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if progress:
            progress(step + 1, epochs, loss=losses[-1])
    return losses
