"""House numbers (Tianchi street-view baseline), written another way: a backbone with batch norm and
one nn.Linear head per position in an nn.ModuleList (as the Tianchi baseline's fc1..fc4), the loss
as the average of one cross-entropy per position, decoding with tensor masks, batches from
torch.randperm."""

import torch
import torch.nn.functional as F
from torch import nn

BLANK = 10


def encode_labels(strings, positions=4):
    """(N, positions) long: digits first, BLANK after."""
    targets = torch.full((len(strings), positions), BLANK, dtype=torch.long)
    for row, text in enumerate(strings):
        targets[row, : len(text)] = torch.tensor([ord(c) - ord("0") for c in text])
    return targets


def decode_positions(logits):
    """N strings, BLANKs dropped."""
    best = logits.argmax(dim=2).cpu()
    return ["".join(map(str, row[row != BLANK].tolist())) for row in best]


class DigitsNet(nn.Module):
    """Conv-BN-ReLU blocks, then one head per position."""

    def __init__(self, positions: int = 4, classes: int = 11):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(1, 12, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(12),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(12, 16, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Dropout(0.1),
        )
        self.heads = nn.ModuleList(nn.Linear(16 * 3 * 11, classes) for _ in range(positions))

    def forward(self, x):
        features = self.backbone(x)
        return torch.stack([head(features) for head in self.heads], dim=1)


def position_loss(logits, targets):
    """The mean over positions of each position's mean cross-entropy (the same number: equal counts)."""
    per_position = [F.cross_entropy(logits[:, p], targets[:, p]) for p in range(logits.shape[1])]
    return torch.stack(per_position).mean()


def train(model, data, *, epochs=5, batch_size=64, lr=0.005, seed=0, progress=None):
    """Adam; batches from a seeded torch.randperm."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    images, targets = data["images"], data["targets"]
    history = []
    for epoch in range(epochs):
        model.train()
        running, seen = 0.0, 0
        for index in torch.randperm(len(targets), generator=generator).split(batch_size):
            index = index.to(targets.device)
            loss = position_loss(model(images[index]), targets[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running, seen = running + loss.item() * len(index), seen + len(index)
        history.append(running / seen)
        if progress:
            progress(epoch + 1, epochs, loss=history[-1])
    return history
