"""Check for the linear-logistic lab: seven steps. Each compares the learner's code with torch's
own (nn.Linear with the same weights, F.mse_loss, torch.linalg.lstsq,
F.binary_cross_entropy_with_logits, nn.BCEWithLogitsLoss and an SGD step) computed in this
run, on a visible case and seeded hidden ones, then trains logistic regression to a held-out
accuracy."""

import inspect
import io
import itertools
import math
import textwrap
import tokenize

import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases

check = Check()
FILE = "regression.py"

# Names that would let torch do the work the lab asks you to write.
MODEL_NAMES = {"Linear", "optim", "SGD", "Adam"}
LOSS_NAMES = {"mse_loss", "MSELoss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "BCELoss"}
LOSS_NAMES |= {"BCEWithLogitsLoss", "cross_entropy", "CrossEntropyLoss"}


def _f64_device(ctx) -> torch.device:
    """Where float64 work runs: the chosen device, except MPS, which has no float64."""
    return torch.device("cpu") if ctx.device.type == "mps" else ctx.device


def _names_in(func) -> set:
    """The attributes a function's code reads, like `optim` and `SGD` in torch.optim.SGD (comments
    and strings left out; the learner's own function names are not attributes)."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return set()
    return {b.string for a, b in itertools.pairwise(tokens) if a.string == "." and b.type == tokenize.NAME}


def _from_scratch(func, forbidden: set, instead: str) -> None:
    used = sorted(_names_in(func) & forbidden)
    if used:
        fail(
            f"{func.__name__} uses {', '.join(used)}: in this lab you write that part yourself ({instead}). "
            "The check compares your code with torch's own, so calling it would prove nothing."
        )


def _pair(result, name: str):
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(f"{name} should return a tuple (w, b); got {type(result).__name__}")
    return result


def _ratio_hint(got, expected, n: int) -> str:
    """A likely cause when the learner's loss is a clean multiple of the expected one."""
    try:
        got, expected = float(got), float(expected)
    except (TypeError, ValueError):
        return ""
    if expected == 0 or not math.isfinite(got):
        return ""
    ratio = got / expected
    if n > 1 and math.isclose(ratio, n, rel_tol=1e-4):
        return f"Your loss is n = {n} times torch's: you summed over the examples; the mean divides by n."
    if math.isclose(ratio, 0.5, rel_tol=1e-4):
        return "Your loss is half of torch's: the mean squared error has no 1/2 factor here."
    return ""


def _linear_reference(x, w, b):
    """nn.Linear(d, 1) with w and b copied in: what linear_forward must match."""
    layer = torch.nn.Linear(x.shape[1], 1).to(x.device)
    with torch.no_grad():
        layer.weight.copy_(w.reshape(1, -1))
        layer.bias.copy_(b.reshape(1))
        return layer(x).squeeze(-1)


@check.step("linear-forward")
def linear_forward(ctx):
    """linear_forward matches nn.Linear(d, 1) given the same weight and bias."""
    mine = ctx.learner(FILE)
    _from_scratch(mine.linear_forward, MODEL_NAMES, "x @ w + b")
    hint = "Each prediction is x[i] @ w + b: keep the bias, and return shape (n,), not (n, 1)."
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.0, -1.0]], device=ctx.device)
    w = torch.tensor([0.5, -1.0], device=ctx.device)
    b = torch.tensor(2.0, device=ctx.device)
    assert_close(
        mine.linear_forward(x, w, b),
        _linear_reference(x, w, b),
        rtol=1e-5,
        atol=1e-5,
        name="linear_forward(x, w, b), x (3, 2), w (2,), b = 2.0, against nn.Linear(2, 1)",
        hint=hint,
    )
    for case in hidden_cases(seed=21, count=10):
        n, d = case.randint(1, 8), case.randint(1, 5)
        x, w = case.randn(n, d, device=ctx.device), case.randn(d, device=ctx.device)
        b = case.randn(1, device=ctx.device).reshape(())
        assert_close(
            mine.linear_forward(x, w, b),
            _linear_reference(x, w, b),
            rtol=1e-5,
            atol=1e-5,
            name=f"linear_forward(x, w, b), {case.name}, x ({n}, {d}), w ({d},)",
            hint=hint,
        )


