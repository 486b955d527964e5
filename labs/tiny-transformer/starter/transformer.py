"""A tiny decoder-only Transformer: token embeddings plus sinusoidal positional encodings, a
stack of nn.TransformerEncoderLayer blocks under a causal mask, and a linear head that predicts
the next token. The check trains it to copy random digit sequences.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check tiny-transformer`
to see which steps pass.
"""

import math  # noqa: F401  (you will need them)

import torch  # noqa: F401
from torch import nn


def positional_encoding(max_len, d_model):
    """(max_len, d_model) float32 sinusoids ("Attention Is All You Need", section 3.5):
    pe[pos, 2i] = sin(pos / 10000 ** (2i / d_model)), pe[pos, 2i + 1] = cos(the same angle).
    d_model is even."""
    # TODO: a (max_len, 1) column of positions times a (d_model/2,) row of frequencies gives every angle;
    #       sin goes into the even columns, cos into the odd ones.
    raise NotImplementedError


def causal_mask(size, device=None):
    """(size, size) float32 mask for nn.TransformerEncoderLayer, added to the attention scores:
    0 on and below the diagonal (allowed), -inf above it (position i must not see j > i).
    The same as nn.Transformer.generate_square_subsequent_mask(size)."""
    # TODO: one line; torch.triu keeps the upper triangle (its `diagonal` argument says from where).
    raise NotImplementedError


class TinyTransformer(nn.Module):
    """Decoder-only Transformer: tokens (B, T) long -> logits (B, T, vocab_size) for the next token."""

    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=64, dropout=0.0):
        super().__init__()
        # TODO: an embedding, the positional table as a buffer (self.register_buffer), num_layers
        #       nn.TransformerEncoderLayer blocks (batch_first=True), and a head from d_model to vocab_size.
        raise NotImplementedError

    def forward(self, tokens):
        """tokens (B, T) long, T <= max_len -> logits (B, T, vocab_size); position t sees tokens 0..t only."""
        # TODO: embed, add the positional encoding of the first T positions, run the blocks under the
        #       causal mask, project to the vocabulary.
        raise NotImplementedError


def teacher_forcing(seq):
    """seq (B, L) long -> (inputs, targets), each (B, L - 1): the model reads inputs[:, t] = seq[:, t]
    and is trained to predict targets[:, t] = seq[:, t + 1], the token that comes next."""
    # TODO: two slices.
    raise NotImplementedError
