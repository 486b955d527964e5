"""Scaled dot-product attention and multi-head attention with masks, written with plain tensor
operations, matching F.scaled_dot_product_attention and nn.MultiheadAttention (batch_first)."""

import math

import torch
import torch.nn.functional as F


def attention_scores(q, k):
    """q (..., Lq, d), k (..., Lk, d) -> scores (..., Lq, Lk) = q k^T / sqrt(d).

    The leading dimensions (batch, heads) are whatever q and k have; d is the last one."""
    return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])


def scaled_dot_product_attention(q, k, v, attn_mask=None):
    """softmax(q k^T / sqrt(d)) v, with an optional boolean mask.

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv). attn_mask is None or a bool tensor that
    broadcasts to (..., Lq, Lk) with F.scaled_dot_product_attention's convention:
    True = this query may attend to this key, False = blocked.
    Returns (output (..., Lq, dv), weights (..., Lq, Lk)); each row of weights sums to 1 over the keys."""
    scores = attention_scores(q, k)
    if attn_mask is not None:
        scores = scores + torch.zeros_like(scores).masked_fill(attn_mask.logical_not(), float("-inf"))
    weights = torch.exp(scores - scores.amax(dim=-1, keepdim=True))  # a hand-written, stable softmax
    weights = weights / weights.sum(dim=-1, keepdim=True)
    return torch.matmul(weights, v), weights


def causal_mask(length, device=None):
    """(length, length) bool, True on and below the diagonal: query i may attend to keys 0..i.
    (F.scaled_dot_product_attention's convention: True = allowed.)"""
    return torch.ones(length, length, dtype=torch.bool, device=device).tril()


def padding_mask(key_padding_mask):
    """key_padding_mask (B, Lk) bool in nn.MultiheadAttention's convention (True = padding, ignore
    this key) -> (B, 1, 1, Lk) bool in F.scaled_dot_product_attention's (True = may attend), which
    broadcasts over heads and queries against scores of shape (B, heads, Lq, Lk)."""
    return ~key_padding_mask[:, None, None, :]


def split_heads(x, num_heads):
    """(B, L, E) -> (B, num_heads, L, E // num_heads): head h gets features h*hd .. (h+1)*hd - 1."""
    batch, length, embed = x.shape
    return x.reshape(batch, length, num_heads, embed // num_heads).transpose(1, 2)


def merge_heads(x):
    """(B, num_heads, L, hd) -> (B, L, num_heads * hd), the inverse of split_heads."""
    batch, heads, length, head_dim = x.shape
    return x.transpose(1, 2).reshape(batch, length, heads * head_dim)


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
    embed = query.shape[-1]
    projected = []
    for i, x in enumerate((query, key, value)):
        rows = slice(i * embed, (i + 1) * embed)
        projected.append(split_heads(F.linear(x, in_proj_weight[rows], in_proj_bias[rows]), num_heads))
    q, k, v = projected
    lq, lk = query.shape[1], key.shape[1]
    allowed = torch.ones(query.shape[0], 1, lq, lk, dtype=torch.bool, device=query.device)
    if key_padding_mask is not None:
        allowed = allowed & padding_mask(key_padding_mask)
    if attn_mask is not None:
        allowed = allowed & attn_mask.logical_not()
    out, weights = scaled_dot_product_attention(q, k, v, allowed)
    return F.linear(merge_heads(out), out_proj_weight, out_proj_bias), weights.sum(dim=1) / num_heads
