"""Scaled dot-product attention and multi-head attention with masks, written with plain tensor
operations, matching F.scaled_dot_product_attention and nn.MultiheadAttention (batch_first)."""

import torch


def attention_scores(q, k):
    """q (..., Lq, d), k (..., Lk, d) -> scores (..., Lq, Lk) = q k^T / sqrt(d).

    The leading dimensions (batch, heads) are whatever q and k have; d is the last one."""
    return torch.einsum("...qd,...kd->...qk", q, k) * q.shape[-1] ** -0.5


def scaled_dot_product_attention(q, k, v, attn_mask=None):
    """softmax(q k^T / sqrt(d)) v, with an optional boolean mask.

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv). attn_mask is None or a bool tensor that
    broadcasts to (..., Lq, Lk) with F.scaled_dot_product_attention's convention:
    True = this query may attend to this key, False = blocked.
    Returns (output (..., Lq, dv), weights (..., Lq, Lk)); each row of weights sums to 1 over the keys."""
    scores = attention_scores(q, k)
    if attn_mask is not None:
        scores = torch.where(attn_mask, scores, torch.full_like(scores, float("-inf")))
    weights = scores.softmax(dim=-1)
    return torch.einsum("...qk,...kv->...qv", weights, v), weights


def causal_mask(length, device=None):
    """(length, length) bool, True on and below the diagonal: query i may attend to keys 0..i.
    (F.scaled_dot_product_attention's convention: True = allowed.)"""
    index = torch.arange(length, device=device)
    return index[:, None] >= index[None, :]  # key j <= query i


def padding_mask(key_padding_mask):
    """key_padding_mask (B, Lk) bool in nn.MultiheadAttention's convention (True = padding, ignore
    this key) -> (B, 1, 1, Lk) bool in F.scaled_dot_product_attention's (True = may attend), which
    broadcasts over heads and queries against scores of shape (B, heads, Lq, Lk)."""
    return key_padding_mask.logical_not().unsqueeze(1).unsqueeze(2)


def split_heads(x, num_heads):
    """(B, L, E) -> (B, num_heads, L, E // num_heads): head h gets features h*hd .. (h+1)*hd - 1."""
    return x.unflatten(-1, (num_heads, -1)).permute(0, 2, 1, 3)


def merge_heads(x):
    """(B, num_heads, L, hd) -> (B, L, num_heads * hd), the inverse of split_heads."""
    return x.permute(0, 2, 1, 3).flatten(start_dim=2)


def multi_head_attention(
    query,
    key,
    value,
    num_heads,
    in_proj_weight,
    in_proj_bias,
    out_proj_weight,
    out_proj_bias,
    key_padding_mask=None,
    attn_mask=None,
):
    """What nn.MultiheadAttention(E, num_heads, batch_first=True) computes, with its weights.

    query (B, Lq, E), key and value (B, Lk, E). in_proj_weight (3E, E) and in_proj_bias (3E,)
    stack the q, k, v projections in that order; out_proj_weight (E, E), out_proj_bias (E,).
    key_padding_mask: None or (B, Lk) bool, True = padding (ignored), as nn.MultiheadAttention.
    attn_mask: None or (Lq, Lk) bool, True = NOT allowed to attend, as nn.MultiheadAttention.
    Returns (output (B, Lq, E), weights (B, Lq, Lk) averaged over the heads)."""
    w_q, w_k, w_v = in_proj_weight.chunk(3, dim=0)
    b_q, b_k, b_v = in_proj_bias.chunk(3, dim=0)
    q = split_heads(query @ w_q.T + b_q, num_heads)  # (B, h, Lq, hd)
    k = split_heads(key @ w_k.T + b_k, num_heads)  # (B, h, Lk, hd)
    v = split_heads(value @ w_v.T + b_v, num_heads)
    allowed = None
    if key_padding_mask is not None:
        allowed = padding_mask(key_padding_mask)  # (B, 1, 1, Lk)
    if attn_mask is not None:
        pairs = ~attn_mask  # nn.MultiheadAttention's True = blocked becomes True = allowed
        allowed = pairs if allowed is None else allowed & pairs
    out, weights = scaled_dot_product_attention(q, k, v, allowed)  # (B, h, Lq, hd), (B, h, Lq, Lk)
    out = merge_heads(out) @ out_proj_weight.T + out_proj_bias  # (B, Lq, E)
    return out, weights.mean(dim=1)
