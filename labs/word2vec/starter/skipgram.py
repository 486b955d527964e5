"""Word vectors with skip-gram and negative sampling (word2vec's SGNS): (centre, context) pairs
from a window, the unigram^0.75 distribution negatives are drawn from, the loss and its
gradient by hand, a model with two embedding tables, and one epoch of training.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check word2vec` to
see which steps pass.
"""

import torch
import torch.nn.functional as F  # noqa: F401 (F.logsigmoid is what you want)
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
    # TODO: three loops (sentence, centre position i, context position j); mind both ends of the
    #       sentence and the centre itself. Return shape (0, 2) when there are no pairs.
    raise NotImplementedError


def negative_distribution(counts: torch.Tensor) -> torch.Tensor:
    """counts (V,) word frequencies -> (V,) float probabilities proportional to counts ** 0.75
    (word2vec's smoothed unigram distribution: rare words are drawn more often than their share)."""
    # TODO: raise to the power 0.75 (in float), then normalise so the probabilities sum to 1.
    raise NotImplementedError


def sample_negatives(probs: torch.Tensor, shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
    """Draw word ids from probs (V,) with replacement: an int64 tensor of `shape`, on probs' device.
    Draw on the CPU with torch.multinomial(..., generator=generator) (the generator lives on the CPU)."""
    # TODO: draw prod(shape) ids in one call, reshape, move to probs.device.
    raise NotImplementedError


def sgns_loss(v_centre: torch.Tensor, u_context: torch.Tensor, u_negatives: torch.Tensor) -> torch.Tensor:
    """The skip-gram negative-sampling loss, averaged over the batch:

        mean over b of  -log sigmoid(u_o . v_c) - sum over k of log sigmoid(-u_k . v_c)

    v_centre (B, D) centre vectors, u_context (B, D) context vectors, u_negatives (B, K, D)."""
    # TODO: the (B,) positive scores, the (B, K) negative scores, then the formula with F.logsigmoid.
    raise NotImplementedError


def sgns_grad(v_centre: torch.Tensor, u_context: torch.Tensor, u_negatives: torch.Tensor):
    """The gradients of sgns_loss by hand (no autograd): a tuple (d v_centre (B, D),
    d u_context (B, D), d u_negatives (B, K, D)). Remember the mean over the batch.
    Useful: d/dx [-log sigmoid(x)] = sigmoid(x) - 1, and d/dx [-log sigmoid(-x)] = sigmoid(x)."""
    # TODO: chain rule through each dot product: d(u . v)/dv = u and d(u . v)/du = v.
    raise NotImplementedError


class SkipGram(nn.Module):
    """Two embedding tables: in_embed holds the centre (input) vectors, the word vectors we
    keep; out_embed the context (output) vectors. Both nn.Embedding(vocab_size, dim)."""

    def __init__(self, vocab_size: int, dim: int):
        super().__init__()
        # TODO: self.in_embed and self.out_embed. word2vec starts in_embed small and uniform
        #       (+-0.5 / dim) and out_embed at zero; nn.init.uniform_ and nn.init.zeros_ do that.
        raise NotImplementedError

    def forward(self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
        """centre (B,), context (B,), negatives (B, K) word ids -> the sgns_loss of their vectors."""
        # TODO: look the ids up in the right tables and call sgns_loss.
        raise NotImplementedError


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
    # TODO: shuffle once, then per batch: negatives, loss = model(...), zero_grad, backward, step.
    raise NotImplementedError
