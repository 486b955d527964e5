"""LoRA in the style of Hugging Face PEFT: A and B are bias-free nn.Linear layers (lora_A, lora_B),
A drawn from a Gaussian with std 1/r (PEFT's "gaussian" init), the targets matched by walking
named_modules, and fine-tuning with SGD and momentum."""

import torch
import torch.nn.functional as F
from torch import nn


class LoRALinear(nn.Module):
    """base(x) + lora_B(lora_A(x)) * alpha / r, with the base frozen."""

    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0):
        super().__init__()
        for p in base.parameters():
            p.requires_grad = False
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        nn.init.normal_(self.lora_A.weight, std=1 / r)
        nn.init.zeros_(self.lora_B.weight)
        self.lora_A.to(base.weight.device)
        self.lora_B.to(base.weight.device)
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(x)) * self.scaling

    def merge(self) -> nn.Linear:
        """The merged weight as one addmm: W + scaling * (B.weight @ A.weight)."""
        weight = torch.addmm(self.base.weight, self.lora_B.weight, self.lora_A.weight, alpha=self.scaling)
        merged = nn.Linear(self.base.in_features, self.base.out_features, bias=self.base.bias is not None)
        merged.to(weight.device)
        merged.weight = nn.Parameter(weight.detach().clone())
        if self.base.bias is not None:
            merged.bias = nn.Parameter(self.base.bias.detach().clone())
        return merged


def _replace(model, name, new):
    *path, last = name.split(".")
    parent = model
    for part in path:
        parent = getattr(parent, part)
    setattr(parent, last, new)


def add_lora(model, targets, r=4, alpha=8.0):
    """Freeze all, then wrap every module whose name is one of the targets."""
    for p in model.parameters():
        p.requires_grad = False
    chosen = [(name, module) for name, module in model.named_modules() if name in set(targets)]
    for name, module in chosen:
        _replace(model, name, LoRALinear(module, r=r, alpha=alpha))
    return model


def count_trainable(model):
    sizes = {name: (p.numel(), p.requires_grad) for name, p in model.named_parameters()}
    return sum(n for n, grad in sizes.values() if grad), sum(n for n, _ in sizes.values())


def merge_lora(model):
    """Children first (recursively), so nested layers are found too."""
    for name, child in list(model.named_children()):
        if isinstance(child, LoRALinear):
            setattr(model, name, child.merge())
        else:
            merge_lora(child)
    return model


def finetune(model, x, y, *, epochs=40, batch_size=32, lr=0.01, seed=0, progress=None):
    """SGD with momentum 0.9 over the trainable parameters, mini-batches of 32."""
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=lr, momentum=0.9)
    generator = torch.Generator().manual_seed(seed)
    history = []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(x.shape[0], generator=generator).to(x.device)
        total = 0.0
        for batch in order.split(batch_size):
            loss = F.cross_entropy(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history.append(total / len(y))
        if progress:
            progress(epoch + 1, epochs, loss=history[-1])
    return history
