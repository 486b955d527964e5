"""Check for the attention lab: scores, softmax, masks and heads against torch's own
(F.scaled_dot_product_attention, torch.softmax, nn.MultiheadAttention with its weights used by
the learner's function), on visible cases and seeded hidden ones. Random numbers are drawn on
the CPU and moved to ctx.device, so every device judges the same numbers."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from studyctl.labkit.api import Check, CheckFailed, assert_close, assert_shape, fail, hidden_cases

check = Check()
FILE = "attention.py"
RTOL, ATOL = 1e-4, 1e-5  # float32; a correct solution differs from torch's kernels by ~2e-6 at most


def _compare(got, expected, variants=None, *, name, hint="", rtol=RTOL, atol=ATOL):
    """assert_close; when it fails, name the known wrong answer that `got` matches, if any."""
    try:
        assert_close(got, expected, rtol=rtol, atol=atol, name=name, hint=hint)
    except CheckFailed as exc:
        for cause, wrong in (variants or {}).items():
            if _matches(got, wrong, rtol, atol):
                fail(f"{exc}\nLikely cause: {cause}")
        raise


def _matches(got, wrong, rtol, atol):
    """Whether `got` equals a known wrong answer (NaN where it has NaN counts as equal)."""
    if not isinstance(got, torch.Tensor) or got.shape != wrong.shape or got.device != wrong.device:
        return False
    if got.dtype == torch.bool or wrong.dtype == torch.bool:
        return bool(torch.equal(got.bool(), wrong.bool()))
    return bool(torch.allclose(got.double(), wrong.double(), rtol=rtol, atol=atol, equal_nan=True))


def _pair(result, name):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        fail(f"{name} should return a pair (output, weights), got {type(result).__name__}")
    return result


def _draw(gen, device, *shapes):
    return [torch.randn(*shape, generator=gen).to(device) for shape in shapes]


def _fmt(shape):
    return "(" + ", ".join(str(s) for s in shape) + ")"


# ---------------------------------------------------------------- scores


def _scores_case(ctx, mine, gen, lead, lq, lk, d, label):
    q, k = _draw(gen, ctx.device, (*lead, lq, d), (*lead, lk, d))
    raw = q @ k.transpose(-2, -1)
    variants = {
        "the scores are not scaled; divide q k^T by sqrt(d), d = q.shape[-1], so that their spread "
        "does not grow with d and the softmax does not saturate": raw,
        "the scores are divided by d; the scale is 1 / sqrt(d)": raw / d,
        "the scores are multiplied by sqrt(d); the scale is 1 / sqrt(d)": raw * math.sqrt(d),
    }
    name = f"attention_scores(q, k), {label}, q {_fmt(q.shape)}, k {_fmt(k.shape)}"
    hint = "scores = q @ k.transpose(-2, -1) / math.sqrt(d): (..., Lq, d) @ (..., d, Lk) -> (..., Lq, Lk)."
    _compare(mine.attention_scores(q, k), raw / math.sqrt(d), variants, name=name, hint=hint)


@check.step("scores")
def scores(ctx):
    """attention_scores = q k^T / sqrt(d), for any leading (batch, head) dimensions."""
    mine = ctx.learner(FILE)
    _scores_case(ctx, mine, torch.Generator().manual_seed(91), (2,), 3, 5, 4, "visible case")
    for case in hidden_cases(seed=91, count=10):
        lead = case.shape(case.randint(1, 2), 1, 3)
        lq, lk, d = case.randint(1, 6), case.randint(1, 6), case.randint(2, 16)
        _scores_case(ctx, mine, case.generator, lead, lq, lk, d, case.name)
    return "q k^T / sqrt(d) on 1 visible and 10 hidden cases"


# ---------------------------------------------------------------- softmax


def _reference_weights(q, k, allowed=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if allowed is not None:
        scores = scores.masked_fill(~allowed, float("-inf"))
    return scores, torch.softmax(scores, dim=-1)


def _attention_case(ctx, mine, gen, lead, lq, lk, d, dv, label, allowed=None, mask_text=""):
    """The learner's scaled_dot_product_attention against F.scaled_dot_product_attention."""
    q, k, v = _draw(gen, ctx.device, (*lead, lq, d), (*lead, lk, d), (*lead, lk, dv))
    if allowed is not None:
        allowed = allowed.to(ctx.device)
    scores, want_w = _reference_weights(q, k, allowed)
    want_out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    out, weights = _pair(mine.scaled_dot_product_attention(q, k, v, allowed), "scaled_dot_product_attention")
    shapes = f"q {_fmt(q.shape)}, k {_fmt(k.shape)}, v {_fmt(v.shape)}{mask_text}"
    raw = q @ k.transpose(-2, -1)
    variants = {
        "the softmax runs over the query dimension (dim=-2): each column sums to 1. Each query's "
        "weights over the keys must sum to 1: softmax(scores, dim=-1)": torch.softmax(scores, dim=-2),
        "the scores inside scaled_dot_product_attention are not divided by sqrt(d), d = q.shape[-1] "
        "(attention_scores does it: call it here)": torch.softmax(
            raw if allowed is None else raw.masked_fill(~allowed, float("-inf")), dim=-1
        ),
    }
    if allowed is not None:
        variants[
            "the mask is applied after the softmax: zeroing the blocked weights leaves the others as they were, "
            "so a row no longer sums to 1. Fill -inf into the scores where the mask is False, then take the softmax"
        ] = torch.softmax(raw / math.sqrt(d), dim=-1).masked_fill(~allowed, 0.0)
        inverted = torch.softmax((q @ k.transpose(-2, -1) / math.sqrt(d)).masked_fill(allowed, float("-inf")), dim=-1)
        variants[
            "the mask is applied the wrong way round: you blocked the keys where the mask is True. "
            "F.scaled_dot_product_attention's boolean mask means True = may attend, so fill -inf where "
            "it is False: scores.masked_fill(~attn_mask, float('-inf'))"
        ] = inverted
        variants["the mask is ignored: fill -inf where attn_mask is False before the softmax"] = torch.softmax(
            q @ k.transpose(-2, -1) / math.sqrt(d), dim=-1
        )
    hint = "weights = softmax(scores, dim=-1) (over the keys), output = weights @ v."
    if allowed is not None:
        hint = "Blocked (False) positions get -inf before the softmax, so their weight is exactly 0. " + hint
    _compare(weights, want_w, variants, name=f"weights, {label}, {shapes}", hint=hint)
    _compare(out, want_out, name=f"output, {label}, {shapes}", hint=hint)


