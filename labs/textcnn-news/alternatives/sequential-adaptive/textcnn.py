"""A correct alternative: each branch an nn.Sequential(Conv1d, ReLU, AdaptiveMaxPool1d, Flatten)
with Xavier-initialised weights, the embedding's PAD row zeroed by padding_idx, macro-F1 from
plain Python counts, and shuffling with a generator seeded from `seed` plus a fixed offset."""

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0


def pad_batch(docs, min_len=1):
    width = max([min_len] + [len(d) for d in docs])
    return torch.tensor([d + [PAD] * (width - len(d)) for d in docs], dtype=torch.long)


class TextCNN(nn.Module):
    def __init__(self, vocab_size, num_classes, embed_dim=64, kernel_sizes=(3, 4, 5), num_filters=64, dropout=0.5):
        super().__init__()
        self.kernel_sizes = tuple(kernel_sizes)
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.branches = nn.ModuleList(
            nn.Sequential(nn.Conv1d(embed_dim, num_filters, k), nn.ReLU(), nn.AdaptiveMaxPool1d(1), nn.Flatten())
            for k in kernel_sizes
        )
        for branch in self.branches:
            nn.init.xavier_uniform_(branch[0].weight)
            nn.init.zeros_(branch[0].bias)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(num_filters * len(kernel_sizes), num_classes))

    def forward(self, tokens):
        x = self.embedding(tokens).permute(0, 2, 1)
        return self.classifier(torch.cat([branch(x) for branch in self.branches], dim=-1))


def macro_f1(y_true, y_pred):
    truth, guess = y_true.tolist(), y_pred.tolist()
    total = 0.0
    classes = set(truth) | set(guess)
    for c in classes:
        tp = sum(1 for t, p in zip(truth, guess, strict=True) if t == c and p == c)
        precision = tp / max(1, sum(1 for p in guess if p == c))
        recall = tp / max(1, sum(1 for t in truth if t == c))
        total += 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return total / len(classes)


def train(model, docs, labels, *, epochs=5, batch_size=64, lr=2e-3, seed=0, progress=None):
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed + 12345)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        losses = []
        for batch in torch.randperm(len(docs), generator=generator).split(batch_size):
            tokens = pad_batch([docs[i] for i in batch.tolist()], min_len=max(model.kernel_sizes)).to(device)
            loss = F.cross_entropy(model(tokens), labels[batch].to(device), reduction="sum")
            optimizer.zero_grad()
            (loss / len(batch)).backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(docs))
        if progress is not None:
            progress(epoch, epochs, loss=history[-1])
    return history
