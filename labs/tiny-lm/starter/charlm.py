"""A tiny character-level language model: a vocabulary, (input, target) batches shifted by
one character, a model that predicts the next character, its loss, training with truncated
backpropagation through time, held-out perplexity, and sampling.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check tiny-lm` to
see which steps pass.
"""

import math  # noqa: F401 (you will want math.log and math.exp)

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn

# The check trains with these: CharLM(len(vocab)), torch.optim.Adam(lr=LEARNING_RATE), and
# EPOCHS calls of train_epoch on make_batches(train_data, BATCH_SIZE, SEQ_LEN). Tune them if
# you like; the whole check must finish within the lab's time limit.
BATCH_SIZE = 32
SEQ_LEN = 64
EPOCHS = 5
LEARNING_RATE = 5e-3


def build_vocab(text: str) -> list[str]:
    """The distinct characters of `text`, sorted: character vocab[i] has id i."""
    # TODO: one line.
    raise NotImplementedError


def encode(text: str, vocab: list[str]) -> torch.Tensor:
    """str of length n -> (n,) int64 tensor of ids (positions in vocab)."""
    # TODO: build a dict from character to id once, then look every character up.
    raise NotImplementedError


def decode(ids: torch.Tensor, vocab: list[str]) -> str:
    """(n,) tensor of ids -> str of length n; decode(encode(s, vocab), vocab) == s."""
    # TODO: ids.tolist() gives Python ints; join the characters.
    raise NotImplementedError


def make_batches(data: torch.Tensor, batch_size: int, seq_len: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(N,) ids -> a list of (x, y) pairs, each (batch_size, seq_len) (the last chunk may be shorter).

    Lay the data out as batch_size parallel streams of n = (N - 1) // batch_size characters:
    row b of the inputs is data[b*n : (b+1)*n], row b of the targets the same span one
    character later, data[b*n + 1 : (b+1)*n + 1]. Then cut both into time chunks
    [0, seq_len), [seq_len, 2*seq_len), ...: row b of chunk k+1 continues row b of chunk k,
    so a hidden state can be carried from one batch to the next. Same device as data."""
    # TODO: two reshapes (inputs and targets, one character apart), then slice the columns.
    raise NotImplementedError


class CharLM(nn.Module):
    """Predicts the next character at every position. Your choice of architecture (an LSTM,
    a GRU or a small causal Transformer); the check only calls CharLM(vocab_size)."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden_size: int = 128):
        super().__init__()
        # TODO: an embedding, a recurrent layer (batch_first=True) and a linear head to vocab_size.
        raise NotImplementedError

    def forward(self, x: torch.Tensor, state=None):
        """x (B, T) int64 -> (logits (B, T, vocab_size), new_state).

        state is whatever your model carries between chunks (None at the start of a stream;
        a Transformer returns None). logits[:, t] may depend on x[:, :t+1] only."""
        # TODO: embed, run the recurrent layer from `state`, project every position to logits.
        raise NotImplementedError


def lm_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """logits (B, T, V), targets (B, T) -> the mean cross-entropy over all B*T positions (a scalar)."""
    # TODO: F.cross_entropy wants (N, V) scores and (N,) class ids.
    raise NotImplementedError


def detach_state(state):
    """Cut the graph behind a carried state (None, a tensor, or a tuple of tensors)."""
    # TODO: keep the values, drop the history. An LSTM's state is a tuple (h, c).
    raise NotImplementedError


def train_epoch(model: nn.Module, optimizer: torch.optim.Optimizer, batches) -> float:
    """One pass over batches (from make_batches) with truncated backpropagation through time:
    carry the state from one batch to the next, but detached, so backward() stops at the
    batch boundary. Clip the gradient norm (1.0 is fine). Returns the mean training loss."""
    # TODO: model.train(); for each (x, y): detach the state, forward, lm_loss, zero_grad,
    #       backward, clip, step; add up loss.item().
    raise NotImplementedError


@torch.no_grad()
def evaluate(model: nn.Module, batches) -> tuple[float, float]:
    """Held-out (bits per character, perplexity), in eval mode without gradients, carrying the
    state across batches. Both come from the mean negative log-likelihood per character, in
    nats: cross_entropy uses the natural log."""
    # TODO: model.eval(); sum the cross-entropy (reduction="sum") and count the characters;
    #       turn the mean NLL into bits per character and perplexity.
    raise NotImplementedError


@torch.no_grad()
def sample(model: nn.Module, vocab: list[str], prefix: str, n: int, generator: torch.Generator) -> str:
    """n new characters after prefix (not including it), each drawn from the softmax of the
    model's logits with torch.multinomial(probs.cpu(), 1, generator=generator) (the generator
    lives on the CPU). The same generator seed gives the same text."""
    # TODO: run the prefix through the model; then n times: softmax the last logits, draw one id,
    #       feed it back (with the state).
    raise NotImplementedError