@check.step("softmax", needs=["scores"])
def softmax(ctx):
    """scaled_dot_product_attention without a mask: weights = softmax over the keys, output against
    F.scaled_dot_product_attention (rtol 1e-4, atol 1e-5)."""
    mine = ctx.learner(FILE)
    _attention_case(ctx, mine, torch.Generator().manual_seed(92), (2,), 3, 5, 4, 6, "visible case")
    for case in hidden_cases(seed=92, count=10):
        lead = case.shape(case.randint(1, 2), 1, 3)
        lq, lk, d, dv = case.randint(1, 6), case.randint(2, 6), case.randint(1, 8), case.randint(1, 8)
        _attention_case(ctx, mine, case.generator, lead, lq, lk, d, dv, case.name)
    return "softmax over the keys; output matches F.scaled_dot_product_attention on 1 visible and 10 hidden cases"


# ---------------------------------------------------------------- causal mask


def _random_allowed(gen, shape):
    """A random bool mask (True = allowed) in which every query may attend at least to key 0."""
    allowed = torch.rand(*shape, generator=gen) < 0.6
    allowed[..., 0] = True
    return allowed


@check.step("causal-mask", needs=["softmax"])
def causal_mask(ctx):
    """causal_mask(L) is the lower triangle (True = allowed); with it the attention matches
    F.scaled_dot_product_attention(is_causal=True); random bool masks match attn_mask=mask."""
    mine = ctx.learner(FILE)
    hint = "Query i may see keys 0..i: torch.ones(L, L, dtype=torch.bool).tril() (True = allowed)."
    for length in (1, 4, 7):
        want = torch.ones(length, length, dtype=torch.bool, device=ctx.device).tril()
        got = mine.causal_mask(length, device=ctx.device)
        variants = {
            "your mask is True above the diagonal (the blocked pairs, nn.MultiheadAttention's "
            "convention); here True means allowed": ~want,
            "your mask also blocks the diagonal: a query may attend to its own position": want.tril(-1),
        }
        _compare(got, want, variants, name=f"causal_mask({length})", hint=hint)
    gen = torch.Generator().manual_seed(93)
    q, k, v = _draw(gen, ctx.device, (2, 2, 5, 4), (2, 2, 5, 4), (2, 2, 5, 3))
    out, weights = _pair(mine.scaled_dot_product_attention(q, k, v, mine.causal_mask(5, device=ctx.device)), "sdpa")
    name = "scaled_dot_product_attention(q, k, v, causal_mask(5)), q, k (2, 2, 5, 4), v (2, 2, 5, 3)"
    assert_shape(weights, (2, 2, 5, 5), name=f"weights of {name}", hint="weights are (..., Lq, Lk).")
    if not isinstance(weights, torch.Tensor):
        fail(f"{name}: the weights should be a tensor, got {type(weights).__name__}")
    future = weights.masked_select(~torch.ones(5, 5, dtype=torch.bool, device=ctx.device).tril())
    if future.abs().max() > 0 or torch.isnan(weights).any():
        fail(
            f"{name}: the weights above the diagonal (query i looking at a later key j > i) should be exactly 0, "
            f"got values up to {future.abs().max().item():.4g}"
            f"{' and NaN' if torch.isnan(weights).any() else ''}.\n"
            "Fill -inf where the mask is False (blocked) before the softmax: "
            "scores.masked_fill(~attn_mask, float('-inf')). A row whose keys are all blocked becomes NaN."
        )
    sums = weights.sum(dim=-1)
    if not torch.allclose(sums, torch.ones_like(sums), atol=1e-5):
        shown = _fmt(round(x, 4) for x in sums[0, 0].tolist())
        fail(
            f"{name}: each query's weights should sum to 1, got row sums like {shown}. causal_mask itself is "
            "right (checked above): the mask is applied after the softmax, which zeroes the blocked weights "
            "without renormalising the rest. Fill -inf where the mask is False, before the softmax."
        )
    sdpa_hint = (
        "causal_mask itself is right (checked above); look at how scaled_dot_product_attention applies it: "
        "scores.masked_fill(~attn_mask, float('-inf')), then softmax(dim=-1), then weights @ v."
    )
    _compare(out, F.scaled_dot_product_attention(q, k, v, is_causal=True), name=f"output of {name}", hint=sdpa_hint)
    # random bool masks, broadcast from (Lq, Lk) and from (B, 1, Lq, Lk)
    _attention_case(
        ctx,
        mine,
        torch.Generator().manual_seed(94),
        (2, 2),
        3,
        5,
        4,
        4,
        "visible mask case",
        _random_allowed(torch.Generator().manual_seed(95), (3, 5)),
        ", attn_mask (3, 5)",
    )
    for case in hidden_cases(seed=96, count=8):
        batch, heads, lq, lk = case.randint(1, 3), case.randint(1, 3), case.randint(1, 6), case.randint(2, 7)
        shape = (lq, lk) if case.index % 2 == 0 else (batch, 1, lq, lk)
        allowed = _random_allowed(case.generator, shape)
        d, dv = case.randint(1, 8), case.randint(1, 8)
        label, text = case.name, f", attn_mask {_fmt(shape)}"
        _attention_case(ctx, mine, case.generator, (batch, heads), lq, lk, d, dv, label, allowed, text)
    return "matches is_causal=True, and attn_mask=mask on 1 visible and 8 hidden random masks"


