"""LoRA (Hu et al. 2021): fine-tune a frozen model through small low-rank updates.

A LoRALinear wraps a pretrained nn.Linear y = x W^T + b and adds a trainable update of rank r:
y = x W^T + b + (alpha / r) * x A^T B^T, with A (r, in_features) and B (out_features, r). Only A
and B train; W and b stay frozen, and merge() folds the update into one plain nn.Linear."""

import math

import torch
import torch.nn.functional as F
from torch import nn


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update (alpha / r) * B @ A.

    base: the pretrained layer, kept as self.base with its parameters frozen.
    A: (r, in_features), small random values; B: (out_features, r), zeros, so that at the start the
    layer computes exactly what base computes. Input x: (..., in_features); output (..., out_features)."""

    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0):
        super().__init__()
        self.base = base
        self.base.requires_grad_(False)
        self.r, self.alpha = r, alpha
        self.scaling = alpha / r
        weight = base.weight
        self.A = nn.Parameter(torch.empty(r, base.in_features, device=weight.device, dtype=weight.dtype))
        self.B = nn.Parameter(torch.zeros(base.out_features, r, device=weight.device, dtype=weight.dtype))
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))  # as nn.Linear and the LoRA reference code do

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.A.T @ self.B.T) * self.scaling

    def merge(self) -> nn.Linear:
        """A new nn.Linear with weight W + (alpha / r) * B @ A and the same bias: the same outputs,
        no extra cost at inference. This layer and its base are left as they are."""
        merged = nn.Linear(
            self.base.in_features,
            self.base.out_features,
            bias=self.base.bias is not None,
            device=self.base.weight.device,
            dtype=self.base.weight.dtype,
        )
        with torch.no_grad():
            merged.weight.copy_(self.base.weight + self.B @ self.A)
            if self.base.bias is not None:
                merged.bias.copy_(self.base.bias)
        return merged


def add_lora(model: nn.Module, targets: list[str], r: int = 4, alpha: float = 8.0) -> nn.Module:
    """Freeze every parameter of model, then replace each nn.Linear named in targets (a submodule
    name such as "fc1" or "block.proj", as in model.named_modules()) by a LoRALinear wrapping it.
    Returns model, changed in place."""
    model.requires_grad_(False)
    for name in targets:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        setattr(parent, child, LoRALinear(getattr(parent, child), r=r, alpha=alpha))
    return model


def count_trainable(model: nn.Module) -> tuple[int, int]:
    """(trainable, total): the number of parameter values that require grad, and of all of them."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable, total


def merge_lora(model: nn.Module) -> nn.Module:
    """Replace every LoRALinear in model by its merged nn.Linear. Returns model, changed in place."""
    for name, module in list(model.named_modules()):
        if isinstance(module, LoRALinear):
            parent_name, _, child = name.rpartition(".")
            setattr(model.get_submodule(parent_name), child, module.merge())
    return model


def finetune(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 40,
    batch_size: int = 64,
    lr: float = 1e-2,
    seed: int = 0,
    progress=None,
) -> list[float]:
    """Train only the parameters that require grad (the LoRA A and B) with Adam and cross-entropy
    on images x (N, 8, 8) and labels y (N,). Shuffle each epoch with a torch.Generator seeded once
    with seed. Returns the mean loss of each epoch; calls progress(epoch, epochs, loss=...) if given."""
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=lr)
    generator = torch.Generator().manual_seed(seed)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(y), generator=generator).to(y.device)
        losses = []
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
        if progress is not None:
            progress(epoch, epochs, loss=history[-1])
    return history
