"""Check for the backprop-numpy lab (cs231n style): six steps. Every backward pass is compared
with float64 centred differences (relative error thresholds), every forward pass and loss
with torch computed in this run, on a visible case and seeded hidden ones; then the two-layer
net learns scikit-learn's digits with the gradients you derived.

The learner's code is NumPy, so it runs on the CPU whatever --device says; the torch
references run on the chosen device (in float64, so on the CPU when that device is MPS)."""

import math
import traceback
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases

check = Check()
FILE = "layers.py"

AFFINE_HINTS = {
    "dx": "dx = dout @ w.T: (N, M) @ (M, D) gives (N, D), the shape of x.",
    "dw": "dw = x.T @ dout: (D, N) @ (N, M) gives (D, M), the shape of w.",
    "db": "db = dout.sum(axis=0): b was added to each of the N rows, so its gradient sums over them.",
}


def _device(ctx) -> torch.device:
    """Where the float64 torch references run: the chosen device, except MPS (no float64)."""
    return torch.device("cpu") if ctx.device.type == "mps" else ctx.device


def _torch(ctx, array) -> torch.Tensor:
    return torch.from_numpy(np.asarray(array)).to(_device(ctx))


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def _randn(case, *shape) -> np.ndarray:
    return case.randn(*shape, dtype=torch.float64).numpy()


def _your_line(exc: BaseException, workspace: Path) -> str:
    """' at layers.py line 17 (`dx = dout @ w`)' for the deepest frame in the learner's files."""
    folder = workspace.resolve()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(folder)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f" (`{frame.line.strip()}`)" if frame.line else ""
    return f" at {Path(frame.filename).name} line {frame.lineno}{code}"


def _call(ctx, func, *args, what: str, hint: str):
    """Call the learner's function; a NumPy shape error becomes a message about the shapes."""
    try:
        return func(*args)
    except ValueError as exc:
        fail(f"{what} raised ValueError{_your_line(exc, ctx.workspace)}:\n{exc}\n{hint}")


def _parts(result, count: int, name: str):
    if not (isinstance(result, tuple) and len(result) == count):
        got = f"a tuple of {len(result)}" if isinstance(result, tuple) else type(result).__name__
        fail(f"{name} should return a tuple of {count}; got {got}")
    return result


def _np_loss(scores, y) -> float:
    """Softmax cross-entropy in plain NumPy: the fast reference that numerical gradients differentiate."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


def _np_net_loss(x, params, y) -> float:
    hidden = np.maximum(0, x @ params["W1"] + params["b1"])
    return _np_loss(hidden @ params["W2"] + params["b2"], y)


def _ratio(a, b) -> float:
    """How many times larger a is than b, when a is a clean multiple of it (else nan)."""
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape or not np.all(np.isfinite(a)) or np.abs(b).max(initial=0) == 0:
        return float("nan")
    i = int(np.argmax(np.abs(b)))
    ratio = a[i] / b[i]
    return float(ratio) if np.allclose(a, ratio * b, rtol=1e-6, atol=1e-12) else float("nan")


@check.step("affine-forward")
def affine_forward(ctx):
    """affine_forward matches torch's F.linear and returns (out, cache)."""
    mine = ctx.learner(FILE)
    hint = "out = x @ w + b: (N, D) @ (D, M) gives (N, M), and b (M,) broadcasts over the rows."
    x = np.arange(8, dtype=np.float64).reshape(2, 4) / 4 - 1
    w = np.linspace(-1, 1, 12).reshape(4, 3)
    b = np.array([0.1, -0.2, 0.3])
    cases = [("x (2, 4), w (4, 3), b (3,)", x, w, b)]
    for case in hidden_cases(seed=31, count=8):
        n, d, m = case.shape(3, 1, 6)
        cases.append(
            (f"{case.name}, x ({n}, {d}), w ({d}, {m})", _randn(case, n, d), _randn(case, d, m), _randn(case, m))
        )
    for label, x, w, b in cases:
        result = _call(ctx, mine.affine_forward, x, w, b, what=f"affine_forward, {label},", hint=hint)
        out, _ = _parts(result, 2, "affine_forward (out, cache)")
        expected = _numpy(F.linear(_torch(ctx, x), _torch(ctx, w).T, _torch(ctx, b)))
        assert_close(out, expected, name=f"affine_forward out, {label}", hint=hint)


