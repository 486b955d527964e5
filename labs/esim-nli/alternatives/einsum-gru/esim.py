"""ESIM (nlp-beginner task 3), written another way: einsum for the alignment scores, a large negative
number instead of -inf for the masks, torch.where and amax for the pooling, GRU encoders with
dropout, AdamW and batches from torch.randperm."""

import torch
import torch.nn.functional as F
from torch import nn


def soft_align(a, b, mask_a, mask_b):
    """(a_tilde, b_tilde): see the starter for the shapes."""
    e = torch.einsum("bih,bjh->bij", a, b)
    very_negative = torch.finfo(e.dtype).min
    to_b = F.softmax(torch.where(mask_b[:, None, :], e, very_negative), dim=-1)
    to_a = F.softmax(torch.where(mask_a[:, :, None], e, very_negative), dim=1)  # over i, for each j
    a_tilde = torch.einsum("bij,bjh->bih", to_b, b)
    b_tilde = torch.einsum("bij,bih->bjh", to_a, a)
    return a_tilde, b_tilde


def enhance(x, x_tilde):
    """[x; x_tilde; x - x_tilde; x * x_tilde]."""
    pieces = (x, x_tilde, x - x_tilde, x * x_tilde)
    return torch.cat(pieces, dim=x.dim() - 1)


def masked_pool(v, mask):
    """[average; max] over the real positions."""
    m = mask[..., None]
    lengths = mask.sum(dim=-1, keepdim=True).to(v.dtype)
    average = torch.where(m, v, torch.zeros_like(v)).sum(dim=-2) / lengths
    maximum = torch.where(m, v, torch.full_like(v, float("-inf"))).amax(dim=-2)
    return torch.cat((average, maximum), dim=-1)


class ESIM(nn.Module):
    """GRU encoder and composer, dropout before the classifier."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden: int = 32, num_classes: int = 3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.encode = nn.GRU(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.squeeze = nn.Linear(8 * hidden, 2 * hidden)
        self.compose = nn.GRU(2 * hidden, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(
            nn.Dropout(0.1), nn.Linear(8 * hidden, 2 * hidden), nn.ReLU(), nn.Linear(2 * hidden, num_classes)
        )

    def _side(self, x, x_tilde, mask):
        composed, _ = self.compose(F.relu(self.squeeze(enhance(x, x_tilde))))
        return masked_pool(composed, mask)

    def forward(self, premise, hypothesis, premise_mask, hypothesis_mask):
        a = self.encode(self.embedding(premise))[0]
        b = self.encode(self.embedding(hypothesis))[0]
        a_tilde, b_tilde = soft_align(a, b, premise_mask, hypothesis_mask)
        return self.head(torch.cat([self._side(a, a_tilde, premise_mask), self._side(b, b_tilde, hypothesis_mask)], -1))


def train(model, data, *, epochs=6, batch_size=32, lr=0.003, seed=0, progress=None):
    """AdamW, batches from a seeded torch.randperm."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    n = data["label"].shape[0]
    history = []
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for index in torch.randperm(n, generator=generator).split(batch_size):
            index = index.to(data["label"].device)
            batch = {key: value[index] for key, value in data.items()}
            logits = model(batch["premise"], batch["hypothesis"], batch["premise_mask"], batch["hypothesis_mask"])
            loss = F.cross_entropy(logits, batch["label"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * index.numel()
        history.append(total / n)
        if progress:
            progress(epoch + 1, epochs, loss=history[-1])
    return history
