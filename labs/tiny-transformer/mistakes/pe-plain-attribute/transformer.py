"""A tiny decoder-only Transformer: token embeddings plus sinusoidal positional encodings, a
stack of nn.TransformerEncoderLayer blocks under a causal mask, and a linear head that predicts
the next token. The check trains it to copy random digit sequences."""

import math

import torch
from torch import nn


def positional_encoding(max_len, d_model):
    """(max_len, d_model) float32 sinusoids ("Attention Is All You Need", section 3.5):
    pe[pos, 2i] = sin(pos / 10000 ** (2i / d_model)), pe[pos, 2i + 1] = cos(the same angle).
    d_model is even."""
    position = torch.arange(max_len, dtype=torch.float32)[:, None]  # (max_len, 1)
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))  # (d/2,)
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.sin(position * div)  # (max_len, d/2)
    pe[:, 1::2] = torch.cos(position * div)
    return pe


def causal_mask(size, device=None):
    """(size, size) float32 mask for nn.TransformerEncoderLayer, added to the attention scores:
    0 on and below the diagonal (allowed), -inf above it (position i must not see j > i).
    The same as nn.Transformer.generate_square_subsequent_mask(size)."""
    return torch.full((size, size), float("-inf"), device=device).triu(1)


class TinyTransformer(nn.Module):
    """Decoder-only Transformer: tokens (B, T) long -> logits (B, T, vocab_size) for the next token."""

    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=64, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pe = positional_encoding(max_len, d_model)  # a plain attribute: .to(device) leaves it behind
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)  # pre-norm blocks leave the last output unnormalised
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        """tokens (B, T) long, T <= max_len -> logits (B, T, vocab_size); position t sees tokens 0..t only."""
        length = tokens.shape[1]
        x = self.embed(tokens) + self.pe[:length]  # (B, T, d) + (T, d): broadcast over the batch
        x = self.blocks(x, mask=causal_mask(length, tokens.device), is_causal=True)
        return self.head(self.norm(x))


def teacher_forcing(seq):
    """seq (B, L) long -> (inputs, targets), each (B, L - 1): the model reads inputs[:, t] = seq[:, t]
    and is trained to predict targets[:, t] = seq[:, t + 1], the token that comes next."""
    return seq[:, :-1], seq[:, 1:]