@check.step("affine-backward")
def affine_backward(ctx):
    """dx, dw and db from affine_backward agree with float64 centred differences."""
    mine = ctx.learner(FILE)
    g = np.random.default_rng(32)
    cases = [("x (2, 4), w (4, 3)", g.standard_normal((2, 4)), g.standard_normal((4, 3)), g.standard_normal(3))]
    for case in hidden_cases(seed=32, count=6):
        n, d, m = case.shape(3, 1, 5)
        m = d if case.index == 0 else m  # a square w: a missing transpose no longer breaks the shapes
        cases.append(
            (f"{case.name}, x ({n}, {d}), w ({d}, {m})", _randn(case, n, d), _randn(case, d, m), _randn(case, m))
        )
    worst = 0.0
    for label, x, w, b in cases:
        dout = g.standard_normal((x.shape[0], w.shape[1]))
        _, cache = mine.affine_forward(x, w, b)
        shapes = f"dout {dout.shape}, x {x.shape}, w {w.shape}"
        result = _call(
            ctx,
            mine.affine_backward,
            dout,
            cache,
            what=f"affine_backward with {shapes}",
            hint="Write each product's shapes down: " + " ".join(AFFINE_HINTS.values()),
        )
        dx, dw, db = _parts(result, 3, "affine_backward (dx, dw, db)")
        for name, value, f, analytic in (
            ("x", x, lambda x_, w=w, b=b: x_ @ w + b, dx),
            ("w", w, lambda w_, x=x, b=b: x @ w_ + b, dw),
            ("b", b, lambda b_, x=x, w=w: x @ w + b_, db),
        ):
            error = grad_check(
                f,
                value,
                analytic,
                upstream=dout,
                threshold=1e-7,
                name=f"d{name} from affine_backward, {label}",
                hint=AFFINE_HINTS[f"d{name}"],
            )
            worst = max(worst, error)
    ctx.metrics["affine_rel_error"] = float(f"{worst:.2e}")


@check.step("relu")
def relu(ctx):
    """relu_forward is max(0, x); relu_backward matches torch at exactly 0 and numerical gradients elsewhere."""
    mine = ctx.learner(FILE)
    x = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0], [0.0, 1.0, -1.0, 3.0, 0.0]])
    out, cache = _parts(mine.relu_forward(x), 2, "relu_forward (out, cache)")
    expected = _numpy(torch.relu(_torch(ctx, x)))
    assert_close(out, expected, name="relu_forward out, x (2, 5)", hint="out = np.maximum(0, x), elementwise.")
    dout = np.arange(1.0, 11.0).reshape(2, 5)
    leaf = _torch(ctx, x).requires_grad_(True)
    torch.relu(leaf).backward(_torch(ctx, dout))
    dx, expected = mine.relu_backward(dout, cache), _numpy(leaf.grad)
    hint = "dx = dout * (x > 0): the gradient passes where the input was positive, a 0/1 mask, not the output values."
    if isinstance(dx, np.ndarray) and dx.shape == x.shape and np.allclose(dx[x != 0], expected[x != 0]):
        hint = (
            "Right everywhere except where x is exactly 0: torch's ReLU passes no gradient at 0 (the mask is "
            "x > 0, not x >= 0). Zeros are common: inputs padded with 0, or the output of an earlier ReLU."
        )
    assert_close(dx, expected, name="relu_backward dx, x (2, 5) with exact zeros, against torch.relu", hint=hint)
    hint = "dx = dout * (x > 0) with x the input saved in the cache; multiplying by max(0, x) scales by the output."
    worst = 0.0
    for case in hidden_cases(seed=33, count=6):
        shape = case.shape(case.randint(1, 3), 1, 5)
        raw = _randn(case, *shape)
        x = np.sign(raw) * (np.abs(raw) + 0.05)  # away from the kink at 0, where the slope jumps
        dout = _randn(case, *shape)
        out, cache = mine.relu_forward(x)
        assert_close(out, np.maximum(0, x), name=f"relu_forward out, {case.name}, x {shape}")
        error = grad_check(
            lambda x_: np.maximum(0, x_),
            x,
            mine.relu_backward(dout, cache),
            upstream=dout,
            threshold=1e-7,
            name=f"relu_backward dx, {case.name}, x {shape}",
            hint=hint,
        )
        worst = max(worst, error)
    ctx.metrics["relu_rel_error"] = float(f"{worst:.2e}")