@check.step("mse-loss")
def mse_loss(ctx):
    """mse_loss matches F.mse_loss (the mean), in value and in gradient."""
    mine = ctx.learner(FILE)
    _from_scratch(mine.mse_loss, LOSS_NAMES, "mean((pred - y) ** 2)")
    base = "Return the 0-dim tensor ((pred - y) ** 2).mean(), not a float: .item() cuts it off from autograd."
    pred = torch.tensor([1.0, 2.0, 3.0, 4.0], device=ctx.device)
    y = torch.tensor([1.5, 2.0, 2.0, 5.0], device=ctx.device)
    cases = [("pred (4,), y (4,)", pred, y)]
    for case in hidden_cases(seed=22, count=10):
        n = case.randint(1, 20)
        cases.append((f"{case.name}, pred ({n},)", case.randn(n, device=ctx.device), case.randn(n, device=ctx.device)))
    for label, pred, y in cases:
        got, expected = mine.mse_loss(pred, y), F.mse_loss(pred, y)
        hint = _ratio_hint(got, expected, pred.shape[0]) or base
        assert_close(got, expected, rtol=1e-5, atol=1e-6, name=f"mse_loss(pred, y), {label}", hint=hint)
    device = _f64_device(ctx)
    g = torch.Generator().manual_seed(23)
    pred, y = torch.randn(6, generator=g, dtype=torch.float64), torch.randn(6, generator=g, dtype=torch.float64)
    pred, y = pred.to(device), y.to(device)
    leaf = pred.clone().requires_grad_(True)
    mine.mse_loss(leaf, y).backward()
    if leaf.grad is None:
        fail("no gradient reached pred through mse_loss: build the loss from torch operations on pred. " + base)
    error = grad_check(
        lambda p: mine.mse_loss(p, y), pred, leaf.grad, name="d mse_loss / d pred (autograd through your loss)"
    )
    ctx.metrics["grad_rel_error"] = error


def _lstsq(x, y):
    design = torch.cat([x, torch.ones(x.shape[0], 1, dtype=x.dtype, device=x.device)], dim=1)
    theta = torch.linalg.lstsq(design, y[:, None]).solution[:, 0]
    return theta[:-1], theta[-1]


@check.step("closed-form")
def closed_form(ctx):
    """normal_equations matches torch.linalg.lstsq with a column of ones (float64)."""
    mine = ctx.learner(FILE)
    device = _f64_device(ctx)
    x = torch.tensor([[0.0], [1.0], [2.0], [3.0]], dtype=torch.float64, device=device)
    y = torch.tensor([1.0, 3.0, 5.0, 7.0], dtype=torch.float64, device=device)
    cases = [("x (4, 1), y = 2x + 1", x, y)]
    for case in hidden_cases(seed=24, count=10):
        d = case.randint(1, 5)
        n = case.randint(d + 2, 30)
        x = case.randn(n, d, dtype=torch.float64, device=device)
        w_true, b_true = case.randn(d, dtype=torch.float64, device=device), 3 * case.randn(1, dtype=torch.float64)
        y = x @ w_true + b_true.item() + 0.3 * case.randn(n, dtype=torch.float64, device=device)
        cases.append((f"{case.name}, x ({n}, {d})", x, y))
    for label, x, y in cases:
        w, b = _pair(mine.normal_equations(x, y), "normal_equations(x, y)")
        w_ref, b_ref = _lstsq(x, y)
        hint = "Solve (X^T X) theta = X^T y with X = [x, ones]: w = theta[:d] (shape (d,)), b = theta[d] (shape ())."
        if isinstance(b, torch.Tensor) and b.numel() == 1 and abs(float(b)) < 1e-12 < abs(float(b_ref)):
            hint = (
                "b came back 0: without a column of ones in X the fit is forced through the origin. "
                "Append ones (dtype=x.dtype, device=x.device) so the bias is one more weight."
            )
        assert_close(w, w_ref, rtol=1e-6, atol=1e-8, name=f"w from normal_equations, {label}", hint=hint)
        assert_close(b, b_ref, rtol=1e-6, atol=1e-8, name=f"b from normal_equations, {label}", hint=hint)