# ---------------------------------------------------------------- key padding


@check.step("key-padding", needs=["softmax"])
def key_padding(ctx):
    """padding_mask turns nn.MultiheadAttention's key_padding_mask (B, Lk), True = padding, into a
    (B, 1, 1, Lk) mask with True = may attend; padded keys then get weight 0."""
    mine = ctx.learner(FILE)
    hint = (
        "nn.MultiheadAttention's key_padding_mask is True where a key is padding (to be ignored); "
        "F.scaled_dot_product_attention's bool mask is True where attending is allowed. So invert it, and add "
        "the head and query axes: ~key_padding_mask[:, None, None, :] is (B, 1, 1, Lk)."
    )
    cases = [("visible case", torch.tensor([[False, False, False, True, True], [False, False, False, False, False]]))]
    for case in hidden_cases(seed=97, count=8):
        batch, lk = case.randint(1, 4), case.randint(1, 7)
        kpm = torch.rand(batch, lk, generator=case.generator) < 0.4
        kpm[:, 0] = False  # every sequence keeps at least one real key
        cases.append((case.name, kpm))
    for index, (label, kpm) in enumerate(cases):
        kpm = kpm.to(ctx.device)
        want = ~kpm[:, None, None, :]
        got = mine.padding_mask(kpm)
        variants = {
            "you kept nn.MultiheadAttention's convention (True = padding); invert it with ~": kpm[:, None, None, :],
        }
        _compare(
            got, want, variants, name=f"padding_mask(key_padding_mask), {label}, mask {_fmt(kpm.shape)}", hint=hint
        )
        batch, lk = kpm.shape
        gen = torch.Generator().manual_seed(98 + index)
        heads, lq, d = 2, (4 if index == 0 else 1 + index % 5), 4
        q, k, v = _draw(gen, ctx.device, (batch, heads, lq, d), (batch, heads, lk, d), (batch, heads, lk, d))
        allowed = ~kpm[:, None, None, :]
        out, weights = _pair(mine.scaled_dot_product_attention(q, k, v, got), "scaled_dot_product_attention")
        name = f"scaled_dot_product_attention with padding_mask, {label}, q {_fmt(q.shape)}, k {_fmt(k.shape)}"
        _compare(weights, _reference_weights(q, k, allowed)[1], name=f"weights, {name}", hint=hint)
        _compare(out, F.scaled_dot_product_attention(q, k, v, attn_mask=allowed), name=f"output, {name}", hint=hint)
    return "padded keys get weight 0 on 1 visible and 8 hidden cases"