@check.step("softmax-loss")
def softmax_loss(ctx):
    """softmax_loss matches F.cross_entropy; dscores agrees with numerical gradients; huge scores stay finite."""
    mine = ctx.learner(FILE)
    scores = np.array([[1.0, 2.0, 0.5, -1.0], [0.0, -0.5, 1.5, 2.0], [3.0, 1.0, 0.2, 0.0]])
    cases = [("scores (3, 4), y [0, 3, 1]", scores, np.array([0, 3, 1]))]
    for case in hidden_cases(seed=34, count=6):
        n, c = case.randint(1, 8), case.randint(2, 6)
        y = np.array([case.randint(0, c - 1) for _ in range(n)])
        cases.append((f"{case.name}, scores ({n}, {c})", 3 * _randn(case, n, c), y))
    worst = 0.0
    for label, scores, y in cases:
        n = scores.shape[0]
        labels = _torch(ctx, y).long()  # int64 labels, whatever NumPy's default int is
        loss, dscores = _parts(mine.softmax_loss(scores, y), 2, "softmax_loss (loss, dscores)")
        expected = F.cross_entropy(_torch(ctx, scores), labels).item()
        hint = "loss = the mean over the N rows of -log(softmax(scores[i])[y[i]])."
        if n > 1 and np.isclose(_ratio(loss, expected), n):
            hint = f"Your loss is N = {n} times torch's: divide the summed loss by N (the mean over the batch)."
        assert_close(loss, expected, name=f"softmax_loss loss, {label}, against F.cross_entropy", hint=hint)
        hint = "dscores = (softmax(scores) - one_hot(y)) / N."
        if n > 1 and isinstance(dscores, np.ndarray) and dscores.shape == scores.shape:
            leaf = _torch(ctx, scores).requires_grad_(True)
            F.cross_entropy(leaf, labels).backward()
            if np.isclose(_ratio(dscores, _numpy(leaf.grad)), n):
                hint = f"Your dscores is N = {n} times the true gradient: the loss is a mean, so divide it by N too."
        error = grad_check(
            lambda s, y=y: _np_loss(s, y),
            scores,
            dscores,
            threshold=1e-7,
            name=f"softmax_loss dscores, {label}",
            hint=hint,
        )
        worst = max(worst, error)
    ctx.metrics["softmax_rel_error"] = float(f"{worst:.2e}")
    scores = 1000 * np.random.default_rng(35).standard_normal((4, 5))
    y = np.array([0, 1, 2, 3])
    label = "hidden large-score case, scores (4, 5) of size ~1000"
    loss, dscores = mine.softmax_loss(scores, y)
    hint = _large_score_hint(loss)
    leaf = _torch(ctx, scores).requires_grad_(True)
    expected = F.cross_entropy(leaf, _torch(ctx, y).long())
    expected.backward()
    assert_close(loss, expected.item(), name=f"softmax_loss loss, {label}", hint=hint)
    assert_close(dscores, _numpy(leaf.grad), name=f"softmax_loss dscores, {label}", hint=hint)


def _large_score_hint(loss):
    """Why a loss on scores of size ~1000 went wrong: overflow (NaN) or log(0) after underflow (inf)."""
    try:
        value = float(loss)
    except (TypeError, ValueError):
        value = 0.0
    if math.isinf(value):
        return (
            "Your loss is inf: after subtracting the max, a correct class scored ~1000 below it has probability "
            "exp(-1000), which is 0.0 in float64, and -log(0) = inf. Stay in log space: log_probs = shifted - "
            "log(sum(exp(shifted))), loss = -log_probs[range(N), y].mean() (the log-sum-exp trick)."
        )
    if math.isnan(value):
        return (
            "Your loss is NaN: exp(1000) overflows to inf and inf / inf is NaN. Subtract each row's max first: "
            "softmax(s) = softmax(s - max(s)), and the largest exponent is then exp(0) = 1."
        )
    return (
        "Subtract each row's max before exp (it cannot overflow then), and take the log in log space "
        "(log_probs = shifted - log(sum(exp(shifted)))) so that a tiny probability cannot underflow to log(0)."
    )


def _random_net(sizes, generator):
    d, h, c = sizes
    return {
        "W1": generator.standard_normal((d, h)),
        "b1": 0.1 * generator.standard_normal(h),
        "W2": generator.standard_normal((h, c)),
        "b2": 0.1 * generator.standard_normal(c),
    }


def _reference_net(ctx, x, params, y=None):
    """The same network in torch: scores, or the loss with gradients for every parameter."""
    tensors = {k: _torch(ctx, v).requires_grad_(y is not None) for k, v in params.items()}
    hidden = torch.relu(_torch(ctx, x) @ tensors["W1"] + tensors["b1"])
    scores = hidden @ tensors["W2"] + tensors["b2"]
    if y is None:
        return _numpy(scores)
    loss = F.cross_entropy(scores, _torch(ctx, y).long())
    loss.backward()
    return loss.item(), {k: _numpy(v.grad) for k, v in tensors.items()}


