"""A BiLSTM-CRF tagger: a linear-chain CRF on top of a bidirectional LSTM (nlp-beginner task 4).

Reference solution."""

import random

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def log_partition(emissions, mask, transitions, start_transitions, end_transitions):
    """log Z for each sentence: the log-sum-exp of the scores of every tag path (the forward algorithm).

    emissions (B, L, T) float: the score of tag j at position t. mask (B, L) bool: True on a sentence's
    real characters, which come first (mask[:, 0] is all True). transitions (T, T): transitions[i, j]
    is the score of tag i followed by tag j. start_transitions (T,), end_transitions (T,): the score of
    a path that starts / ends with each tag. Returns (B,)."""
    alpha = start_transitions + emissions[:, 0]  # (B, T): log-sum of the paths ending in each tag
    for t in range(1, emissions.shape[1]):
        # (B, T, 1) + (T, T) + (B, 1, T): every previous tag i to every next tag j, summed out over i
        step = torch.logsumexp(alpha.unsqueeze(2) + transitions + emissions[:, t].unsqueeze(1), dim=1)
        alpha = torch.where(mask[:, t].unsqueeze(1), step, alpha)  # padding keeps the last real alpha
    return torch.logsumexp(alpha + end_transitions, dim=1)


def path_score(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """The score of the given tag path for each sentence: start + emissions + transitions + end.

    tags (B, L) long (any value on padding). The other arguments as in log_partition. Returns (B,)."""
    maskf = mask.to(emissions.dtype)
    emitted = emissions.gather(2, tags.unsqueeze(2)).squeeze(2)  # (B, L)
    score = start_transitions[tags[:, 0]] + (emitted * maskf).sum(dim=1)
    moves = transitions[tags[:, :-1], tags[:, 1:]]  # (B, L - 1): tag t-1 -> tag t
    score = score + (moves * maskf[:, 1:]).sum(dim=1)
    last = tags.gather(1, (mask.sum(dim=1) - 1).unsqueeze(1)).squeeze(1)  # each sentence's last real tag
    return score + end_transitions[last]


def crf_nll(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """The negative log-likelihood of the gold paths, log Z - score(gold), averaged over the batch.
    A scalar tensor that backpropagates into every argument."""
    log_z = log_partition(emissions, mask, transitions, start_transitions, end_transitions)
    gold = path_score(emissions, tags, mask, transitions, start_transitions, end_transitions)
    return (log_z - gold).mean()


def viterbi_decode(emissions, mask, transitions, start_transitions, end_transitions):
    """The best tag path of each sentence (the Viterbi algorithm), as a list of B lists of ints,
    each as long as its sentence (mask[b].sum())."""
    score = start_transitions + emissions[:, 0]  # (B, T): the best path ending in each tag
    backpointers = []
    for t in range(1, emissions.shape[1]):
        best, previous = (score.unsqueeze(2) + transitions).max(dim=1)  # over the previous tag
        backpointers.append(previous)
        score = torch.where(mask[:, t].unsqueeze(1), best + emissions[:, t], score)
    lengths = mask.sum(dim=1).tolist()
    paths = []
    for b, length in enumerate(lengths):
        tag = int(score[b].argmax())
        path = [tag]
        for t in range(length - 1, 0, -1):  # backpointers[t - 1] leads from position t to t - 1
            tag = int(backpointers[t - 1][b, tag])
            path.append(tag)
        paths.append(path[::-1])
    return paths


class BiLSTMCRF(nn.Module):
    """Characters -> embeddings -> BiLSTM -> per-tag emission scores, with a CRF on top."""

    def __init__(self, vocab_size: int, num_tags: int, embed_dim: int = 32, hidden: int = 32):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.to_tags = nn.Linear(2 * hidden, num_tags)
        self.transitions = nn.Parameter(torch.zeros(num_tags, num_tags))
        self.start_transitions = nn.Parameter(torch.zeros(num_tags))
        self.end_transitions = nn.Parameter(torch.zeros(num_tags))

    def emissions(self, chars, mask):
        """chars (B, L) long (0 = padding), mask (B, L) bool -> emission scores (B, L, num_tags)."""
        out, _ = self.lstm(self.embed(chars))
        return self.to_tags(out)

    def loss(self, chars, tags, mask):
        """The CRF's mean negative log-likelihood of the gold tags (B, L): a scalar."""
        crf = (self.transitions, self.start_transitions, self.end_transitions)
        return crf_nll(self.emissions(chars, mask), tags, mask, *crf)

    def decode(self, chars, mask):
        """The best tag path of each sentence: a list of B lists of tag indices."""
        crf = (self.transitions, self.start_transitions, self.end_transitions)
        return viterbi_decode(self.emissions(chars, mask), mask, *crf)


def train(model, data, *, epochs=8, batch_size=32, lr=0.01, seed=0, progress=None):
    """Adam on model.loss over shuffled mini-batches. data holds chars, tags and mask, (N, L) each,
    on the model's device. Returns the mean loss of each epoch (a list of floats)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(len(data["chars"])))
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            index = torch.tensor(order[start : start + batch_size], device=data["chars"].device)
            loss = model.loss(data["chars"][index], data["tags"][index], data["mask"][index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
