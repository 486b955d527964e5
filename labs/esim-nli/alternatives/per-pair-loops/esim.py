"""ESIM (nlp-beginner task 3), written another way: each pair cut to its real length in a loop, so no
mask is needed inside (padded rows are left as zeros); LSTMs over packed sequences; Adam with
gradient clipping."""

import random

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def soft_align(a, b, mask_a, mask_b):
    """(a_tilde, b_tilde), one pair at a time on its real tokens; padded rows stay 0."""
    a_tilde, b_tilde = torch.zeros_like(a), torch.zeros_like(b)
    for i, (n, m) in enumerate(zip(mask_a.sum(1).tolist(), mask_b.sum(1).tolist(), strict=True)):
        x, y = a[i, :n], b[i, :m]
        e = x @ y.T  # (n, m)
        a_tilde[i, :n] = e.softmax(dim=1) @ y
        b_tilde[i, :m] = e.T.softmax(dim=1) @ x
    return a_tilde, b_tilde


def enhance(x, x_tilde):
    """[x; x_tilde; x - x_tilde; x * x_tilde]."""
    return torch.cat([x, x_tilde, x - x_tilde, x * x_tilde], dim=2)


def masked_pool(v, mask):
    """[average; max] over the real positions, one sentence at a time."""
    rows = []
    for row, n in zip(v, mask.sum(1).tolist(), strict=True):
        real = row[:n]
        rows.append(torch.cat([real.mean(dim=0), real.max(dim=0).values]))
    return torch.stack(rows)


class ESIM(nn.Module):
    """LSTMs over packed sequences, so the backward direction starts at each sentence's last real token."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden: int = 32, num_classes: int = 3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.encoder = nn.LSTM(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.project = nn.Linear(8 * hidden, hidden)
        self.composer = nn.LSTM(hidden, hidden, batch_first=True, bidirectional=True)
        self.hidden_layer = nn.Linear(8 * hidden, hidden)
        self.out = nn.Linear(hidden, num_classes)

    @staticmethod
    def _run(lstm, x, mask):
        packed = pack_padded_sequence(x, mask.sum(1).cpu(), batch_first=True, enforce_sorted=False)
        return pad_packed_sequence(lstm(packed)[0], batch_first=True, total_length=x.shape[1])[0]

    def forward(self, premise, hypothesis, premise_mask, hypothesis_mask):
        a = self._run(self.encoder, self.embed(premise), premise_mask)
        b = self._run(self.encoder, self.embed(hypothesis), hypothesis_mask)
        a_tilde, b_tilde = soft_align(a, b, premise_mask, hypothesis_mask)
        va = self._run(self.composer, F.relu(self.project(enhance(a, a_tilde))), premise_mask)
        vb = self._run(self.composer, F.relu(self.project(enhance(b, b_tilde))), hypothesis_mask)
        pooled = torch.cat([masked_pool(va, premise_mask), masked_pool(vb, hypothesis_mask)], dim=1)
        return self.out(torch.tanh(self.hidden_layer(pooled)))


def train(model, data, *, epochs=6, batch_size=32, lr=0.003, seed=0, progress=None):
    """Adam with gradient clipping, a Python list shuffled by random.Random(seed)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    device = data["label"].device
    order = list(range(len(data["label"])))
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(order)
        running = []
        for start in range(0, len(order), batch_size):
            index = torch.tensor(order[start : start + batch_size], device=device)
            logits = model(*(data[k][index] for k in ("premise", "hypothesis", "premise_mask", "hypothesis_mask")))
            loss = F.cross_entropy(logits, data["label"][index], reduction="sum")
            optimizer.zero_grad()
            (loss / len(index)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
            optimizer.step()
            running.append(loss.item())
        losses.append(sum(running) / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
