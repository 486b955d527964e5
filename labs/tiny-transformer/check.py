"""Check for the tiny-transformer lab: the sinusoidal positional encoding against the formula
computed here in float64, the model's shapes, that it uses positions (and not batch indices),
that it is causal, the teacher-forcing shift, and finally that it learns to copy random digit
sequences: exact-match accuracy on 200 held-out sequences, decoded greedily. Random numbers are
drawn on the CPU and moved to ctx.device, so every device judges the same data."""

import copy
import time

import torch
import torch.nn.functional as F
from torch import nn

from studyctl.labkit.api import Check, CheckFailed, assert_close, assert_shape, fail, hidden_cases, seed_everything

check = Check()
FILE = "transformer.py"

# The copy task: SRC_LEN random digits, the separator, the same digits again.
DIGITS, SEP, VOCAB = 10, 10, 11
SRC_LEN = 8
CONFIG = dict(vocab_size=VOCAB, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=32, dropout=0.0)
BATCH, LR, WARMUP = 64, 3e-3, 50
MAX_STEPS, EVAL_EVERY, EARLY_STOP = 600, 50, 0.98
HELD_OUT, THRESHOLD = 200, 0.90


def _matches(got, wrong, rtol, atol):
    if not isinstance(got, torch.Tensor) or got.shape != wrong.shape:
        return False
    got, wrong = got.detach().cpu().double(), wrong.detach().cpu().double()
    return bool(torch.allclose(got, wrong, rtol=rtol, atol=atol, equal_nan=True))


def _compare(got, expected, variants=None, *, name, hint="", rtol=None, atol=None):
    """assert_close; when it fails, name the known wrong answer that `got` matches, if any."""
    try:
        assert_close(got, expected, rtol=rtol, atol=atol, name=name, hint=hint)
    except CheckFailed as exc:
        for cause, wrong in (variants or {}).items():
            if _matches(got, wrong, rtol or 1e-5, atol or 1e-5):
                fail(f"{exc}\nLikely cause: {cause}")
        raise


def _model(mine, device, **overrides):
    return mine.TinyTransformer(**{**CONFIG, **overrides}).to(device)


# ---------------------------------------------------------------- positional encoding


