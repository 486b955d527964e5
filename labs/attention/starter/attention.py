"""Scaled dot-product attention and multi-head attention with masks, written with plain tensor
operations, matching F.scaled_dot_product_attention and nn.MultiheadAttention (batch_first).

Replace each `raise NotImplementedError` with your code. Use tensor operations (matmul, softmax,
masked_fill, reshape, transpose), not F.scaled_dot_product_attention or nn.MultiheadAttention:
the check uses those as the reference. Run `studyctl lab check attention` to see which steps pass.
"""

import math  # noqa: F401  (you will need them)

import torch  # noqa: F401


def attention_scores(q, k):
    """q (..., Lq, d), k (..., Lk, d) -> scores (..., Lq, Lk) = q k^T / sqrt(d).

    The leading dimensions (batch, heads) are whatever q and k have; d is the last one."""
    # TODO: transpose the last two axes of k (not k.T, which reverses every axis), then scale.
    raise NotImplementedError


def scaled_dot_product_attention(q, k, v, attn_mask=None):
    """softmax(q k^T / sqrt(d)) v, with an optional boolean mask.

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv). attn_mask is None or a bool tensor that
    broadcasts to (..., Lq, Lk) with F.scaled_dot_product_attention's convention:
    True = this query may attend to this key, False = blocked.
    Returns (output (..., Lq, dv), weights (..., Lq, Lk)); each row of weights sums to 1 over the keys."""
    # TODO: 1. the scores  2. blocked positions (attn_mask False) get -inf  3. softmax over the right axis
    #       4. output = weights @ v. Return both.
    raise NotImplementedError


def causal_mask(length, device=None):
    """(length, length) bool, True on and below the diagonal: query i may attend to keys 0..i.
    (F.scaled_dot_product_attention's convention: True = allowed.)"""
    # TODO: one line; torch.tril keeps the lower triangle.
    raise NotImplementedError


def padding_mask(key_padding_mask):
    """key_padding_mask (B, Lk) bool in nn.MultiheadAttention's convention (True = padding, ignore
    this key) -> (B, 1, 1, Lk) bool in F.scaled_dot_product_attention's (True = may attend), which
    broadcasts over heads and queries against scores of shape (B, heads, Lq, Lk)."""
    # TODO: flip the convention and add the two axes the mask should broadcast over.
    raise NotImplementedError


def split_heads(x, num_heads):
    """(B, L, E) -> (B, num_heads, L, E // num_heads): head h gets features h*hd .. (h+1)*hd - 1."""
    # TODO: reshape the last axis into (num_heads, head_dim), then move the head axis before L.
    raise NotImplementedError


def merge_heads(x):
    """(B, num_heads, L, hd) -> (B, L, num_heads * hd), the inverse of split_heads."""
    # TODO: undo split_heads, in the reverse order.
    raise NotImplementedError


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
    # TODO: 1. project query, key, value with the three (E, E) blocks of in_proj_weight (and in_proj_bias)
    #       2. split_heads each  3. one bool mask with True = allowed, from key_padding_mask and attn_mask
    #          (mind both conventions)  4. scaled_dot_product_attention  5. merge_heads, then out_proj
    #       6. return the output and the weights averaged over the heads
    raise NotImplementedError
