"""A small convolutional network on handwritten digits: convolution arithmetic, channels-first
images, two conv blocks and a classifier, and its training loop.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check cnn-digits`
to see which steps pass.
"""

import torch
import torch.nn.functional as F  # noqa: F401  (F.relu, F.max_pool2d, F.cross_entropy)
from torch import nn


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """The height (or width) of a convolution's output, for an input of that height (or width),
    a square kernel, a stride and zero padding on each side."""
    # TODO: one line. The padding is added on both sides; a window that does not fit is dropped.
    raise NotImplementedError


def to_images(x: torch.Tensor) -> torch.Tensor:
    """(N, 64) rows of pixels, row after row of each 8x8 digit -> (N, 1, 8, 8) images, channels
    first (N, C, H, W): the layout nn.Conv2d expects."""
    # TODO: one reshape. Where does the channel dimension go in PyTorch?
    raise NotImplementedError


class CNN(nn.Module):
    """Two conv blocks and a linear classifier, for (N, 1, 8, 8) images:

    conv1 = Conv2d(1, c1, 3, padding=1) -> ReLU -> MaxPool2d(2)    (N, c1, 4, 4)
    conv2 = Conv2d(c1, c2, 3, padding=1) -> ReLU -> MaxPool2d(2)   (N, c2, 2, 2)
    flatten -> fc = Linear(c2 * 2 * 2, 10)                         (N, 10) logits
    """

    def __init__(self, c1: int = 16, c2: int = 32):
        super().__init__()
        # TODO: self.conv1, self.conv2 (nn.Conv2d) and self.fc (nn.Linear), sized from c1 and c2
        raise NotImplementedError

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 1, 8, 8) -> (N, c2, 2, 2): the two conv blocks."""
        # TODO: conv1, ReLU, max-pool 2, then conv2, ReLU, max-pool 2
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 1, 8, 8) -> (N, 10) raw scores."""
        # TODO: features, flatten each example (keep the batch dimension), fc. No softmax.
        raise NotImplementedError


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
    # TODO: the loop you wrote in the mlp-digits lab, with Adam: model.train(), shuffle, and for each
    #       batch zero_grad, loss, backward, step. Return the list of epoch losses.
    raise NotImplementedError
