"""A small convolutional network on handwritten digits: convolution arithmetic, channels-first
images, two conv blocks and a classifier, and its training loop."""

import torch
import torch.nn.functional as F
from torch import nn


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """The height (or width) of a convolution's output, for an input of that height (or width),
    a square kernel, a stride and zero padding on each side."""
    import math

    return math.floor((size + 2 * padding - kernel) / stride) + 1


def to_images(x: torch.Tensor) -> torch.Tensor:
    """(N, 64) rows of pixels, row after row of each 8x8 digit -> (N, 1, 8, 8) images, channels
    first (N, C, H, W): the layout nn.Conv2d expects."""
    return x.unflatten(1, (1, 8, 8))


class CNN(nn.Module):
    """Two conv blocks and a linear classifier, for (N, 1, 8, 8) images:

    conv1 = Conv2d(1, c1, 3, padding=1) -> ReLU -> MaxPool2d(2)    (N, c1, 4, 4)
    conv2 = Conv2d(c1, c2, 3, padding=1) -> ReLU -> MaxPool2d(2)   (N, c2, 2, 2)
    flatten -> fc = Linear(c2 * 2 * 2, 10)                         (N, 10) logits
    """

    def __init__(self, c1: int = 16, c2: int = 32):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, padding=1)
        self.fc = nn.Linear(c2 * 2 * 2, 10)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 1, 8, 8) -> (N, c2, 2, 2): the two conv blocks."""
        x = F.relu(F.max_pool2d(self.conv1(x), kernel_size=2, stride=2))  # pooling first: the same result
        return F.relu(F.max_pool2d(self.conv2(x), kernel_size=2, stride=2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 1, 8, 8) -> (N, 10) raw scores."""
        return self.fc(self.features(x).reshape(x.shape[0], -1))


def train(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 15,
    batch_size: int = 32,
    lr: float = 0.005,
    seed: int = 0,
    progress=None,
) -> list[float]:
    """Train on images x (N, 1, 8, 8) and labels y (N,) with torch.optim.Adam(lr) and cross-entropy,
    in mini-batches of batch_size, shuffled each epoch by a torch.Generator seeded once with seed.
    Returns the mean loss of each epoch. If progress is given, call progress(epoch, epochs, loss=...)
    after each epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(y), generator=generator).to(y.device)
        losses = []
        for batch in order.split(batch_size):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch], reduction="sum") / len(batch)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))  # the mean of the batch means
        if progress is not None:
            progress(epoch, epochs, loss=history[-1])
    return history
