"""A BiLSTM-CRF tagger (nlp-beginner task 4), written another way: the path score with one-hot tags
and torch.einsum, the forward algorithm as a log-space matrix product per step, Viterbi as the
textbook dynamic programme in plain Python per sentence, and a two-layer BiLSTM with dropout."""

import random

import torch
import torch.nn.functional as F
from torch import nn


def _log_matmul(log_a, log_b):
    """log(exp(log_a) @ exp(log_b)) without leaving log space: (B, I) x (I, J) -> (B, J)."""
    return torch.logsumexp(log_a.unsqueeze(-1) + log_b.unsqueeze(0), dim=-2)


def log_partition(emissions, mask, transitions, start_transitions, end_transitions):
    """log Z (B,) by the forward algorithm; see the starter for the shapes."""
    alpha = emissions[:, 0] + start_transitions
    for t in range(1, emissions.shape[1]):
        new_alpha = _log_matmul(alpha, transitions) + emissions[:, t]
        alpha = torch.where(mask[:, t, None], new_alpha, alpha)
    return torch.logsumexp(alpha + end_transitions, dim=-1)


def path_score(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """The score (B,) of the path `tags` (B, L), with one-hot tags and einsum."""
    num_tags = emissions.shape[-1]
    real = mask.to(emissions.dtype)
    onehot = F.one_hot(tags, num_tags).to(emissions.dtype) * real.unsqueeze(-1)  # zero rows on padding
    emitted = torch.einsum("blt,blt->b", emissions, onehot)
    moved = torch.einsum("blt,tu,blu->b", onehot[:, :-1], transitions, onehot[:, 1:])
    first = onehot[:, 0] @ start_transitions
    last_index = mask.sum(dim=1) - 1
    last = onehot[torch.arange(tags.shape[0], device=tags.device), last_index] @ end_transitions
    return first + emitted + moved + last


def crf_nll(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """mean over the batch of log Z - score(gold)."""
    crf = (transitions, start_transitions, end_transitions)
    log_z = log_partition(emissions, mask, *crf)
    return (log_z - path_score(emissions, tags, mask, *crf)).sum() / emissions.shape[0]


def viterbi_decode(emissions, mask, transitions, start_transitions, end_transitions):
    """Best paths, one sentence at a time, with Python lists."""
    emissions, transitions = emissions.tolist(), transitions.tolist()
    start, end = start_transitions.tolist(), end_transitions.tolist()
    num_tags = len(start)
    paths = []
    for sentence, length in zip(emissions, mask.sum(dim=1).tolist(), strict=True):
        best = [start[j] + sentence[0][j] for j in range(num_tags)]
        pointers = []
        for t in range(1, length):
            row, new = [], []
            for j in range(num_tags):
                i = max(range(num_tags), key=lambda i: best[i] + transitions[i][j])
                row.append(i)
                new.append(best[i] + transitions[i][j] + sentence[t][j])
            pointers.append(row)
            best = new
        tag = max(range(num_tags), key=lambda j: best[j] + end[j])
        path = [tag]
        for row in reversed(pointers):
            tag = row[tag]
            path.append(tag)
        paths.append(path[::-1])
    return paths


class BiLSTMCRF(nn.Module):
    """Embeddings -> two-layer BiLSTM with dropout -> emissions, and the CRF's scores."""

    def __init__(self, vocab_size: int, num_tags: int, embed_dim: int = 32, hidden: int = 32):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.encoder = nn.LSTM(embed_dim, hidden, num_layers=2, dropout=0.1, batch_first=True, bidirectional=True)
        self.projection = nn.Linear(2 * hidden, num_tags)
        self.transitions = nn.Parameter(torch.zeros(num_tags, num_tags))
        self.start_transitions = nn.Parameter(torch.zeros(num_tags))
        self.end_transitions = nn.Parameter(torch.zeros(num_tags))

    def emissions(self, chars, mask):
        hidden, _ = self.encoder(self.embedding(chars))
        return self.projection(hidden)

    def loss(self, chars, tags, mask):
        return crf_nll(
            self.emissions(chars, mask), tags, mask, self.transitions, self.start_transitions, self.end_transitions
        )

    def decode(self, chars, mask):
        return viterbi_decode(
            self.emissions(chars, mask), mask, self.transitions, self.start_transitions, self.end_transitions
        )


def train(model, data, *, epochs=8, batch_size=32, lr=0.01, seed=0, progress=None):
    """Adam with a learning rate halved after half the epochs."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, epochs // 2), gamma=0.5)
    indices = list(range(data["chars"].shape[0]))
    random.Random(seed).shuffle(indices)
    rng = random.Random(seed + 1)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(indices)
        total, count = 0.0, 0
        for i in range(0, len(indices), batch_size):
            chunk = indices[i : i + batch_size]
            loss = model.loss(data["chars"][chunk], data["tags"][chunk], data["mask"][chunk])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, count = total + loss.item() * len(chunk), count + len(chunk)
        scheduler.step()
        history.append(total / count)
        if progress is not None:
            progress(epoch, epochs, loss=history[-1])
    return history