GRAD_HINTS = {
    "W2": "dW2 comes from affine_backward on the second layer, with dscores from softmax_loss.",
    "b2": "db2 comes from affine_backward on the second layer, with dscores from softmax_loss.",
    "W1": "Go back through the ReLU before the first layer: dhidden = relu_backward(dx of layer 2, relu cache).",
    "b1": "Go back through the ReLU before the first layer: dhidden = relu_backward(dx of layer 2, relu cache).",
}


@check.step("two-layer-net")
def two_layer_net(ctx):
    """The two-layer net's scores and loss match torch; every gradient agrees with numerical differences."""
    mine = ctx.learner(FILE)
    g = np.random.default_rng(36)
    cases = [("x (4, 5), H = 6, C = 3", (4, 5, 6, 3))]
    for case in hidden_cases(seed=36, count=3):
        sizes = (case.randint(1, 6), case.randint(1, 6), case.randint(1, 8), case.randint(2, 5))
        cases.append((f"{case.name}, x ({sizes[0]}, {sizes[1]}), H = {sizes[2]}, C = {sizes[3]}", sizes))
    worst = 0.0
    for label, (n, d, h, c) in cases:
        x, params = g.standard_normal((n, d)), _random_net((d, h, c), g)
        y = g.integers(0, c, size=n)
        before = {k: v.copy() for k, v in params.items()}
        assert_close(
            mine.two_layer_net(x, params),
            _reference_net(ctx, x, params),
            name=f"two_layer_net(x, params) scores, {label}",
            hint="scores = relu(x @ W1 + b1) @ W2 + b2; without y, return just the scores.",
        )
        loss, grads = _parts(mine.two_layer_net(x, params, y), 2, "two_layer_net(x, params, y) (loss, grads)")
        for k in params:
            assert_close(params[k], before[k], name=f"params['{k}'] after two_layer_net", hint="Don't change params.")
        expected_loss, _ = _reference_net(ctx, x, params, y)
        assert_close(loss, expected_loss, name=f"two_layer_net loss, {label}, against torch")
        if not isinstance(grads, dict) or set(grads) != set(params):
            got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            fail(f"grads should be a dict with keys {sorted(params)}; got {got}")
        for k in ("W2", "b2", "W1", "b1"):

            def loss_of(value, k=k, x=x, y=y, params=params):
                return _np_net_loss(x, {**params, k: value}, y)

            error = grad_check(
                loss_of, params[k], grads[k], threshold=1e-6, name=f"grads['{k}'], {label}", hint=GRAD_HINTS[k]
            )
            worst = max(worst, error)
    ctx.metrics["net_rel_error"] = float(f"{worst:.2e}")


@check.step("train-digits", needs=["two-layer-net"])
def train_digits(ctx):
    """With your gradients, 20 epochs of SGD reach 93% accuracy on 497 held-out digits."""
    from sklearn.datasets import load_digits

    mine = ctx.learner(FILE)
    digits = load_digits()
    g = np.random.default_rng(37)
    order = g.permutation(len(digits.target))
    x, y = digits.data[order] / 16.0, digits.target[order]
    x_train, y_train, x_test, y_test = x[:1300], y[:1300], x[1300:], y[1300:]
    params = {
        "W1": g.normal(0, np.sqrt(2 / 64), (64, 64)),
        "b1": np.zeros(64),
        "W2": g.normal(0, np.sqrt(1 / 64), (64, 10)),
        "b2": np.zeros(10),
    }
    epochs, lr = 20, 0.3
    for epoch in range(1, epochs + 1):
        shuffled = g.permutation(len(y_train))
        for start in range(0, len(shuffled), 50):
            batch = shuffled[start : start + 50]
            loss, grads = mine.two_layer_net(x_train[batch], params, y_train[batch])
            for k in params:
                params[k] = params[k] - lr * grads[k]
        accuracy = float((np.argmax(mine.two_layer_net(x_test, params), axis=1) == y_test).mean())
        ctx.progress(epoch, epochs, loss=loss, test_acc=accuracy)
    ctx.metrics.update(test_acc=round(accuracy, 4), final_loss=round(loss, 4))
    if not accuracy >= 0.93:
        fail(f"held-out accuracy {accuracy:.3f} after {epochs} epochs is below 0.93; final batch loss {loss:.3f}")
    return f"held-out accuracy {accuracy:.3f} on 497 digits (threshold 0.93)"