# ---------------------------------------------------------------- heads


def _heads_case(ctx, mine, x, heads, label):
    batch, length, embed = x.shape
    head_dim = embed // heads
    want = x.reshape(batch, length, heads, head_dim).permute(0, 2, 1, 3)
    shape = f"x {_fmt(x.shape)}, num_heads={heads}"
    split_hint = (
        "Cut the last axis into (num_heads, head_dim), then bring the head axis forward: "
        "x.reshape(B, L, num_heads, head_dim).transpose(1, 2) -> (B, num_heads, L, head_dim)."
    )
    split_variants = {
        "you reshaped (B, L, E) straight to (B, num_heads, L, head_dim), which mixes positions into "
        "heads; reshape to (B, L, num_heads, head_dim) and then transpose(1, 2)": x.reshape(
            batch, heads, length, head_dim
        ),
    }
    _compare(mine.split_heads(x, heads), want, split_variants, name=f"split_heads, {label}, {shape}", hint=split_hint)
    merge_hint = (
        "The inverse of split_heads: x.transpose(1, 2) puts the heads back next to head_dim, (B, L, num_heads, "
        "head_dim); then reshape to (B, L, E) (reshape, not view: after a transpose the memory is not contiguous)."
    )
    merge_variants = {
        "the heads were merged without moving the head axis back: (B, num_heads, L, head_dim) reshaped "
        "straight to (B, L, E) puts head 0's positions into the first rows; transpose(1, 2) first": want.reshape(
            batch, length, embed
        ),
        "the heads were merged with the wrong transpose: (B, L, head_dim, num_heads) interleaves the heads' "
        "features; the order is (B, L, num_heads, head_dim), i.e. x.transpose(1, 2)": want.permute(0, 2, 3, 1).reshape(
            batch, length, embed
        ),
    }
    got = mine.merge_heads(want.contiguous())
    name = f"merge_heads(split), {label}, split of shape {_fmt(want.shape)}"
    _compare(got, x, merge_variants, name=name, hint=merge_hint)
    _compare(mine.merge_heads(want), x, merge_variants, name=f"{name} (not contiguous)", hint=merge_hint)


@check.step("heads")
def heads(ctx):
    """split_heads (B, L, E) -> (B, h, L, E/h) and merge_heads back, as nn.MultiheadAttention lays them out."""
    mine = ctx.learner(FILE)
    x = torch.arange(2 * 3 * 8, dtype=torch.float32, device=ctx.device).reshape(2, 3, 8)
    _heads_case(ctx, mine, x, 2, "visible case")
    for case in hidden_cases(seed=99, count=8):
        heads, head_dim = case.randint(1, 4), case.randint(1, 5)
        x = case.randn(case.randint(1, 3), case.randint(1, 6), heads * head_dim, device=ctx.device)
        _heads_case(ctx, mine, x, heads, case.name)
    return "nn.MultiheadAttention's head layout on 1 visible and 8 hidden cases"


# ---------------------------------------------------------------- multi-head


