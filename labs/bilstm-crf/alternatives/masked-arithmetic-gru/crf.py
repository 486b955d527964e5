"""A BiLSTM-CRF tagger (nlp-beginner task 4), written another way: masks as 0/1 arithmetic instead of
torch.where, a time loop for the path score, Viterbi backtracking with gather on the whole batch,
and a bidirectional GRU over packed sequences with AdamW."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def log_partition(emissions, mask, transitions, start_transitions, end_transitions):
    """log Z (B,) by the forward algorithm; see the starter for the shapes."""
    keep = mask.to(emissions.dtype).unsqueeze(2)  # (B, L, 1)
    alpha = start_transitions.unsqueeze(0) + emissions[:, 0]
    for t in range(1, emissions.shape[1]):
        scores = alpha[:, :, None] + transitions[None] + emissions[:, t, None, :]
        alpha = keep[:, t] * torch.logsumexp(scores, dim=1) + (1 - keep[:, t]) * alpha
    return torch.logsumexp(alpha + end_transitions.unsqueeze(0), dim=1)


def path_score(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """The score (B,) of the path `tags` (B, L), summed one time step at a time."""
    keep = mask.to(emissions.dtype)
    rows = torch.arange(emissions.shape[0], device=emissions.device)
    score = start_transitions[tags[:, 0]] + emissions[rows, 0, tags[:, 0]]
    for t in range(1, emissions.shape[1]):
        step = transitions[tags[:, t - 1], tags[:, t]] + emissions[rows, t, tags[:, t]]
        score = score + keep[:, t] * step
    lengths = mask.long().sum(dim=1)
    return score + end_transitions[tags[rows, lengths - 1]]


def crf_nll(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """mean over the batch of log Z - score(gold)."""
    args = (transitions, start_transitions, end_transitions)
    return torch.mean(log_partition(emissions, mask, *args) - path_score(emissions, tags, mask, *args))


def viterbi_decode(emissions, mask, transitions, start_transitions, end_transitions):
    """Best paths: on padding each tag points back to itself, so one batched backtrack serves every length."""
    batch, length, num_tags = emissions.shape
    keep = mask.unsqueeze(2)
    identity = torch.arange(num_tags, device=emissions.device).expand(batch, num_tags)
    score = start_transitions + emissions[:, 0]
    pointers = []
    for t in range(1, length):
        best, previous = torch.max(score.unsqueeze(2) + transitions, dim=1)
        score = torch.where(keep[:, t], best + emissions[:, t], score)
        pointers.append(torch.where(keep[:, t], previous, identity))
    tag = torch.argmax(score + end_transitions, dim=1, keepdim=True)  # (B, 1)
    columns = [tag]
    for previous in reversed(pointers):
        tag = previous.gather(1, tag)
        columns.append(tag)
    paths = torch.cat(columns[::-1], dim=1)  # (B, L): on padding, the last real tag repeated
    return [row[:n].tolist() for row, n in zip(paths, mask.sum(dim=1).tolist(), strict=True)]


class BiLSTMCRF(nn.Module):
    """Embeddings -> bidirectional GRU over packed sequences -> emissions, and the CRF's scores."""

    def __init__(self, vocab_size: int, num_tags: int, embed_dim: int = 32, hidden: int = 32):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.rnn = nn.GRU(embed_dim, hidden + 8, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(2 * (hidden + 8), num_tags)
        self.transitions = nn.Parameter(0.01 * torch.randn(num_tags, num_tags))
        self.start_transitions = nn.Parameter(torch.zeros(num_tags))
        self.end_transitions = nn.Parameter(torch.zeros(num_tags))

    def emissions(self, chars, mask):
        lengths = mask.sum(dim=1).cpu()
        packed = pack_padded_sequence(self.embed(chars), lengths, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=chars.shape[1])
        return self.head(self.dropout(out))

    def _crf(self):
        return self.transitions, self.start_transitions, self.end_transitions

    def loss(self, chars, tags, mask):
        return crf_nll(self.emissions(chars, mask), tags, mask, *self._crf())

    def decode(self, chars, mask):
        return viterbi_decode(self.emissions(chars, mask), mask, *self._crf())


def train(model, data, *, epochs=8, batch_size=32, lr=0.01, seed=0, progress=None):
    """AdamW over batches in an order drawn from a seeded torch.Generator."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    generator = torch.Generator().manual_seed(seed)
    size = data["chars"].shape[0]
    history = []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(size, generator=generator).to(data["chars"].device)
        losses = []
        for batch in order.split(batch_size):
            optimizer.zero_grad()
            loss = model.loss(data["chars"][batch], data["tags"][batch], data["mask"][batch])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            losses.append(loss.item() * len(batch))
        history.append(sum(losses) / size)
        if progress:
            progress(epoch + 1, epochs, loss=history[-1])
    return history