@check.step("fit-linear")
def fit_linear(ctx):
    """500 steps of gradient descent (lr 0.1) reach the closed-form least-squares solution."""
    mine = ctx.learner(FILE)
    _from_scratch(mine.fit_linear, MODEL_NAMES | LOSS_NAMES | {"lstsq", "solve", "pinv"}, "a loop with autograd")
    g = torch.Generator().manual_seed(25)
    x = torch.randn(200, 3, generator=g)
    y = x @ torch.tensor([1.5, -2.0, 0.5]) + 3.0 + 0.1 * torch.randn(200, generator=g)
    w_ref, b_ref = _lstsq(x.double(), y.double())
    x, y = x.to(ctx.device), y.to(ctx.device)
    w, b = _pair(mine.fit_linear(x, y, lr=0.1, steps=500), "fit_linear(x, y, lr=0.1, steps=500)")
    if not (isinstance(w, torch.Tensor) and isinstance(b, torch.Tensor)):
        fail(f"fit_linear should return two tensors (w, b); got {type(w).__name__} and {type(b).__name__}")
    w, b = w.detach(), b.detach()
    w_ref, b_ref = w_ref.float().to(ctx.device), b_ref.float().to(ctx.device)
    if not bool(torch.isfinite(w).all() and torch.isfinite(b).all()):
        fail("fit_linear gave inf or NaN: gradient descent diverged. Do you clear w.grad and b.grad after each step?")
    hint = (
        "Start from w = 0, b = 0 with requires_grad=True; each step: loss, backward(), update under "
        "torch.no_grad(), then clear the gradients."
    )
    if b.numel() == 1 and float(b) == 0.0:
        hint = "b is still 0 after 500 steps: the bias must require grad and be updated like w."
    error = max(float((w.reshape(-1) - w_ref).abs().max()), float((b - b_ref).abs().max()))
    ctx.metrics["max_param_error"] = float(f"{error:.2e}")
    assert_close(w, w_ref, rtol=0, atol=2e-3, name="w after fit_linear, against torch.linalg.lstsq", hint=hint)
    assert_close(b, b_ref, rtol=0, atol=2e-3, name="b after fit_linear, against torch.linalg.lstsq", hint=hint)
    return f"gradient descent reached the closed form to within {error:.1e}"


