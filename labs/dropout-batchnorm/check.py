"""Check for the dropout-batchnorm lab: five steps. Dropout is judged statistically against
F.dropout (keep rate, the scale of kept values, the mean) and exactly in eval mode; batch norm
against torch.nn.BatchNorm1d in train and eval mode (outputs and running statistics); every
backward against float64 centred differences. Inputs are drawn on the CPU and moved to the
chosen device, so every device judges the same numbers."""

import inspect
import io
import itertools
import textwrap
import tokenize

import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases, seed_everything

check = Check()
FILE = "dropout_bn.py"

TORCH_LAYERS = {"dropout", "Dropout", "batch_norm", "BatchNorm1d", "functional", "layer_norm", "instance_norm"}
AUTOGRAD = {"backward", "autograd", "grad", "requires_grad_", "vjp"}


def _f64_device(ctx) -> torch.device:
    """Where float64 work runs: the chosen device, except MPS, which has no float64."""
    return torch.device("cpu") if ctx.device.type == "mps" else ctx.device


def _attributes_in(func) -> set:
    """The attributes a function's code reads (`dropout` in F.dropout), comments and strings left out."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (OSError, TypeError, tokenize.TokenError, SyntaxError):
        return set()
    return {b.string for a, b in itertools.pairwise(tokens) if a.string == "." and b.type == tokenize.NAME}


def _by_hand(func, forbidden: set, instead: str) -> None:
    used = sorted(_attributes_in(func) & forbidden)
    if used:
        fail(
            f"{func.__name__} uses {', '.join(used)}: in this lab you write it by hand ({instead}). "
            "The check compares your code with torch's own, so calling it would prove nothing."
        )


def _pair(result, name: str):
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(f"{name} should return a tuple (out, cache); got {type(result).__name__}")
    return result


def _dropout(mine, x, p, train):
    out, cache = _pair(mine.dropout_forward(x, p, train), f"dropout_forward(x, p={p}, train={train})")
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        fail(f"dropout_forward(x, p={p}, train={train}) should return out shaped like x {tuple(x.shape)}")
    return out, cache


@check.step("dropout-forward")
def dropout_forward(ctx):
    """Eval mode is the identity; train mode keeps 1 - p of the elements, scaled by 1 / (1 - p), like F.dropout."""
    mine = ctx.learner(FILE)
    _by_hand(mine.dropout_forward, TORCH_LAYERS, "a random mask and a scale")
    g = torch.Generator().manual_seed(41)
    x = torch.randn(4, 6, generator=g).to(ctx.device)
    before = x.clone()
    out, _ = _dropout(mine, x, 0.5, False)
    assert_close(
        out,
        F.dropout(x, 0.5, training=False),
        name="dropout_forward(x, p=0.5, train=False), against F.dropout(training=False)",
        hint="At evaluation time dropout is the identity: return x unchanged, no mask and no scaling.",
    )
    ones = torch.ones(200, 500, device=ctx.device)
    for p in (0.2, 0.5, 0.8):
        seed_everything(41)
        out, _ = _dropout(mine, ones, p, True)
        reference = F.dropout(ones, p, training=True)
        ref_keep, ref_value = float((reference != 0).float().mean()), float(reference[reference != 0][0])
        kept = out != 0
        keep, values = float(kept.float().mean()), out[kept]
        value = float(values[0]) if values.numel() else float("nan")
        said = (
            f"On a (200, 500) tensor of ones, F.dropout(x, p={p}) keeps {ref_keep:.1%} of the elements and "
            f"scales them to {ref_value:.4g}; yours keeps {keep:.1%} and the first kept one is {value:.4g}."
        )
        if abs(keep - (1 - p)) > 0.01:
            hint = "p is the probability of dropping an element: keep it where rand >= p (with probability 1 - p)."
            if abs(keep - p) < 0.01:
                hint = "You keep a fraction p: " + hint
            fail(f"{said}\n{hint}")
        if not torch.allclose(values, torch.full_like(values, 1 / (1 - p)), rtol=1e-5, atol=0):
            fail(
                f"{said}\nInverted dropout divides the kept elements by 1 - p = {1 - p:.1f}, so that the expected "
                "output equals x and nothing needs rescaling at test time."
            )
        mean = float(out.mean())
        if abs(mean - 1) > 0.03:
            fail(f"{said}\nThe mean of the output is {mean:.4f}; inverted dropout keeps it at 1 (the mean of x).")
    if not torch.equal(x, before):
        fail("dropout_forward changed its input x in place; build a new tensor (x * mask, not x *= mask)")
    for case in hidden_cases(seed=42, count=8):
        shape, p = case.shape(case.randint(1, 3), 1, 6), round(case.rng.uniform(0.05, 0.9), 2)
        x = case.randn(*shape, device=ctx.device)
        before = x.clone()
        out, _ = _dropout(mine, x, p, False)
        assert_close(out, x, name=f"dropout_forward(x, p={p}, train=False), {case.name}, x {shape}")
        out, _ = _dropout(mine, x, p, True)
        kept = out != 0
        assert_close(
            out[kept],
            x[kept] / (1 - p),
            rtol=1e-5,
            atol=1e-6,
            name=f"the kept elements of dropout_forward(x, p={p}, train=True), {case.name}, x {shape}",
            hint="Each element of the output is either 0 or x / (1 - p).",
        )
        if not torch.equal(x, before):
            fail("dropout_forward changed its input x in place; build a new tensor (x * mask, not x *= mask)")


def _same_mask(mine, p, seed):
    """f(x) = dropout_forward(x, p, train=True) with the random generators reseeded on every call,
    so that the numerical gradient sees the same mask each time."""

    def forward(x):
        seed_everything(seed)
        return mine.dropout_forward(x, p, True)[0]

    return forward


@check.step("dropout-backward")
def dropout_backward(ctx):
    """dropout_backward passes dout through the same mask and scale: numerical gradients with the mask fixed."""
    mine = ctx.learner(FILE)
    _by_hand(mine.dropout_backward, AUTOGRAD, "dout times the mask")
    g = torch.Generator().manual_seed(43)
    x = torch.randn(4, 5, generator=g).to(ctx.device)
    dout = torch.randn(4, 5, generator=g).to(ctx.device)
    _, cache = _dropout(mine, x, 0.5, False)
    assert_close(
        mine.dropout_backward(dout, cache),
        dout,
        name="dropout_backward(dout, cache) after train=False",
        hint="In eval mode the forward pass is the identity, so the gradient is dout itself.",
    )
    device = _f64_device(ctx)
    cases = [("x (4, 5), p = 0.4", (4, 5), 0.4)]
    for case in hidden_cases(seed=44, count=4):
        shape, p = case.shape(case.randint(1, 3), 1, 5), round(case.rng.uniform(0.1, 0.8), 2)
        cases.append((f"{case.name}, x {shape}, p = {p}", shape, p))
    worst = 0.0
    for index, (label, shape, p) in enumerate(cases):
        x = torch.randn(*shape, generator=g, dtype=torch.float64).to(device)
        dout = torch.randn(*shape, generator=g, dtype=torch.float64).to(device)
        forward = _same_mask(mine, p, seed=45 + index)
        out = forward(x)
        seed_everything(45 + index)
        _, cache = mine.dropout_forward(x, p, True)
        dx = mine.dropout_backward(dout, cache)
        hint = "dx = dout * mask / (1 - p): the same mask and the same 1 / (1 - p) scale as the forward pass."
        if isinstance(dx, torch.Tensor) and dx.shape == dout.shape and torch.allclose(dx, dout * (out != 0)):
            hint = f"Your dx is missing the 1 / (1 - p) = {1 / (1 - p):.3g} scale: the forward pass multiplied by it."
        error = grad_check(
            forward, x, dx, upstream=dout, threshold=1e-7, name=f"dropout_backward dx, {label}", hint=hint
        )
        worst = max(worst, error)
    ctx.metrics["dropout_rel_error"] = float(f"{worst:.2e}")


def _state(d: int, device) -> dict:
    return {"running_mean": torch.zeros(d, device=device), "running_var": torch.ones(d, device=device)}


def _bn_reference(gamma, beta, momentum, eps=1e-5):
    layer = torch.nn.BatchNorm1d(gamma.shape[0], eps=eps, momentum=momentum).to(gamma.device)
    with torch.no_grad():
        layer.weight.copy_(gamma)
        layer.bias.copy_(beta)
    return layer


def _normalized(x, mean, var, gamma, beta, eps=1e-5):
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


def _close(a, b) -> bool:
    return isinstance(a, torch.Tensor) and a.shape == b.shape and bool(torch.allclose(a, b, rtol=1e-4, atol=1e-5))


def _train_hint(what, got, x, gamma, beta, running_before, momentum) -> str:
    """A likely cause, found by recomputing with the usual mistakes and seeing which one matches."""
    n = x.shape[0]
    mean, biased, unbiased = x.mean(0), x.var(0, unbiased=False), x.var(0, unbiased=True)
    if what == "out":
        if _close(got, _normalized(x, mean, unbiased, gamma, beta)):
            return (
                "You normalized with the unbiased variance: torch's x.var() divides by N - 1 by default. Batch norm "
                "normalizes with the biased one, x.var(dim=0, unbiased=False), as nn.BatchNorm1d does."
            )
        return (
            "out = gamma * (x - mean) / sqrt(var + eps) + beta, with the batch's mean and biased variance per column."
        )
    old_mean, old_var = running_before
    if what == "running_var":
        if _close(got, (1 - momentum) * old_var + momentum * biased):
            return (
                f"torch updates running_var with the unbiased batch variance (N / (N - 1) = {n}/{n - 1} times the "
                "biased one), although it normalizes with the biased variance. See the nn.BatchNorm1d docs."
            )
        if _close(got, momentum * old_var + (1 - momentum) * unbiased):
            return (
                "momentum is the weight of the new batch statistic in torch: running = (1 - momentum) * running "
                "+ momentum * batch (cs231n's momentum is the weight of the old value, the other way round)."
            )
        return "running_var = (1 - momentum) * running_var + momentum * the unbiased batch variance."
    if _close(got, momentum * old_mean + (1 - momentum) * mean):
        return (
            "momentum is the weight of the new batch statistic in torch: running = (1 - momentum) * running "
            "+ momentum * batch (cs231n's momentum is the weight of the old value, the other way round)."
        )
    return "running_mean = (1 - momentum) * running_mean + momentum * the batch mean."


def _bn_train_calls(ctx, mine, label, batches, gamma, beta, momentum):
    """Feed the same batches through the learner's batchnorm and nn.BatchNorm1d in train mode."""
    state, layer = _state(gamma.shape[0], ctx.device), _bn_reference(gamma, beta, momentum)
    layer.train()
    for call, x in enumerate(batches, start=1):
        before = (state["running_mean"].clone(), state["running_var"].clone())
        out, _ = _pair(
            mine.batchnorm_forward(x, gamma, beta, state, True, momentum=momentum),
            "batchnorm_forward(..., train=True)",
        )
        with torch.no_grad():
            expected = layer(x)
        where = f"{label}, call {call}, x {tuple(x.shape)}, momentum {momentum}"
        assert_close(
            out,
            expected,
            rtol=1e-4,
            atol=1e-5,
            name=f"batchnorm_forward out (train), {where}, against nn.BatchNorm1d",
            hint=_train_hint("out", out, x, gamma, beta, before, momentum),
        )
        for key, buffer in (("running_mean", layer.running_mean), ("running_var", layer.running_var)):
            assert_close(
                state.get(key),
                buffer,
                rtol=1e-4,
                atol=1e-6,
                name=f"state['{key}'] after {where}, against nn.BatchNorm1d.{key}",
                hint=_train_hint(key, state.get(key), x, gamma, beta, before, momentum),
            )
    return state, layer


