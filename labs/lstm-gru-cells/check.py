"""Check for the lstm-gru-cells lab: the learner's cells against nn.LSTMCell / nn.GRUCell with
the same weights copied in, their gradients against the torch cells' (autograd, float64) and
centred differences, and an unrolled LSTM against a one-layer nn.LSTM. Visible cases first,
then seeded hidden ones; every random number is drawn on the CPU and moved to ctx.device."""

import torch
from torch import nn

from studyctl.labkit.api import Check, CheckFailed, assert_close, fail, grad_check, hidden_cases, rel_error

check = Check()
FILE = "cells.py"
RTOL, ATOL = 1e-5, 1e-5  # float32 forward comparisons (torch and a correct cell differ by ~3e-7)
GRAD_THRESHOLD = 1e-6  # float64 relative error, autograd vs autograd and vs centred differences
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _weights(gen, blocks, inputs, hidden, dtype=torch.float32):
    """(weight_ih, weight_hh, bias_ih, bias_hh) for `blocks` stacked gates, drawn on the CPU."""
    shapes = [(blocks * hidden, inputs), (blocks * hidden, hidden), (blocks * hidden,), (blocks * hidden,)]
    return [0.5 * torch.randn(*shape, generator=gen, dtype=dtype) for shape in shapes]


def _copy_into(module, weights, suffix=""):
    """Copy the four tensors into a torch cell (or nn.LSTM with suffix '_l0')."""
    with torch.no_grad():
        for name, value in zip(NAMES, weights, strict=True):
            getattr(module, name + suffix).copy_(value)
    return module


def _pair(result, name):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        fail(f"{name} should return a pair (h_next, c_next), got {type(result).__name__}")
    return result


