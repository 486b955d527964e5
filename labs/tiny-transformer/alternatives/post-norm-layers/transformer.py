"""A tiny decoder-only Transformer: token embeddings plus sinusoidal positional encodings, a
stack of nn.TransformerEncoderLayer blocks under a causal mask, and a linear head that predicts
the next token. The check trains it to copy random digit sequences."""

import torch
from torch import nn


def positional_encoding(max_len, d_model):
    """(max_len, d_model) float32 sinusoids ("Attention Is All You Need", section 3.5):
    pe[pos, 2i] = sin(pos / 10000 ** (2i / d_model)), pe[pos, 2i + 1] = cos(the same angle).
    d_model is even."""
    position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)  # (max_len, 1)
    freq = 1.0 / torch.pow(10000.0, torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)  # (d/2,)
    angle = position * freq  # (max_len, d/2)
    # interleave: stack (sin, cos) on a new last axis and flatten, so column 2i is sin and 2i + 1 is cos
    return torch.stack([angle.sin(), angle.cos()], dim=-1).reshape(max_len, d_model).float()


def causal_mask(size, device=None):
    """(size, size) float32 mask for nn.TransformerEncoderLayer, added to the attention scores:
    0 on and below the diagonal (allowed), -inf above it (position i must not see j > i).
    The same as nn.Transformer.generate_square_subsequent_mask(size)."""
    blocked = torch.ones(size, size, dtype=torch.bool, device=device).triu(diagonal=1)
    return torch.zeros(size, size, device=device).masked_fill(blocked, float("-inf"))


class TinyTransformer(nn.Module):
    """Decoder-only Transformer: tokens (B, T) long -> logits (B, T, vocab_size) for the next token."""

    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=64, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.register_buffer("pe", positional_encoding(max_len, d_model), persistent=False)  # not in state_dict
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation="gelu", batch_first=True)
            for _ in range(num_layers)
        )  # post-norm blocks (the original layout): each ends in a LayerNorm, so no final norm is needed
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        """tokens (B, T) long, T <= max_len -> logits (B, T, vocab_size); position t sees tokens 0..t only."""
        length = tokens.shape[1]
        x = self.embed(tokens) + self.pe[:length]  # (B, T, d) + (T, d): broadcast over the batch
        mask = causal_mask(length, tokens.device)
        for layer in self.layers:
            x = layer(x, src_mask=mask)
        return self.head(x)


def teacher_forcing(seq):
    """seq (B, L) long -> (inputs, targets), each (B, L - 1): the model reads inputs[:, t] = seq[:, t]
    and is trained to predict targets[:, t] = seq[:, t + 1], the token that comes next."""
    return seq[..., :-1].clone(), seq[..., 1:].clone()