@check.step("batchnorm-train")
def batchnorm_train(ctx):
    """Train mode: outputs and running statistics match nn.BatchNorm1d over several calls."""
    mine = ctx.learner(FILE)
    _by_hand(mine.batchnorm_forward, TORCH_LAYERS, "the batch mean and variance, and the running averages")
    x = torch.tensor([[1.0, 2.0, -1.0], [3.0, 0.0, 0.5], [-2.0, 1.0, 2.5], [0.0, 5.0, 1.0]], device=ctx.device)
    gamma = torch.tensor([1.0, 2.0, 0.5], device=ctx.device)
    beta = torch.tensor([0.0, -1.0, 0.5], device=ctx.device)
    _bn_train_calls(ctx, mine, "visible case", [x, 2 * x + 1, x.flip(0) - 3], gamma, beta, 0.1)
    for case in hidden_cases(seed=46, count=8):
        n, d = case.randint(2, 9), case.randint(1, 5)
        momentum = case.rng.choice([0.05, 0.1, 0.3])
        gamma, beta = 1 + case.randn(d, device=ctx.device), case.randn(d, device=ctx.device)
        batches = [2 * case.randn(n, d, device=ctx.device) + 1 for _ in range(3)]
        _bn_train_calls(ctx, mine, case.name, batches, gamma, beta, momentum)


