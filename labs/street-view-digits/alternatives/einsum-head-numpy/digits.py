"""House numbers (Tianchi street-view baseline), written another way: labels and decoding with NumPy,
a three-block CNN whose per-position head is one weight tensor (P, F, C) applied with torch.einsum,
the loss through log_softmax and gather, AdamW."""

import random

import numpy as np
import torch
from torch import nn

BLANK = 10


def encode_labels(strings, positions=4):
    """(N, positions) long: digits first, BLANK after."""
    table = np.full((len(strings), positions), BLANK, dtype=np.int64)
    for i, text in enumerate(strings):
        table[i, : len(text)] = np.frombuffer(text.encode(), dtype=np.uint8) - ord("0")
    return torch.from_numpy(table)


def decode_positions(logits):
    """N strings, BLANKs dropped, via NumPy."""
    best = logits.detach().cpu().numpy().argmax(axis=-1)
    return ["".join(str(d) for d in row[row != BLANK]) for row in best]


class DigitsNet(nn.Module):
    """Three conv blocks (the last without pooling), then einsum with a (P, F, C) head."""

    def __init__(self, positions: int = 4, classes: int = 11):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1),
            nn.ReLU(),
        )
        features = 16 * 3 * 11
        self.hidden = nn.Linear(features, 128)
        self.weight = nn.Parameter(torch.randn(positions, 128, classes) / 128**0.5)
        self.bias = nn.Parameter(torch.zeros(positions, classes))

    def forward(self, x):
        h = torch.relu(self.hidden(self.conv(x).flatten(1)))
        return torch.einsum("nf,pfc->npc", h, self.weight) + self.bias


def position_loss(logits, targets):
    """-mean log p(target) over every (image, position)."""
    log_probs = logits.log_softmax(dim=-1)
    return -log_probs.gather(-1, targets.unsqueeze(-1)).mean()


def train(model, data, *, epochs=5, batch_size=64, lr=0.005, seed=0, progress=None):
    """AdamW, Python shuffling."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    order = list(range(data["targets"].shape[0]))
    shuffle = random.Random(seed).shuffle
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = position_loss(model(data["images"][chunk]), data["targets"][chunk])
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(chunk)
        losses.append(total / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
