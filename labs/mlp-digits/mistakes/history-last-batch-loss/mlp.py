"""An MLP on handwritten digits, the Nielsen path: a model, a training loop and an evaluation."""

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    """8x8 digit images -> 10 scores: Linear(64, hidden) -> ReLU -> Linear(hidden, 10).

    Input x: (N, 8, 8) float pixels in [0, 1]. Output: (N, 10) raw scores (logits), one per digit."""

    def __init__(self, hidden: int = 64):
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.reshape(x.shape[0], -1)  # (N, 8, 8) -> (N, 64), one row per image
        return self.fc2(F.relu(self.fc1(x)))


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor) -> float:
    """One mini-batch step on images x (B, 8, 8) and labels y (B,) of dtype long.

    Clears the old gradients, computes the cross-entropy of the model's logits, backpropagates and
    lets the optimizer update the weights. Returns the loss before the update, as a float."""
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The fraction of images in x (N, 8, 8) whose highest score is the label in y (N,), as a float
    in [0, 1]. Runs the model in eval mode and without recording a graph."""
    model.eval()
    with torch.no_grad():
        predictions = model(x).argmax(dim=1)
    return (predictions == y).float().mean().item()


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
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    x_train, y_train = data["x_train"], data["y_train"]
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(y_train), generator=generator).to(y_train.device)
        losses = []
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            losses.append(train_step(model, optimizer, x_train[batch], y_train[batch]))
        test_acc = evaluate(model, data["x_test"], data["y_test"])
        history.append({"epoch": epoch, "loss": losses[-1], "test_acc": test_acc})  # the last batch only
        if progress is not None:
            progress(epoch, epochs, loss=history[-1]["loss"], test_acc=test_acc)
    return history
