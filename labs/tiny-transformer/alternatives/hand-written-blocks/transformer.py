"""A tiny decoder-only Transformer: token embeddings plus sinusoidal positional encodings, a
stack of nn.TransformerEncoderLayer blocks under a causal mask, and a linear head that predicts
the next token. The check trains it to copy random digit sequences."""

import math

import torch
import torch.nn.functional as F
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
    rows = torch.arange(size, device=device)
    future = rows[None, :] > rows[:, None]  # key j after query i
    return torch.where(future, float("-inf"), 0.0).float()


class Block(nn.Module):
    """A pre-norm decoder block written out: causal self-attention with
    F.scaled_dot_product_attention, then a feed-forward layer, each around a residual."""

    def __init__(self, d_model, nhead, dim_feedforward, dropout):
        super().__init__()
        self.nhead, self.dropout = nhead, dropout
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.ReLU(), nn.Linear(dim_feedforward, d_model))

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(d, dim=-1)
        q, k, v = (z.view(b, t, self.nhead, d // self.nhead).transpose(1, 2) for z in (q, k, v))  # (B, h, T, hd)
        drop = self.dropout if self.training else 0.0
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=drop)  # float mask: added
        x = x + self.proj(att.transpose(1, 2).reshape(b, t, d))
        return x + self.ff(self.norm2(x))


class TinyTransformer(nn.Module):
    """Decoder-only Transformer: tokens (B, T) long -> logits (B, T, vocab_size) for the next token."""

    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=64, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.register_buffer("pe", positional_encoding(max_len, d_model))  # moves with .to(device)
        self.blocks = nn.ModuleList(Block(d_model, nhead, dim_feedforward, dropout) for _ in range(num_layers))
        self.norm = nn.LayerNorm(d_model)  # pre-norm blocks leave the last output unnormalised
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        """tokens (B, T) long, T <= max_len -> logits (B, T, vocab_size); position t sees tokens 0..t only."""
        length = tokens.shape[1]
        x = self.embed(tokens) + self.pe[:length]  # (B, T, d) + (T, d): broadcast over the batch
        mask = causal_mask(length, tokens.device)
        for block in self.blocks:
            x = block(x, mask)
        return self.head(self.norm(x))


def teacher_forcing(seq):
    """seq (B, L) long -> (inputs, targets), each (B, L - 1): the model reads inputs[:, t] = seq[:, t]
    and is trained to predict targets[:, t] = seq[:, t + 1], the token that comes next."""
    return seq[:, :-1], seq[:, 1:]
