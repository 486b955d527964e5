"""ESIM for natural language inference (nlp-beginner task 3): encode, align, enhance, compose, pool.

Reference solution."""

import random

import torch
import torch.nn.functional as F
from torch import nn


def soft_align(a, b, mask_a, mask_b):
    """Soft alignment (ESIM's local inference): each position of one sentence attends over the other.

    a (B, La, H), b (B, Lb, H): the encoded premise and hypothesis. mask_a (B, La), mask_b (B, Lb) bool,
    True on real tokens (padding at the end; every sentence has at least one). With e = a @ b^T (B, La, Lb):
    a_tilde[i] = sum_j softmax_j(e[i, j]) b[j] over the real j of b, and b_tilde[j] = sum_i softmax_i(e[i, j]) a[i]
    over the real i of a. Returns (a_tilde (B, La, H), b_tilde (B, Lb, H))."""
    e = a @ b.transpose(1, 2)  # (B, La, Lb)
    weights_a = torch.softmax(e.masked_fill(~mask_b.unsqueeze(1), float("-inf")), dim=2)  # over b's tokens
    weights_b = torch.softmax(e.transpose(1, 2).masked_fill(~mask_a.unsqueeze(1), float("-inf")), dim=2)
    return weights_a @ b, weights_b @ a


def enhance(x, x_tilde):
    """ESIM's enhancement: [x; x_tilde; x - x_tilde; x * x_tilde] on the last axis, (B, L, H) -> (B, L, 4H)."""
    return torch.cat([x, x_tilde, x - x_tilde, x * x_tilde], dim=-1)


def masked_pool(v, mask):
    """Average and max over the real positions only: v (B, L, H), mask (B, L) bool -> (B, 2H) = [avg; max]."""
    keep = mask.unsqueeze(2).to(v.dtype)
    average = (v * keep).sum(dim=1) / keep.sum(dim=1)
    maximum = v.masked_fill(~mask.unsqueeze(2), float("-inf")).max(dim=1).values
    return torch.cat([average, maximum], dim=-1)


class ESIM(nn.Module):
    """Embed -> BiLSTM encoder -> soft alignment -> enhance -> project -> BiLSTM composition ->
    masked avg+max pooling of both sentences -> MLP -> 3 scores (entailment, neutral, contradiction)."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden: int = 32, num_classes: int = 3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.encoder = nn.LSTM(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.project = nn.Sequential(nn.Linear(8 * hidden, hidden), nn.ReLU())
        self.composer = nn.LSTM(hidden, hidden, batch_first=True, bidirectional=True)
        self.classify = nn.Sequential(nn.Linear(8 * hidden, hidden), nn.Tanh(), nn.Linear(hidden, num_classes))

    def forward(self, premise, hypothesis, premise_mask, hypothesis_mask):
        """premise (B, Lp), hypothesis (B, Lh) long token ids (0 = padding), masks bool -> logits (B, num_classes)."""
        a, _ = self.encoder(self.embed(premise))
        b, _ = self.encoder(self.embed(hypothesis))
        a_tilde, b_tilde = soft_align(a, b, premise_mask, hypothesis_mask)
        va, _ = self.composer(self.project(enhance(a, a_tilde)))
        vb, _ = self.composer(self.project(enhance(b, b_tilde)))
        pooled = torch.cat([masked_pool(va, premise_mask), masked_pool(vb, hypothesis_mask)], dim=-1)
        return self.classify(pooled)


def train(model, data, *, epochs=6, batch_size=32, lr=0.003, seed=0, progress=None):
    """Adam on cross-entropy over shuffled mini-batches. data holds premise, hypothesis, premise_mask,
    hypothesis_mask and label (N,), on the model's device. Returns the mean loss of each epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(len(data["label"])))
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            index = torch.tensor(order[start : start + batch_size], device=data["label"].device)
            logits = model(
                data["premise"][index],
                data["hypothesis"][index],
                data["premise_mask"][index],
                data["hypothesis_mask"][index],
            )
            loss = F.cross_entropy(logits, data["label"][index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