def _pe_reference(max_len, d_model, *, pair=2, swap=False, halves=False):
    """The sinusoids computed from the formula in float64 (and some wrong versions of it)."""
    position = torch.arange(max_len, dtype=torch.float64)[:, None]
    i = torch.arange(0, d_model // 2, dtype=torch.float64)
    angle = position / 10000 ** (pair * i / d_model)  # (max_len, d/2)
    first, second = (torch.cos(angle), torch.sin(angle)) if swap else (torch.sin(angle), torch.cos(angle))
    if halves:
        return torch.cat([first, second], dim=1).float()
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = first, second
    return pe.float()


@check.step("positional-encoding")
def positional_encoding(ctx):
    """positional_encoding(max_len, d) equals sin/cos(pos / 10000^(2i/d)) in the even/odd columns
    (float32, atol 1e-4), on a visible case and 10 hidden sizes."""
    mine = ctx.learner(FILE)
    hint = (
        "pe[pos, 2i] = sin(pos / 10000 ** (2i / d_model)) and pe[pos, 2i + 1] = cos(the same angle): "
        "columns 0 and 1 share one frequency, columns 2 and 3 the next, and so on."
    )
    sizes = [(6, 4, "visible case")]
    for case in hidden_cases(seed=111, count=10):
        sizes.append((case.randint(1, 64), 2 * case.randint(1, 32), case.name))
    for max_len, d_model, label in sizes:
        want = _pe_reference(max_len, d_model)
        got = mine.positional_encoding(max_len, d_model)
        if isinstance(got, torch.Tensor):
            got = got.detach().cpu()
        variants = {
            "sin and cos are swapped: sin goes in the even columns (0, 2, ...), cos in the odd ones": _pe_reference(
                max_len, d_model, swap=True
            ),
            "the exponent uses i instead of 2i: column pair i has the frequency 1 / 10000 ** (2i / d_model)": (
                _pe_reference(max_len, d_model, pair=1)
            ),
            "sin fills the first half of the columns and cos the second; they alternate: "
            "pe[:, 0::2] = sin, pe[:, 1::2] = cos": _pe_reference(max_len, d_model, halves=True),
        }
        name = f"positional_encoding({max_len}, {d_model}), {label}"
        _compare(got, want, variants, name=name, hint=hint, rtol=1e-4, atol=1e-4)
    return "matches the sinusoid formula on 1 visible and 10 hidden sizes"


# ---------------------------------------------------------------- shapes


@check.step("shapes", needs=["positional-encoding"])
def shapes(ctx):
    """TinyTransformer(**config)(tokens (B, T)) -> logits (B, T, vocab_size), float32, on the device."""
    mine = ctx.learner(FILE)
    seed_everything(0)
    vocab = 13  # a vocabulary the training step does not use, so nothing is hard-coded
    model = _model(mine, ctx.device, vocab_size=vocab).eval()
    cases = [(3, 7, "visible case")]
    for case in hidden_cases(seed=112, count=8):
        cases.append((case.randint(1, 5), case.randint(1, CONFIG["max_len"]), case.name))
    hint = (
        "embed (B, T) -> (B, T, d); add pe[:T], a (T, d) slice that broadcasts over the batch; the blocks keep "
        "(B, T, d) (batch_first=True); the head maps d to vocab_size."
    )
    for batch, length, label in cases:
        tokens = torch.randint(0, vocab, (batch, length), generator=torch.Generator().manual_seed(batch * 100 + length))
        with torch.no_grad():
            logits = model(tokens.to(ctx.device))
        name = f"TinyTransformer(vocab_size={vocab})(tokens), {label}, tokens ({batch}, {length})"
        assert_shape(logits, (batch, length, vocab), name=name, hint=hint)
        _finite(logits, name)
        if logits.dtype != torch.float32:
            fail(f"{name}: expected float32 logits, got {logits.dtype}")
        if logits.device.type != ctx.device.type:
            fail(
                f"{name}: the logits are on {logits.device.type}, expected {ctx.device.type}; register the positional "
                "table with self.register_buffer('pe', ...) so that model.to(device) moves it too"
            )
    _moves_with_the_model(model)
    params = sum(p.numel() for p in model.parameters())
    ctx.metrics["parameters"] = params
    return f"logits (B, T, {vocab}) for 1 visible and 8 hidden shapes; {params} parameters"


def _finite(logits, name):
    """NaN logits come from an attention row with every key blocked: say so, before any comparison."""
    bad = ~torch.isfinite(logits)
    if bad.any():
        positions = sorted({int(t) for t in bad.nonzero()[:, 1].tolist()})
        fail(
            f"{name}: the logits are NaN or infinite at positions {positions[:10]}. A NaN logit means a query "
            "whose every key was blocked by the attention mask (softmax over all -inf is 0/0). PyTorch's boolean "
            "masks mean True = blocked, the opposite of 'True = allowed'; a float mask is added to the scores: "
            "0 = allowed, -inf = blocked. causal_mask should be the float one, -inf above the diagonal only."
        )


def _moves_with_the_model(model):
    """model.to(device) must move every tensor the model keeps: a table kept as a plain attribute stays
    where it was made (on the CPU), and the forward then mixes devices on a GPU."""
    moved = copy.deepcopy(model).to("meta")  # a device every build has; nothing is computed there
    stuck = [
        f"{name}.{attr}" if name else attr
        for name, module in moved.named_modules()
        for attr, value in vars(module).items()
        if isinstance(value, torch.Tensor) and value.device.type != "meta"
    ]
    if stuck:
        fail(
            f"model.to(device) did not move self.{stuck[0]}: a tensor kept as a plain attribute stays on the CPU, "
            "and on a GPU the forward would add a CPU table to CUDA embeddings. Register it with "
            "self.register_buffer('pe', ...) so that .to(device) moves it with the parameters."
        )


# ---------------------------------------------------------------- positions


@check.step("positions", needs=["shapes"])
def positions(ctx):
    """The positional encoding is added along the sequence axis: a sequence's logits don't depend on
    its place in the batch, and identical tokens at different positions get different logits."""
    mine = ctx.learner(FILE)
    seed_everything(0)
    model = _model(mine, ctx.device).eval()
    tokens = torch.randint(0, VOCAB, (5, 9), generator=torch.Generator().manual_seed(113)).to(ctx.device)
    with torch.no_grad():
        together = model(tokens)
        for i in range(tokens.shape[0]):
            alone = model(tokens[i : i + 1])
            assert_close(
                together[i : i + 1],
                alone,
                rtol=1e-4,
                atol=1e-4,
                name=f"the logits of sequence {i} in a batch of 5 vs the same sequence alone, tokens (5, 9)",
                hint=(
                    "A sequence's result changes with its place in the batch, so something is indexed by the batch "
                    "axis. With batch_first inputs, x is (B, T, d): add pe[:T] (shape (T, d)), which broadcasts "
                    "over the batch. A table shaped (max_len, 1, d) and sliced with x.size(0), as in seq-first "
                    "code, picks one position per batch row instead."
                ),
            )
        same = torch.full((1, 9), 3, dtype=torch.long, device=ctx.device)
        logits = model(same)[0]  # (9, vocab)
    spread = (logits - logits[:1]).abs().amax().item()
    ctx.metrics["position_spread"] = round(spread, 4)
    if spread < 1e-3:
        fail(
            "for the input 3 3 3 3 3 3 3 3 3 every position got the same logits (largest difference from position 0: "
            f"{spread:.2e}): the model cannot tell positions apart. Add the positional encoding to the token "
            "embeddings: x = self.embed(tokens) + self.pe[:T]."
        )
    return f"positions change the logits (spread {spread:.3f}); batch rows are independent"


# ---------------------------------------------------------------- causal mask


@check.step("causal-mask", needs=["shapes"])
def causal(ctx):
    """causal_mask(size) equals nn.Transformer.generate_square_subsequent_mask(size), and the model is
    causal: changing the tokens at positions >= t leaves the logits at positions < t unchanged."""
    mine = ctx.learner(FILE)
    hint = "0 on and below the diagonal, -inf above: torch.full((size, size), float('-inf')).triu(1)."
    for size in (1, 4, 9):
        want = nn.Transformer.generate_square_subsequent_mask(size, device=ctx.device)
        got = mine.causal_mask(size, device=ctx.device)
        blocked = torch.isinf(want)
        variants = {
            "your mask is boolean. nn.TransformerEncoderLayer accepts a float mask that is added to the scores "
            "(0 = allowed, -inf = blocked); this lab asks for that one": blocked,
            "your mask is also -inf on the diagonal: position i may attend to itself, use triu(1)": torch.full(
                (size, size), float("-inf"), device=ctx.device
            ).triu(0),
            "your mask is -inf below the diagonal: that blocks the past and lets the future in": want.T,
        }
        _compare(got, want, variants, name=f"causal_mask({size})", hint=hint, rtol=0.0, atol=0.0)
    seed_everything(0)
    model = _model(mine, ctx.device).eval()
    gen = torch.Generator().manual_seed(114)
    tokens = torch.randint(0, VOCAB, (3, 12), generator=gen)
    with torch.no_grad():
        before = model(tokens.to(ctx.device))
        for t in (1, 5, 9):
            changed = tokens.clone()
            changed[:, t:] = (tokens[:, t:] + torch.randint(1, VOCAB, (3, 12 - t), generator=gen)) % VOCAB
            after = model(changed.to(ctx.device))
            leak = (after[:, :t] - before[:, :t]).abs().amax().item()
            if leak > 1e-4:
                fail(
                    f"changing the tokens at positions {t}..11 changed the logits at positions 0..{t - 1} (by up to "
                    f"{leak:.3g}): your model looks at the future. Pass the causal mask to the blocks "
                    "(self.blocks(x, mask=causal_mask(T, tokens.device), is_causal=True)). Without it training "
                    "cheats: position t reads the answer from input t + 1, the loss falls to almost 0, and the "
                    "model fails as soon as it has to generate one token at a time."
                )
    return "matches generate_square_subsequent_mask; no position sees later tokens"


# ---------------------------------------------------------------- teacher forcing


@check.step("teacher-forcing")
def teacher_forcing(ctx):
    """teacher_forcing(seq) -> (seq[:, :-1], seq[:, 1:]): the target at t is the token after t."""
    mine = ctx.learner(FILE)
    hint = "inputs = seq[:, :-1] (all but the last token), targets = seq[:, 1:] (all but the first): shifted by one."
    cases = [(torch.tensor([[3, 1, 4, SEP, 3, 1, 4]]), "visible case")]
    for case in hidden_cases(seed=115, count=6):
        seq = torch.randint(0, VOCAB, (case.randint(1, 4), case.randint(2, 12)), generator=case.generator)
        cases.append((seq, case.name))
    for seq, label in cases:
        seq = seq.to(ctx.device)
        result = mine.teacher_forcing(seq)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            fail(f"teacher_forcing should return a pair (inputs, targets), got {type(result).__name__}")
        inputs, targets = result
        shape = f"seq ({seq.shape[0]}, {seq.shape[1]})"
        if isinstance(inputs, torch.Tensor) and isinstance(targets, torch.Tensor) and torch.equal(inputs, targets):
            fail(
                f"teacher_forcing(seq), {label}, {shape}: inputs and targets are the same tokens "
                f"({inputs[0].tolist()}). Without the shift the model learns to echo the token it reads (the "
                "identity), which says nothing about the next one. " + hint
            )
        variants = {"the shift goes the wrong way round: these are the inputs, seq[:, :-1]": seq[:, :-1]}
        _compare(inputs, seq[:, :-1], name=f"inputs of teacher_forcing(seq), {label}, {shape}", hint=hint)
        _compare(targets, seq[:, 1:], variants, name=f"targets of teacher_forcing(seq), {label}, {shape}", hint=hint)
    return "inputs seq[:, :-1], targets seq[:, 1:] on 1 visible and 6 hidden cases"


# ---------------------------------------------------------------- training


def _copy_batch(sources):
    """sources (N, SRC_LEN) digits -> (N, 2 * SRC_LEN + 1): digits, separator, the digits again."""
    sep = torch.full((sources.shape[0], 1), SEP, dtype=torch.long)
    return torch.cat([sources, sep, sources], dim=1)


def _codes(sources):
    """One integer per sequence, to keep the held-out sequences out of training."""
    powers = 10 ** torch.arange(SRC_LEN - 1, -1, -1, dtype=torch.long)
    return (sources * powers).sum(dim=1)


@torch.no_grad()
def _generate(model, sources):
    """Greedy decoding: feed digits + separator, append the most likely next token SRC_LEN times."""
    model.eval()
    sep = torch.full((sources.shape[0], 1), SEP, dtype=torch.long, device=sources.device)
    seq = torch.cat([sources, sep], dim=1)
    for _ in range(SRC_LEN):
        next_token = model(seq)[:, -1].argmax(dim=-1, keepdim=True)
        seq = torch.cat([seq, next_token], dim=1)
    model.train()
    return seq[:, -SRC_LEN:]


def _exact(model, sources):
    copied = _generate(model, sources)
    return (copied == sources).all(dim=1).float().mean().item(), (copied == sources).float().mean().item()


@check.step("train", needs=["positions", "causal-mask", "teacher-forcing"])
def train(ctx):
    """Trains on random 8-digit copy sequences (Adam, fixed seeds) until 98% of 200 validation
    sequences are copied exactly (at most 600 steps); then at least 90% of 200 held-out sequences
    must come out exactly right, generated one token at a time."""
    mine = ctx.learner(FILE)
    threads = torch.get_num_threads()
    if ctx.device.type == "cpu":
        torch.set_num_threads(1)  # a model this small trains faster on one thread than on several that wait
    try:
        return _train(ctx, mine)
    finally:
        torch.set_num_threads(threads)


def _train(ctx, mine):
    started = time.perf_counter()
    held_out = torch.randint(0, DIGITS, (2 * HELD_OUT, SRC_LEN), generator=torch.Generator().manual_seed(116))
    validation, test = held_out[:HELD_OUT].to(ctx.device), held_out[HELD_OUT:].to(ctx.device)
    held_codes = _codes(held_out)
    seed_everything(0)
    model = _model(mine, ctx.device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    warmup = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / WARMUP))
    gen = torch.Generator().manual_seed(117)
    val_exact, loss_value, step = 0.0, float("nan"), 0
    for step in range(1, MAX_STEPS + 1):
        sources = torch.randint(0, DIGITS, (BATCH, SRC_LEN), generator=gen)
        sources = sources[~torch.isin(_codes(sources), held_codes)]  # never train on a held-out sequence
        inputs, targets = mine.teacher_forcing(_copy_batch(sources).to(ctx.device))
        logits = model(inputs)
        # only the copied half is predictable: the targets after the separator
        loss = F.cross_entropy(logits[:, SRC_LEN:].reshape(-1, VOCAB), targets[:, SRC_LEN:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        warmup.step()
        loss_value = loss.item()
        if step % EVAL_EVERY == 0:
            val_exact, _ = _exact(model, validation)
            ctx.progress(step, MAX_STEPS, loss=round(loss_value, 4), val_exact=round(val_exact, 3))
            if val_exact >= EARLY_STOP:
                break
        else:
            ctx.progress(step, MAX_STEPS, loss=round(loss_value, 4))
    exact, token_acc = _exact(model, test)
    ctx.metrics.update(
        steps=step,
        loss=round(loss_value, 4),
        val_exact=round(val_exact, 3),
        test_exact=round(exact, 3),
        test_token_acc=round(token_acc, 4),
        train_seconds=round(time.perf_counter() - started, 1),
    )
    if exact < THRESHOLD:
        fail(
            f"after {step} steps (loss {loss_value:.3f}) the model copies {exact:.1%} of the {HELD_OUT} held-out "
            f"sequences exactly ({token_acc:.1%} of the digits); the goal is {THRESHOLD:.0%}.\n"
            "Likely causes: the token embeddings multiplied by sqrt(d_model) (nn.Embedding starts at N(0, 1), "
            "so that drowns the sinusoids, which are at most 1, and the model loses track of positions); "
            "dropout left on (the check passes dropout=0.0: use it); a missing head or LayerNorm."
        )
    return f"copies {exact:.1%} of {HELD_OUT} held-out sequences exactly after {step} steps (goal {THRESHOLD:.0%})"