def _lstm_variants(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """What common wrong LSTM cells return, to name the likely cause."""
    i, f, g, o = (x @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1)
    sig, tanh = torch.sigmoid, torch.tanh

    def step(i, f, g, o, g_act=tanh):
        c_next = sig(f) * c + sig(i) * g_act(g)
        return sig(o) * tanh(c_next), c_next

    return {
        "the gates taken in the order f, i, g, o (i and f swapped; nn.LSTMCell stacks them i, f, g, o)": step(
            f, i, g, o
        ),
        "a sigmoid on the candidate g (it takes tanh, so it can be negative)": step(i, f, g, o, sig),
        "the gates taken in the order i, f, o, g (nn.LSTMCell stacks them i, f, g, o)": step(i, f, o, g),
    }


def _gru_variants(x, h, w_ih, w_hh, b_ih, b_hh):
    """What common wrong GRU cells return, to name the likely cause."""
    i_r, i_z, i_n = (x @ w_ih.T + b_ih).chunk(3, dim=1)
    h_r, h_z, h_n = (h @ w_hh.T + b_hh).chunk(3, dim=1)
    r, z = torch.sigmoid(i_r + h_r), torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    hidden = h.shape[1]
    w_hn, b_hn = w_hh[2 * hidden :], b_hh[2 * hidden :]
    n_paper = torch.tanh(i_n + (r * h) @ w_hn.T + b_hn)
    r_zr, z_zr = torch.sigmoid(i_z + h_z), torch.sigmoid(i_r + h_r)
    n_zr = torch.tanh(i_n + r_zr * h_n)
    return {
        "the reset gate applied before the matrix product, W_hn (r * h) (the paper's variant); PyTorch "
        "computes r * (W_hn h + b_hn)": (1 - z) * n_paper + z * h,
        "z and (1 - z) swapped: PyTorch's h_next is (1 - z) * n + z * h": z * n + (1 - z) * h,
        "the blocks taken in the order z, r, n (nn.GRUCell stacks them r, z, n)": (1 - z_zr) * n_zr + z_zr * h,
        "a sigmoid on the candidate n (it takes tanh)": (1 - z) * torch.sigmoid(i_n + r * h_n) + z * h,
    }


def _compare(got, expected, variants, *, name, hint):
    """assert_close, and when it fails, say which known wrong formula the result matches."""
    try:
        assert_close(got, expected, rtol=RTOL, atol=ATOL, name=name, hint=hint)
    except CheckFailed as exc:
        for cause, wrong in variants.items():
            wrong = wrong if isinstance(wrong, torch.Tensor) else wrong[0]
            try:
                assert_close(got, wrong, rtol=RTOL, atol=ATOL, name=name)
            except CheckFailed:
                continue
            fail(f"{exc}\nLikely cause: your result matches {cause}.")
        raise


def _lstm_case(ctx, mine, gen, batch, inputs, hidden, label):
    x = torch.randn(batch, inputs, generator=gen)
    h, c = torch.randn(batch, hidden, generator=gen), torch.randn(batch, hidden, generator=gen)
    weights = _weights(gen, 4, inputs, hidden)
    x, h, c = x.to(ctx.device), h.to(ctx.device), c.to(ctx.device)
    weights = [w.to(ctx.device) for w in weights]
    cell = _copy_into(nn.LSTMCell(inputs, hidden).to(ctx.device), weights)
    with torch.no_grad():
        h_want, c_want = cell(x, (h, c))
        h_got, c_got = _pair(mine.lstm_cell(x, h, c, *weights), "lstm_cell")
        variants = _lstm_variants(x, h, c, *weights)
    shapes = f"x ({batch}, {inputs}), h and c ({batch}, {hidden}), weight_ih ({4 * hidden}, {inputs})"
    hint = "i, f, o are sigmoids and g a tanh of the (B, 4H) pre-activation split with chunk(4, dim=1) in that order."
    _compare(c_got, c_want, {k: v[1] for k, v in variants.items()}, name=f"c_next, {label}, {shapes}", hint=hint)
    _compare(h_got, h_want, {k: v[0] for k, v in variants.items()}, name=f"h_next, {label}, {shapes}", hint=hint)


@check.step("lstm-cell")
def lstm_cell(ctx):
    """lstm_cell matches nn.LSTMCell with the same weights (rtol 1e-5, atol 1e-5, float32)."""
    mine = ctx.learner(FILE)
    _lstm_case(ctx, mine, torch.Generator().manual_seed(81), 2, 3, 4, "visible case")
    for case in hidden_cases(seed=81, count=10):
        batch, inputs, hidden = case.randint(1, 5), case.randint(1, 7), case.randint(1, 6)
        _lstm_case(ctx, mine, case.generator, batch, inputs, hidden, case.name)
    return "matches nn.LSTMCell on 1 visible and 10 hidden cases"


def _gru_case(ctx, mine, gen, batch, inputs, hidden, label):
    x, h = torch.randn(batch, inputs, generator=gen), torch.randn(batch, hidden, generator=gen)
    weights = _weights(gen, 3, inputs, hidden)
    x, h = x.to(ctx.device), h.to(ctx.device)
    weights = [w.to(ctx.device) for w in weights]
    cell = _copy_into(nn.GRUCell(inputs, hidden).to(ctx.device), weights)
    with torch.no_grad():
        want = cell(x, h)
        got = mine.gru_cell(x, h, *weights)
        variants = _gru_variants(x, h, *weights)
    shapes = f"x ({batch}, {inputs}), h ({batch}, {hidden}), weight_ih ({3 * hidden}, {inputs})"
    hint = "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and h_next = (1 - z) * n + z * h, blocks in order r, z, n."
    _compare(got, want, variants, name=f"gru_cell h_next, {label}, {shapes}", hint=hint)


@check.step("gru-cell")
def gru_cell(ctx):
    """gru_cell matches nn.GRUCell with the same weights (rtol 1e-5, atol 1e-5, float32)."""
    mine = ctx.learner(FILE)
    _gru_case(ctx, mine, torch.Generator().manual_seed(82), 2, 3, 4, "visible case")
    for case in hidden_cases(seed=82, count=10):
        batch, inputs, hidden = case.randint(1, 5), case.randint(1, 7), case.randint(1, 6)
        _gru_case(ctx, mine, case.generator, batch, inputs, hidden, case.name)
    return "matches nn.GRUCell on 1 visible and 10 hidden cases"


def _grads(loss, tensors, label):
    if not isinstance(loss, torch.Tensor) or not loss.requires_grad:
        fail(
            f"{label}: your cell's output does not depend on its inputs through autograd (requires_grad is "
            "False); use torch operations only, no .detach(), .item(), .numpy() or torch.no_grad()"
        )
    grads = torch.autograd.grad(loss, tensors, allow_unused=True)
    return [torch.zeros_like(t) if g is None else g for t, g in zip(tensors, grads, strict=True)]


def _compare_grads(mine, theirs, names, label):
    worst = 0.0
    for name, got, want in zip(names, mine, theirs, strict=True):
        error, index = rel_error(got, want)
        worst = max(worst, error)
        if not error <= GRAD_THRESHOLD:
            where = f" at index {list(index)}" if index else ""
            fail(
                f"{label}: the gradient w.r.t. {name} differs from the torch cell's: relative error {error:.2e} "
                f"(threshold {GRAD_THRESHOLD:.0e}, float64)\n"
                f"worst element{where}: expected {want[index].item():.7g}, got {got[index].item():.7g}\n"
                "The forward values already match, so the graph is cut somewhere: look for .detach(), .data, "
                "torch.no_grad() or a new tensor built from values (torch.tensor(...)) in your cell.",
                rel_error=error,
            )
    return worst


def _leaves(tensors):
    return [t.detach().clone().requires_grad_(True) for t in tensors]


@check.step("gradients", needs=["lstm-cell", "gru-cell"])
def gradients(ctx):
    """Gradients through the learner's cells match the torch cells' (float64 autograd, relative error
    below 1e-6), and centred differences of the learner's cells agree with their autograd gradients."""
    mine = ctx.learner(FILE)
    f64 = torch.float64
    worst = 0.0
    for index, (batch, inputs, hidden) in enumerate([(2, 3, 4), (1, 2, 3), (3, 1, 2)]):
        label = "visible case" if index == 0 else f"hidden case {index} of 2"
        gen = torch.Generator().manual_seed(83 + index)
        x, h, c = (torch.randn(batch, n, generator=gen, dtype=f64) for n in (inputs, hidden, hidden))
        up_h, up_c = (torch.randn(batch, hidden, generator=gen, dtype=f64) for _ in range(2))
        weights = [w.to(ctx.device) for w in _weights(gen, 4, inputs, hidden, f64)]
        x, h, c, up_h, up_c = (t.to(ctx.device) for t in (x, h, c, up_h, up_c))

        # LSTM: the learner's cell and nn.LSTMCell (float64), the same upstream gradients.
        ours = _leaves([x, h, c, *weights])
        h_next, c_next = _pair(mine.lstm_cell(*ours), "lstm_cell")
        got = _grads((h_next * up_h).sum() + (c_next * up_c).sum(), ours, f"lstm_cell, {label}")
        cell = _copy_into(nn.LSTMCell(inputs, hidden, dtype=f64).to(ctx.device), weights)
        theirs = _leaves([x, h, c])
        h_ref, c_ref = cell(theirs[0], (theirs[1], theirs[2]))
        params = [getattr(cell, n) for n in NAMES]
        want = torch.autograd.grad((h_ref * up_h).sum() + (c_ref * up_c).sum(), theirs + params)
        names = ["x", "h", "c", *NAMES]
        worst = max(worst, _compare_grads(got, want, names, f"lstm_cell, {label}"))

        # GRU, the same way.
        g_weights = [w.to(ctx.device) for w in _weights(gen, 3, inputs, hidden, f64)]
        ours = _leaves([x, h, *g_weights])
        got = _grads((mine.gru_cell(*ours) * up_h).sum(), ours, f"gru_cell, {label}")
        gcell = _copy_into(nn.GRUCell(inputs, hidden, dtype=f64).to(ctx.device), g_weights)
        theirs = _leaves([x, h])
        params = [getattr(gcell, n) for n in NAMES]
        want = torch.autograd.grad((gcell(*theirs) * up_h).sum(), theirs + params)
        worst = max(worst, _compare_grads(got, want, ["x", "h", *NAMES], f"gru_cell, {label}"))

    # Centred differences (cs231n's gradient check) on the visible case, w.r.t. x and h.
    gen = torch.Generator().manual_seed(83)
    x, h, c = (torch.randn(2, n, generator=gen, dtype=f64).to(ctx.device) for n in (3, 4, 4))
    lw = [w.to(ctx.device) for w in _weights(gen, 4, 3, 4, f64)]
    gw = [w.to(ctx.device) for w in _weights(gen, 3, 3, 4, f64)]

    def lstm_loss(x_, h_):
        h_next, c_next = mine.lstm_cell(x_, h_, c, *lw)
        return (h_next * torch.cos(c_next)).sum()

    def gru_loss(x_, h_):
        return (mine.gru_cell(x_, h_, *gw) ** 2).sum()

    for label, loss in (("lstm_cell", lstm_loss), ("gru_cell", gru_loss)):
        leaf_x, leaf_h = _leaves([x, h])
        analytic = _grads(loss(leaf_x, leaf_h), [leaf_x, leaf_h], label)
        worst = max(
            worst,
            grad_check(lambda t, f=loss: f(t, h), x, analytic[0], threshold=GRAD_THRESHOLD, name=f"d{label}/dx"),
            grad_check(lambda t, f=loss: f(x, t), h, analytic[1], threshold=GRAD_THRESHOLD, name=f"d{label}/dh"),
        )
    ctx.metrics["grad_rel_error"] = float(f"{worst:.3g}")
    return f"worst relative error {worst:.1e} (threshold {GRAD_THRESHOLD:.0e})"


def _sequence_case(ctx, mine, gen, steps, batch, inputs, hidden, label):
    xs = torch.randn(steps, batch, inputs, generator=gen)
    h0, c0 = torch.randn(batch, hidden, generator=gen), torch.randn(batch, hidden, generator=gen)
    weights = [w.to(ctx.device) for w in _weights(gen, 4, inputs, hidden)]
    xs, h0, c0 = xs.to(ctx.device), h0.to(ctx.device), c0.to(ctx.device)
    lstm = _copy_into(nn.LSTM(inputs, hidden, num_layers=1).to(ctx.device), weights, suffix="_l0")
    with torch.no_grad():
        out_want, (h_want, c_want) = lstm(xs, (h0[None], c0[None]))
        result = mine.lstm_sequence(xs, h0, c0, *weights)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        fail(f"lstm_sequence should return (outputs, (h_T, c_T)), got {type(result).__name__}")
    out_got, state = result
    h_got, c_got = _pair(state, "lstm_sequence's second item")
    shapes = f"xs ({steps}, {batch}, {inputs}), h0 and c0 ({batch}, {hidden})"
    hint = (
        "Feed each step the state the previous step returned (h, c = lstm_cell(xs[t], h, c, ...)), collect h "
        "after every step, and torch.stack them on dim 0: outputs[t] is h after step t."
    )
    for got, want, what in ((out_got, out_want, "outputs"), (h_got, h_want[0], "h_T"), (c_got, c_want[0], "c_T")):
        assert_close(got, want, rtol=RTOL, atol=ATOL, name=f"lstm_sequence {what}, {label}, {shapes}", hint=hint)


@check.step("lstm-sequence", needs=["lstm-cell"])
def lstm_sequence(ctx):
    """lstm_sequence matches a one-layer nn.LSTM with the same weights (rtol 1e-5, atol 1e-5)."""
    mine = ctx.learner(FILE)
    _sequence_case(ctx, mine, torch.Generator().manual_seed(84), 5, 2, 3, 4, "visible case")
    for case in hidden_cases(seed=84, count=8):
        steps, batch = case.randint(1, 12), case.randint(1, 4)
        inputs, hidden = case.randint(1, 6), case.randint(1, 6)
        _sequence_case(ctx, mine, case.generator, steps, batch, inputs, hidden, case.name)
    return "matches nn.LSTM (one layer) on 1 visible and 8 hidden sequences"
