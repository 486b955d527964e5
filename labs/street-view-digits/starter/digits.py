"""Recognising house numbers (the Tianchi street-view character recognition task): a CNN that reads a
string of 1-4 digits as a fixed number of positions, each a digit or "blank".

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check street-view-digits`
to see which steps pass. Shapes: N images, P positions (4), C classes (11: the digits 0-9 and BLANK).
"""

import random  # noqa: F401  (shuffling in train)

import torch  # noqa: F401
import torch.nn.functional as F  # noqa: F401  (F.cross_entropy)
from torch import nn

BLANK = 10  # the class of an empty position: digits are 0-9


def encode_labels(strings, positions=4):
    """Digit strings -> (N, positions) long targets: the i-th digit at position i, BLANK after the last.
    "37" -> [3, 7, BLANK, BLANK]. Every string has 1 to `positions` digits."""
    # TODO: one row per string: its digits as ints, then BLANK up to `positions`; a long tensor.
    raise NotImplementedError


def decode_positions(logits):
    """Scores (N, positions, classes) -> N strings: the best class at each position, BLANKs dropped
    wherever they are ([3, BLANK, 7, BLANK] -> "37")."""
    # TODO: the argmax over the classes, then per image the digits that are not BLANK, joined.
    raise NotImplementedError


class DigitsNet(nn.Module):
    """Image (N, 1, 12, 44) -> scores (N, positions, classes): two conv blocks with batch norm, then one
    linear head for every position at once (positions * classes outputs, viewed as (N, positions, classes))."""

    def __init__(self, positions: int = 4, classes: int = 11):
        super().__init__()
        # TODO: convolutions with batch norm, ReLU and max-pooling, then a head with positions * classes
        #       outputs on the flattened features (not a global pool: the head must know where digits are).
        #       Keep positions and classes on self for forward.
        raise NotImplementedError

    def forward(self, x):
        # TODO: features, head, then view the scores as (N, positions, classes).
        raise NotImplementedError


def position_loss(logits, targets):
    """The mean cross-entropy over every position of every image: logits (N, P, C), targets (N, P)."""
    # TODO: each (image, position) pair is one classification: flatten both the same way.
    raise NotImplementedError


def train(model, data, *, epochs=5, batch_size=64, lr=0.005, seed=0, progress=None):
    """Adam on position_loss over shuffled mini-batches. data holds images (N, 1, H, W) and targets
    (N, P), on the model's device. Returns the mean loss of each epoch.
    If progress is given, call progress(epoch, epochs, loss=...) after each epoch."""
    # TODO: the optimizer and a random.Random(seed); each epoch model.train(), shuffle, and per
    #       mini-batch: loss, zero_grad, backward, step.
    raise NotImplementedError