def _mha_case(ctx, mine, gen, batch, lq, lk, embed, heads, label, padding=False, blocked=None, self_attention=False):
    """The learner's multi_head_attention against nn.MultiheadAttention with the same weights."""
    mha = nn.MultiheadAttention(embed, heads, batch_first=True)
    with torch.no_grad():
        for param in (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias):
            param.copy_(0.3 * torch.randn(*param.shape, generator=gen))
    mha = mha.to(ctx.device).eval()
    query = torch.randn(batch, lq, embed, generator=gen).to(ctx.device)
    if self_attention:
        key = value = query
    else:
        key, value = _draw(gen, ctx.device, (batch, lk, embed), (batch, lk, embed))
    kpm = None
    if padding:
        kpm = torch.rand(batch, lk, generator=gen) < 0.4
        kpm[:, 0] = False
        kpm = kpm.to(ctx.device)
    if blocked is not None:
        blocked = blocked.to(ctx.device)
    weights = (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias)
    with torch.no_grad():
        want_out, want_w = mha(query, key, value, key_padding_mask=kpm, attn_mask=blocked, need_weights=True)
        result = mine.multi_head_attention(query, key, value, heads, *weights, key_padding_mask=kpm, attn_mask=blocked)
        out, got_w = _pair(result, "multi_head_attention")
        reference = ctx.solution(FILE)
        variants = {}
        if blocked is not None:
            wrong = reference.multi_head_attention(
                query, key, value, heads, *weights, key_padding_mask=kpm, attn_mask=~blocked
            )
            variants[
                "your result matches nn.MultiheadAttention with attn_mask inverted. Its bool attn_mask means "
                "True = NOT allowed, the opposite of your scaled_dot_product_attention's: pass ~attn_mask"
            ] = wrong
        if kpm is not None:
            wrong = reference.multi_head_attention(
                query, key, value, heads, *weights, key_padding_mask=~kpm, attn_mask=blocked
            )
            variants[
                "your result matches nn.MultiheadAttention with key_padding_mask inverted (True = padding): "
                "convert it with padding_mask(key_padding_mask)"
            ] = wrong
    masks = (", key_padding_mask" if kpm is not None else "") + (", attn_mask" if blocked is not None else "")
    shapes = f"query ({batch}, {lq}, {embed}), key ({batch}, {lk}, {embed}), num_heads={heads}{masks}"
    hint = (
        "in_proj_weight.chunk(3) gives W_q, W_k, W_v; project, split_heads, attend with the combined mask (True = "
        "allowed), merge_heads, then apply out_proj. The weights returned are the mean over the heads (dim=1)."
    )
    _compare(got_w, want_w, {k: v[1] for k, v in variants.items()}, name=f"weights, {label}, {shapes}", hint=hint)
    _compare(out, want_out, {k: v[0] for k, v in variants.items()}, name=f"output, {label}, {shapes}", hint=hint)


@check.step("multi-head", needs=["softmax", "causal-mask", "key-padding", "heads"])
def multi_head(ctx):
    """multi_head_attention matches nn.MultiheadAttention(batch_first=True) with the same weights,
    output and head-averaged weights (rtol 1e-4, atol 1e-5), with and without masks."""
    mine = ctx.learner(FILE)
    causal_blocked = ~torch.ones(4, 4, dtype=torch.bool).tril()  # nn.MultiheadAttention: True = blocked
    gen = torch.Generator().manual_seed(100)
    _mha_case(ctx, mine, gen, 2, 4, 4, 8, 2, "visible case", self_attention=True)
    _mha_case(ctx, mine, gen, 2, 4, 4, 8, 2, "visible case with padding", padding=True, self_attention=True)
    _mha_case(ctx, mine, gen, 2, 4, 4, 8, 2, "visible causal case", blocked=causal_blocked, self_attention=True)
    for case in hidden_cases(seed=100, count=8):
        batch, lq, lk = case.randint(1, 3), case.randint(1, 6), case.randint(1, 6)
        heads, head_dim = case.randint(1, 4), case.randint(1, 4)
        blocked = torch.rand(lq, lk, generator=case.generator) < 0.3
        blocked[:, 0] = False  # key 0 stays visible to every query
        _mha_case(
            ctx, mine, case.generator, batch, lq, lk, heads * head_dim, heads, case.name, padding=True, blocked=blocked
        )
    return "matches nn.MultiheadAttention on 3 visible and 8 hidden cases"