@check.step("logistic-loss")
def logistic_loss(ctx):
    """bce_with_logits matches F.binary_cross_entropy_with_logits, in value and gradient, even for huge logits."""
    mine = ctx.learner(FILE)
    _from_scratch(mine.bce_with_logits, LOSS_NAMES, "max(z, 0) - z * y + log(1 + exp(-|z|))")
    hint = "Mean over the examples of -(y log p + (1 - y) log(1 - p)), p = sigmoid(z), computed from the logits z."
    cases = [
        (
            "logits [-2, 0.5, 3], y [0, 1, 1]",
            torch.tensor([-2.0, 0.5, 3.0], device=ctx.device),
            torch.tensor([0.0, 1.0, 1.0], device=ctx.device),
        )
    ]
    device = _f64_device(ctx)
    for case in hidden_cases(seed=26, count=10):  # float64: rounding must not hide a wrong formula
        n = case.randint(1, 16)
        y = (torch.rand(n, generator=case.generator) < 0.5).double().to(device)
        cases.append((f"{case.name}, logits ({n},) float64", 4 * case.randn(n, dtype=torch.float64, device=device), y))
    for label, z, y in cases:
        got, expected = mine.bce_with_logits(z, y), F.binary_cross_entropy_with_logits(z, y)
        small = z.dtype == torch.float32
        assert_close(
            got,
            expected,
            rtol=1e-5 if small else None,
            atol=1e-6 if small else None,
            name=f"bce_with_logits(logits, y), {label}",
            hint=_ratio_hint(got, expected, z.shape[0]) or hint,
        )
    g = torch.Generator().manual_seed(27)
    z = (3 * torch.randn(8, generator=g, dtype=torch.float64)).to(device)
    y = (torch.rand(8, generator=g) < 0.5).double().to(device)
    mine_z, ref_z = z.clone().requires_grad_(True), z.clone().requires_grad_(True)
    mine.bce_with_logits(mine_z, y).backward()
    F.binary_cross_entropy_with_logits(ref_z, y).backward()
    if mine_z.grad is None:
        fail("no gradient reached the logits through bce_with_logits: build the loss from torch operations on them")
    assert_close(
        mine_z.grad,
        ref_z.grad,
        name="d bce_with_logits / d logits (float64, autograd through yours vs through torch's)",
        hint="The gradient of the mean BCE is (sigmoid(z) - y) / n.",
    )
    z = torch.tensor([-100.0, -30.0, -18.0, 18.0, 30.0, 100.0], device=ctx.device)
    y = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0, 0.0], device=ctx.device)
    big = (
        "With |logits| up to 100, sigmoid rounds to exactly 0 or 1 in float32 and log(0) is -inf. Work from the "
        "logits: max(z, 0) - z * y + log1p(exp(-|z|)) never overflows."
    )
    mine_z, ref_z = z.clone().requires_grad_(True), z.clone().requires_grad_(True)
    got, expected = mine.bce_with_logits(mine_z, y), F.binary_cross_entropy_with_logits(ref_z, y)
    assert_close(
        got.detach() if isinstance(got, torch.Tensor) else got,
        expected.detach(),
        rtol=1e-5,
        atol=1e-5,
        name="bce_with_logits(logits, y), hidden large-logit case, logits [-100, -30, -18, 18, 30, 100]",
        hint=big,
    )
    got.backward()
    expected.backward()
    assert_close(
        mine_z.grad,
        ref_z.grad,
        rtol=1e-5,
        atol=1e-6,
        name="d bce_with_logits / d logits, hidden large-logit case",
        hint=big,
    )


@check.step("logistic-step")
def logistic_step(ctx):
    """Three calls of logistic_sgd_step match nn.Linear + nn.BCEWithLogitsLoss + an SGD step."""
    mine = ctx.learner(FILE)
    _from_scratch(mine.logistic_sgd_step, MODEL_NAMES | LOSS_NAMES, "linear_forward, bce_with_logits, a manual update")
    g = torch.Generator().manual_seed(28)
    x = torch.randn(32, 3, generator=g).to(ctx.device)
    y = (torch.rand(32, generator=g) < 0.5).float().to(ctx.device)
    w = torch.randn(3, generator=g).to(ctx.device).requires_grad_(True)
    b = torch.tensor(0.3, device=ctx.device, requires_grad=True)
    layer = torch.nn.Linear(3, 1).to(ctx.device)
    with torch.no_grad():
        layer.weight.copy_(w.reshape(1, 3))
        layer.bias.copy_(b.reshape(1))
    criterion = torch.nn.BCEWithLogitsLoss()
    for call in (1, 2, 3):
        with torch.no_grad():
            twice = F.binary_cross_entropy_with_logits(torch.sigmoid(x @ w + b), y).item()
        b_before = b.detach().clone()
        loss = mine.logistic_sgd_step(w, b, x, y, 0.5)
        layer.zero_grad()
        expected = criterion(layer(x).squeeze(-1), y)
        expected.backward()
        with torch.no_grad():  # torch.optim.SGD(lr=0.5).step() without momentum (importing torch.optim costs ~3 s)
            for parameter in layer.parameters():
                parameter -= 0.5 * parameter.grad
        if isinstance(loss, torch.Tensor):
            fail(f"logistic_sgd_step returned a tensor; return loss.item(), a float (call {call})")
        hint = "Return bce_with_logits(linear_forward(x, w, b), y) computed before the update, as a float."
        if (
            isinstance(loss, float)
            and math.isclose(loss, twice, rel_tol=1e-5)
            and not math.isclose(loss, expected.item(), rel_tol=1e-5)
        ):
            hint = (
                "Your loss equals the BCE of sigmoid(logits) treated as logits: sigmoid was applied twice, once by "
                "you and once inside the loss. bce_with_logits takes the raw scores x @ w + b."
            )
        assert_close(loss, expected.item(), rtol=1e-5, atol=1e-6, name=f"the loss returned by call {call}", hint=hint)
        if not (w.requires_grad and b.requires_grad):
            fail("after logistic_sgd_step, w or b no longer requires grad: update them in place inside torch.no_grad()")
        hint = "Update both in place under torch.no_grad(): w -= lr * w.grad, b -= lr * b.grad; then clear the grads."
        if call == 1 and torch.equal(b.detach(), b_before):
            hint = "b did not change: the bias has a gradient too, update it like w."
        elif call > 1:
            hint = f"Call 1 matched but call {call} did not: clear w.grad and b.grad after each update."
        expected_w, expected_b = layer.weight.detach().reshape(3), layer.bias.detach().reshape(())
        assert_close(
            w.detach(),
            expected_w,
            rtol=1e-5,
            atol=1e-6,
            name=f"w after call {call}, against nn.Linear + SGD",
            hint=hint,
        )
        assert_close(
            b.detach(),
            expected_b,
            rtol=1e-5,
            atol=1e-6,
            name=f"b after call {call}, against nn.Linear + SGD",
            hint=hint,
        )


