"""Word vectors with skip-gram and negative sampling (word2vec's SGNS): (centre, context) pairs
from a window, the unigram^0.75 distribution negatives are drawn from, the loss and its
gradient by hand, a model with two embedding tables, and one epoch of training.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check word2vec` to
see which steps pass.
"""

import torch
import torch.nn.functional as F
from torch import nn

# The check trains with these: SkipGram(V, EMBED_DIM), torch.optim.Adam(lr=LEARNING_RATE), and
# EPOCHS calls of train_epoch(..., BATCH_SIZE, NUM_NEGATIVES, generator) on window-2 pairs.
EMBED_DIM = 24
EPOCHS = 3
BATCH_SIZE = 256
NUM_NEGATIVES = 5
LEARNING_RATE = 1e-2


def make_pairs(sentences: list[list[int]], window: int) -> torch.Tensor:
    """(P, 2) int64 tensor of (centre, context) word ids: for every position i of every sentence,
    one row for each position j with 1 <= |i - j| <= window inside the same sentence (never the
    centre itself, never across sentences). Rows in order of i, then j."""
    pairs = []
    for sentence in sentences:
        for i, centre in enumerate(sentence):
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if j != i:
                    pairs.append((centre, sentence[j]))
    return torch.tensor(pairs, dtype=torch.long).reshape(-1, 2)


def negative_distribution(counts: torch.Tensor) -> torch.Tensor:
    """counts (V,) word frequencies -> (V,) float probabilities proportional to counts ** 0.75
    (word2vec's smoothed unigram distribution: rare words are drawn more often than their share)."""
    weights = counts.double() ** 0.75
    return (weights / weights.sum()).float()


def sample_negatives(probs: torch.Tensor, shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
    """Draw word ids from probs (V,) with replacement: an int64 tensor of `shape`, on probs' device.
    Draw on the CPU with torch.multinomial(..., generator=generator) (the generator lives on the CPU)."""
    count = 1
    for size in shape:
        count *= size
    ids = torch.multinomial(probs.cpu(), count, replacement=True, generator=generator)
    return ids.reshape(shape).to(probs.device)


def sgns_loss(v_centre: torch.Tensor, u_context: torch.Tensor, u_negatives: torch.Tensor) -> torch.Tensor:
    """The skip-gram negative-sampling loss, averaged over the batch:

        mean over b of  -log sigmoid(u_o . v_c) - sum over k of log sigmoid(-u_k . v_c)

    v_centre (B, D) centre vectors, u_context (B, D) context vectors, u_negatives (B, K, D)."""
    positive = (u_context * v_centre).sum(dim=-1)  # (B,)
    negative = torch.einsum("bkd,bd->bk", u_negatives, v_centre)  # (B, K)
    return -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(dim=-1)).mean()


def sgns_grad(v_centre: torch.Tensor, u_context: torch.Tensor, u_negatives: torch.Tensor):
    """The gradients of sgns_loss by hand (no autograd): a tuple (d v_centre (B, D),
    d u_context (B, D), d u_negatives (B, K, D)). Remember the mean over the batch.
    Useful: d/dx [-log sigmoid(x)] = sigmoid(x) - 1, and d/dx [-log sigmoid(-x)] = sigmoid(x)."""
    batch = v_centre.shape[0]
    positive = torch.sigmoid((u_context * v_centre).sum(dim=-1)) - 1  # (B,)
    negative = torch.sigmoid(torch.einsum("bkd,bd->bk", u_negatives, v_centre))  # (B, K)
    d_centre = positive[:, None] * u_context + torch.einsum("bk,bkd->bd", negative, u_negatives)
    d_context = positive[:, None] * v_centre
    d_negatives = negative[:, :, None] * v_centre[:, None, :]
    return d_centre / batch, d_context / batch, d_negatives / batch


class SkipGram(nn.Module):
    """Two embedding tables: in_embed holds the centre (input) vectors, the word vectors we
    keep; out_embed the context (output) vectors. Both nn.Embedding(vocab_size, dim)."""

    def __init__(self, vocab_size: int, dim: int):
        super().__init__()
        self.in_embed = nn.Embedding(vocab_size, dim)  # nn.Embedding's default initialisation, N(0, 1)
        self.out_embed = nn.Embedding(vocab_size, dim)

    def forward(self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
        """centre (B,), context (B,), negatives (B, K) word ids -> the sgns_loss of their vectors."""
        return sgns_loss(self.in_embed(centre), self.out_embed(context), self.out_embed(negatives))


def train_epoch(
    model: SkipGram,
    optimizer: torch.optim.Optimizer,
    pairs: torch.Tensor,
    neg_probs: torch.Tensor,
    batch_size: int,
    num_negatives: int,
    generator: torch.Generator,
) -> float:
    """One pass over pairs (P, 2) in a random order (torch.randperm(P, generator=generator)), in
    batches of batch_size, with num_negatives negatives per pair from sample_negatives. Returns
    the mean loss over the batches."""
    order = torch.randperm(pairs.shape[0], generator=generator).to(pairs.device)
    total, steps = 0.0, 0
    for start in range(0, pairs.shape[0], batch_size):
        batch = pairs[order[start : start + batch_size]]
        negatives = sample_negatives(neg_probs, (batch.shape[0], num_negatives), generator)
        loss = model(batch[:, 0], batch[:, 1], negatives)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total, steps = total + loss.item(), steps + 1
    return total / steps
