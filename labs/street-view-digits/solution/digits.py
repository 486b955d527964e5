"""Recognising house numbers (the Tianchi street-view character recognition task): a CNN that reads a
string of 1-4 digits as a fixed number of positions, each a digit or "blank".

Reference solution."""

import random

import torch
import torch.nn.functional as F
from torch import nn

BLANK = 10  # the class of an empty position: digits are 0-9


def encode_labels(strings, positions=4):
    """Digit strings -> (N, positions) long targets: the i-th digit at position i, BLANK after the last.
    "37" -> [3, 7, BLANK, BLANK]. Every string has 1 to `positions` digits."""
    rows = [[int(c) for c in s] + [BLANK] * (positions - len(s)) for s in strings]
    return torch.tensor(rows, dtype=torch.long)


def decode_positions(logits):
    """Scores (N, positions, classes) -> N strings: the best class at each position, BLANKs dropped
    wherever they are ([3, BLANK, 7, BLANK] -> "37")."""
    best = logits.argmax(dim=-1).tolist()
    return ["".join(str(c) for c in row if c != BLANK) for row in best]


class DigitsNet(nn.Module):
    """Image (N, 1, 12, 44) -> scores (N, positions, classes): two conv blocks with batch norm, then one
    linear head for every position at once (positions * classes outputs, viewed as (N, positions, classes))."""

    def __init__(self, positions: int = 4, classes: int = 11):
        super().__init__()
        self.positions, self.classes = positions, classes
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (8, 6, 22)
            nn.Conv2d(8, 16, 3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (16, 3, 11)
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(16 * 3 * 11, positions * classes))

    def forward(self, x):
        return self.head(self.features(x)).view(-1, self.positions, self.classes)


def position_loss(logits, targets):
    """The mean cross-entropy over every position of every image: logits (N, P, C), targets (N, P)."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def train(model, data, *, epochs=5, batch_size=64, lr=0.005, seed=0, progress=None):
    """Adam on position_loss over shuffled mini-batches. data holds images (N, 1, H, W) and targets
    (N, P), on the model's device. Returns the mean loss of each epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(len(data["targets"])))
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            index = torch.tensor(order[start : start + batch_size], device=data["targets"].device)
            loss = position_loss(model(data["images"][index]), data["targets"][index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