@check.step("batchnorm-eval", needs=["batchnorm-train"])
def batchnorm_eval(ctx):
    """Eval mode normalizes with the running statistics (even one example at a time) and updates nothing."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(47)
    hint = (
        "In eval mode normalize with state['running_mean'] and state['running_var'], not the batch's statistics, "
        "and leave them unchanged. A test example must not depend on the others in its batch."
    )
    cases = [("visible case", 16, 4, 0.1, 5)]
    for case in hidden_cases(seed=48, count=4):
        cases.append(
            (case.name, case.randint(2, 12), case.randint(1, 5), case.rng.choice([0.1, 0.3]), case.randint(1, 4))
        )
    for label, n, d, momentum, calls in cases:
        gamma = (1 + torch.randn(d, generator=g)).to(ctx.device)
        beta = torch.randn(d, generator=g).to(ctx.device)
        batches = [(3 + 2 * torch.randn(n, d, generator=g)).to(ctx.device) for _ in range(calls)]
        state, layer = _bn_train_calls(ctx, mine, f"{label}, training first", batches, gamma, beta, momentum)
        layer.eval()
        for size in (1, 6):
            x = (3 + 2 * torch.randn(size, d, generator=g)).to(ctx.device)
            before = {k: v.clone() for k, v in state.items()}
            out, _ = _pair(mine.batchnorm_forward(x, gamma, beta, state, False, momentum=momentum), "batchnorm_forward")
            with torch.no_grad():
                expected = layer(x)
            message = hint
            if size == 1 and _close(out, beta.expand(1, d)):
                message = (
                    "Every output equals beta: with one example the batch mean is the example itself and the batch "
                    "variance is 0. " + hint
                )
            assert_close(
                out,
                expected,
                rtol=1e-4,
                atol=1e-5,
                name=f"batchnorm_forward out (eval), {label}, a test batch of {size}, against nn.BatchNorm1d.eval()",
                hint=message,
            )
            for key in before:
                assert_close(
                    state.get(key),
                    before[key],
                    name=f"state['{key}'] after an eval-mode call, {label}",
                    hint="Eval mode must not update the running statistics: only train mode learns them.",
                )


@check.step("batchnorm-backward")
def batchnorm_backward(ctx):
    """dx, dgamma and dbeta from batchnorm_backward agree with float64 centred differences of batch norm
    (train mode: the formula nn.BatchNorm1d was matched against in batchnorm-train)."""
    mine = ctx.learner(FILE)
    _by_hand(mine.batchnorm_backward, AUTOGRAD | TORCH_LAYERS, "the chain rule through the mean and variance")
    device = _f64_device(ctx)
    g = torch.Generator().manual_seed(49)
    cases = [("x (5, 3)", 5, 3)]
    for case in hidden_cases(seed=50, count=5):
        n, d = case.randint(2, 8), case.randint(1, 5)
        cases.append((f"{case.name}, x ({n}, {d})", n, d))
    worst = 0.0
    for label, n, d in cases:
        x = (1 + 2 * torch.randn(n, d, generator=g, dtype=torch.float64)).to(device)
        gamma = (1 + torch.randn(d, generator=g, dtype=torch.float64)).to(device)
        beta = torch.randn(d, generator=g, dtype=torch.float64).to(device)
        dout = torch.randn(n, d, generator=g, dtype=torch.float64).to(device)
        state = {"running_mean": torch.zeros(d, dtype=torch.float64, device=device)}
        state["running_var"] = torch.ones(d, dtype=torch.float64, device=device)
        _, cache = _pair(mine.batchnorm_forward(x, gamma, beta, state, True), "batchnorm_forward")
        result = mine.batchnorm_backward(dout, cache)
        if not (isinstance(result, tuple) and len(result) == 3):
            fail(f"batchnorm_backward should return (dx, dgamma, dbeta); got {type(result).__name__}")
        dx, dgamma, dbeta = result
        hints = {
            "x": "dx_hat = dout * gamma; dx = (N dx_hat - dx_hat.sum(0) - x_hat (dx_hat x_hat).sum(0)) / (N std).",
            "gamma": "dgamma = (dout * x_hat).sum(dim=0): gamma scales x_hat in every row.",
            "beta": "dbeta = dout.sum(dim=0): beta is added to every row.",
        }
        inv_std = 1 / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
        if isinstance(dx, torch.Tensor) and _close(dx, dout * gamma * inv_std):
            hints["x"] = (
                "Your dx treats the batch mean and variance as constants (that is eval mode's gradient). In train "
                "mode they depend on every x too: " + hints["x"]
            )
        for name, value, analytic in (("x", x, dx), ("gamma", gamma, dgamma), ("beta", beta, dbeta)):
            inputs = {"x": x, "gamma": gamma, "beta": beta}

            def f(v, name=name, inputs=inputs):
                args = {**inputs, name: v}  # batch norm in train mode, with one input replaced by v
                x_ = args["x"]
                return _normalized(x_, x_.mean(0), x_.var(0, unbiased=False), args["gamma"], args["beta"])

            error = grad_check(
                f,
                value,
                analytic,
                upstream=dout,
                threshold=1e-6,
                name=f"d{name} from batchnorm_backward, {label}",
                hint=hints[name],
            )
            worst = max(worst, error)
    ctx.metrics["batchnorm_rel_error"] = float(f"{worst:.2e}")
