"""LoRA (Hu et al. 2021): fine-tune a frozen model through small low-rank updates.

A LoRALinear wraps a pretrained nn.Linear y = x W^T + b and adds a trainable update of rank r:
y = x W^T + b + (alpha / r) * x A^T B^T, with A (r, in_features) and B (out_features, r). Only A
and B train; W and b stay frozen, and merge() folds the update into one plain nn.Linear.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check lora-finetune`
to see which steps pass.
"""

import math  # noqa: F401  (math.sqrt(5) for nn.init.kaiming_uniform_)

import torch
import torch.nn.functional as F  # noqa: F401  (F.cross_entropy)
from torch import nn


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update (alpha / r) * B @ A.

    base: the pretrained layer, kept as self.base with its parameters frozen.
    A: (r, in_features), small random values; B: (out_features, r), zeros, so that at the start the
    layer computes exactly what base computes. Input x: (..., in_features); output (..., out_features)."""

    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0):
        super().__init__()
        # TODO: keep base and freeze it; A (r, in_features) random, B (out_features, r) zeros, both
        #       nn.Parameter on base.weight's device; self.scaling = alpha / r.
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO: the base's output plus the scaled low-rank update x A^T B^T.
        raise NotImplementedError

    def merge(self) -> nn.Linear:
        """A new nn.Linear with weight W + (alpha / r) * B @ A and the same bias: the same outputs,
        no extra cost at inference. This layer and its base are left as they are."""
        # TODO: a new nn.Linear; copy the merged weight and the bias into it under torch.no_grad().
        raise NotImplementedError


def add_lora(model: nn.Module, targets: list[str], r: int = 4, alpha: float = 8.0) -> nn.Module:
    """Freeze every parameter of model, then replace each nn.Linear named in targets (a submodule
    name such as "fc1" or "block.proj", as in model.named_modules()) by a LoRALinear wrapping it.
    Returns model, changed in place."""
    # TODO: freeze everything, then for each name find the parent module and setattr the wrapper.
    raise NotImplementedError


def count_trainable(model: nn.Module) -> tuple[int, int]:
    """(trainable, total): the number of parameter values that require grad, and of all of them."""
    # TODO: sum p.numel() over the parameters (those with requires_grad, then all).
    raise NotImplementedError


def merge_lora(model: nn.Module) -> nn.Module:
    """Replace every LoRALinear in model by its merged nn.Linear. Returns model, changed in place."""
    # TODO: walk model.named_modules(); for each LoRALinear, setattr its parent's child to .merge().
    raise NotImplementedError


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
    # TODO: the optimizer over the trainable parameters, a generator, then per epoch and batch:
    #       zero_grad, cross-entropy of model(x[batch]), backward, step.
    raise NotImplementedError