def _blobs(n: int, generator: torch.Generator):
    """Two Gaussian classes, 4 standard deviations apart, centred away from the origin."""
    y = (torch.rand(n, generator=generator) < 0.5).float()
    centre, shift = torch.tensor([2.0, -1.0]), torch.tensor([1.6, 1.2])  # |2 * shift| = 4
    x = centre + (2 * y[:, None] - 1) * shift + torch.randn(n, 2, generator=generator)
    return x, y


@check.step("train-logistic", needs=["logistic-step"])
def train_logistic(ctx):
    """predict thresholds the logits at 0; 300 steps of logistic_sgd_step reach 93% held-out accuracy."""
    mine = ctx.learner(FILE)
    x = torch.tensor([[0.2], [0.4], [-0.3], [2.0], [-1.0]], device=ctx.device)
    w, b = torch.tensor([1.0], device=ctx.device), torch.tensor(0.0, device=ctx.device)
    got = mine.predict(x, w, b)
    if not isinstance(got, torch.Tensor):
        fail(f"predict should return a tensor of 0.0 / 1.0, got {type(got).__name__}")
    assert_close(
        got.float(),
        torch.tensor([1.0, 1.0, 0.0, 1.0, 0.0], device=ctx.device),
        name="predict(x, w, b) with logits [0.2, 0.4, -0.3, 2.0, -1.0]",
        hint="sigmoid(z) > 0.5 exactly when the logit z > 0: threshold logits at 0, probabilities at 0.5.",
    )
    g = torch.Generator().manual_seed(29)
    x, y = _blobs(1000, g)
    x_train, y_train, x_test, y_test = (t.to(ctx.device) for t in (x[:600], y[:600], x[600:], y[600:]))
    w = torch.zeros(2, device=ctx.device, requires_grad=True)
    b = torch.zeros((), device=ctx.device, requires_grad=True)
    steps = 300
    for i in range(1, steps + 1):
        loss = mine.logistic_sgd_step(w, b, x_train, y_train, 0.5)
        ctx.progress(i, steps, loss=loss)
    with torch.no_grad():
        predicted = mine.predict(x_test, w.detach(), b.detach()).float()
    accuracy = float((predicted == y_test).float().mean())
    ctx.metrics.update(test_acc=round(accuracy, 4), final_loss=round(loss, 4))
    if accuracy < 0.93:
        fail(f"held-out accuracy {accuracy:.3f} after {steps} steps is below 0.93 (the two classes are 4 sigma apart)")
    return f"held-out accuracy {accuracy:.3f} (threshold 0.93), final training loss {loss:.3f}"
