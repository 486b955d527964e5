"""An MLP on handwritten digits, the Nielsen path: a model, a training loop and an evaluation."""

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    """8x8 digit images -> 10 scores: Linear(64, hidden) -> ReLU -> Linear(hidden, 10).

    Input x: (N, 8, 8) float pixels in [0, 1]. Output: (N, 10) raw scores (logits), one per digit."""

    def __init__(self, hidden: int = 64):
        super().__init__()
        self.hidden_layer = nn.Linear(64, hidden)
        self.output_layer = nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output_layer(torch.relu(self.hidden_layer(x.flatten(start_dim=1))))


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
    from torch.utils.data import DataLoader, TensorDataset

    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loader = DataLoader(
        TensorDataset(data["x_train"], data["y_train"]),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        total, batches = 0.0, 0
        for x, y in loader:
            total += train_step(model, optimizer, x, y)
            batches += 1
        test_acc = evaluate(model, data["x_test"], data["y_test"])
        history.append({"epoch": epoch, "loss": total / batches, "test_acc": test_acc})
        if progress:
            progress(epoch, epochs, loss=total / batches, test_acc=test_acc)
    return history
