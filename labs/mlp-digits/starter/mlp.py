"""An MLP on handwritten digits, the Nielsen path: a model, a training loop and an evaluation.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check mlp-digits`
to see which steps pass.
"""

import torch
import torch.nn.functional as F  # noqa: F401  (F.relu, F.cross_entropy)
from torch import nn


class MLP(nn.Module):
    """8x8 digit images -> 10 scores: Linear(64, hidden) -> ReLU -> Linear(hidden, 10).

    Input x: (N, 8, 8) float pixels in [0, 1]. Output: (N, 10) raw scores (logits), one per digit."""

    def __init__(self, hidden: int = 64):
        super().__init__()
        # TODO: two layers, self.fc1 = nn.Linear(64, hidden) and self.fc2 = nn.Linear(hidden, 10)
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO: flatten each image to 64 numbers (keep the batch dimension), then fc1, ReLU, fc2.
        #       Return the raw scores: no softmax here.
        raise NotImplementedError


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor) -> float:
    """One mini-batch step on images x (B, 8, 8) and labels y (B,) of dtype long.

    Clears the old gradients, computes the cross-entropy of the model's logits, backpropagates and
    lets the optimizer update the weights. Returns the loss before the update, as a float."""
    # TODO: four lines: zero the gradients, the loss, backward, the optimizer's step. Return a float.
    raise NotImplementedError


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The fraction of images in x (N, 8, 8) whose highest score is the label in y (N,), as a float
    in [0, 1]. Runs the model in eval mode and without recording a graph."""
    # TODO: model.eval(); under torch.no_grad(), compare model(x).argmax(dim=1) with y.
    raise NotImplementedError


def train(
    model: nn.Module,
    data: dict,
    *,
    epochs: int = 30,
    batch_size: int = 32,
    lr: float = 0.5,
    seed: int = 0,
    progress=None,
) -> list[dict]:
    """Mini-batch SGD (torch.optim.SGD with learning rate lr), as in Nielsen's chapter 1.

    data holds x_train (N, 8, 8), y_train (N,), x_test (M, 8, 8) and y_test (M,), all on the model's
    device. Each epoch: shuffle the training split with a torch.Generator seeded once with `seed`,
    cut it into mini-batches of batch_size (the last one may be smaller), call train_step on each,
    then measure the accuracy on the held-out test split with evaluate.
    Returns one dict per epoch: {"epoch": 1, 2, ..., "loss": the mean train_step loss of that
    epoch, "test_acc": the test accuracy after it}. If progress is given, call
    progress(epoch, epochs, loss=..., test_acc=...) after each epoch."""
    # TODO: the optimizer and the generator, then for each epoch:
    #       model.train(); a random order of the training indices (torch.randperm(n, generator=...),
    #       moved to the data's device); train_step on each slice of batch_size indices;
    #       evaluate on the test split; append the epoch's dict; call progress if given.
    raise NotImplementedError
