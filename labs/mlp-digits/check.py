"""Check for the mlp-digits lab: the model's shapes and parameters, its forward pass against the
same layers applied by hand, one optimizer step against torch.optim.SGD on a copy of the model,
evaluation in eval mode without gradients, and a held-out accuracy after training with fixed seeds."""

import contextlib
import copy
import functools
import math
import time

import torch
import torch.nn.functional as F
from torch import nn

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, hidden_cases, seed_everything

# Tiny models: one thread is as fast as two, and does not stall when the CPU is shared.
torch.set_num_threads(1)

check = Check()
FILE = "mlp.py"
TEST_SIZE = 360  # of scikit-learn's 1797 digits: 1437 to train on, 360 held out
EPOCHS, BATCH_SIZE, LR = 30, 32, 0.5
THRESHOLD = 0.95  # the reference: at least 0.967 over 40 seeds, 0.974 on average, 0.978 with seed 0


@functools.lru_cache(maxsize=1)
def _digits():
    """scikit-learn's bundled digits (no download): images (1797, 8, 8) in [0, 1], labels (1797,),
    split once with a fixed seed into a training and a held-out test part. On the CPU."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(2024))
    test, train = order[:TEST_SIZE], order[TEST_SIZE:]
    return x[train], y[train], x[test], y[test]


def _images(n, generator, device):
    """n random 8x8 'images' with pixels in [0, 1], drawn on the CPU and moved."""
    return torch.rand(n, 8, 8, generator=generator).to(device)


def _layers(model, hidden):
    """The learner's two nn.Linear layers, first (64 -> hidden) and second (hidden -> 10)."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    found = ", ".join(f"Linear({m.in_features}, {m.out_features})" for m in linears) or "none"
    first = [m for m in linears if (m.in_features, m.out_features) == (64, hidden)]
    second = [m for m in linears if (m.in_features, m.out_features) == (hidden, 10)]
    if len(linears) != 2 or not first or not second:
        fail(
            f"MLP(hidden={hidden}) should hold exactly two nn.Linear layers, Linear(64, {hidden}) and "
            f"Linear({hidden}, 10); found: {found}"
        )
    return first[0], second[0]


def _by_hand(x, first, second, activation=F.relu, flatten=lambda x: x.reshape(x.shape[0], -1)):
    return F.linear(activation(F.linear(flatten(x), first.weight, first.bias)), second.weight, second.bias)


def _describe(model):
    return ", ".join(f"{name} {tuple(p.shape)}" for name, p in model.named_parameters()) or "no parameters"


@check.step("shapes")
def shapes(ctx):
    """MLP(hidden) maps a batch of 8x8 images (N, 8, 8) to scores (N, 10), for any N and hidden."""
    mine = ctx.learner(FILE)
    hint = (
        "Flatten each image to 64 numbers and keep the batch dimension: x.reshape(x.shape[0], -1) "
        "(x.flatten() would also flatten the batch); the last layer has 10 outputs, one per digit."
    )
    g = torch.Generator().manual_seed(1)
    seed_everything(0)
    cases = [({}, 5, g, "MLP()(x), x of shape (5, 8, 8)")]
    for case in hidden_cases(seed=21, count=8):
        n, hidden = case.randint(1, 9), case.randint(1, 48)
        cases.append(({"hidden": hidden}, n, case.generator, f"MLP(hidden={hidden})(x), {case.name}, x ({n}, 8, 8)"))
    for kwargs, n, generator, label in cases:
        model = mine.MLP(**kwargs).to(ctx.device)
        x = _images(n, generator, ctx.device)
        try:
            out = model(x)
        except RuntimeError as exc:  # most often a flatten that mixes up the batch
            fail(f"{label} raised RuntimeError in your forward: {exc}\n{hint}")
        assert_shape(out, (n, 10), name=label, hint=hint)


@check.step("parameters")
def parameters(ctx):
    """Linear(64, hidden) and Linear(hidden, 10), with biases: 64*h + h + 10*h + 10 parameters."""
    mine = ctx.learner(FILE)
    sizes = [64] + [case.randint(1, 48) for case in hidden_cases(seed=22, count=6)]
    for hidden in sizes:
        model = mine.MLP(hidden=hidden)
        got = sum(p.numel() for p in model.parameters())
        expected = 64 * hidden + hidden + hidden * 10 + 10
        if got != expected:
            fail(
                f"MLP(hidden={hidden}) has {got} parameters, expected {expected}:\n"
                f"  Linear(64, {hidden}): 64*{hidden} weights + {hidden} biases = {64 * hidden + hidden}\n"
                f"  Linear({hidden}, 10): {hidden}*10 weights + 10 biases = {hidden * 10 + 10}\n"
                f"yours: {_describe(model)}\n"
                "Build the layers in __init__ from `hidden` (not a fixed size), with bias=True (the default)."
            )
        _layers(model, hidden)
    ctx.metrics["parameters"] = 64 * 64 + 64 + 64 * 10 + 10
    return f"MLP() has {ctx.metrics['parameters']} parameters"


def _forward_hint(got, x, first, second):
    """The likely cause of a forward pass that does not match the layers applied by hand."""
    with torch.no_grad():
        variants = [
            (
                F.softmax(_by_hand(x, first, second), dim=1),
                "forward returns probabilities (a softmax at the end). Return the raw scores (logits): "
                "F.cross_entropy and nn.CrossEntropyLoss apply log-softmax themselves.",
            ),
            (
                F.log_softmax(_by_hand(x, first, second), dim=1),
                "forward returns log-probabilities (log_softmax). Return the raw scores (logits): "
                "F.cross_entropy applies log-softmax itself.",
            ),
            (
                _by_hand(x, first, second, activation=lambda h: h),
                "there is no ReLU between the two layers: Linear after Linear is just one linear map.",
            ),
            (
                _by_hand(x, first, second, activation=torch.sigmoid),
                "that is a sigmoid between the layers (Nielsen's choice); this lab asks for ReLU.",
            ),
            (
                _by_hand(x, first, second, flatten=lambda x: x.transpose(1, 2).reshape(x.shape[0], -1)),
                "the pixels are flattened column by column; x.reshape(x.shape[0], -1) reads them row by row.",
            ),
        ]
    for value, why in variants:
        if got.shape == value.shape and torch.allclose(got, value, rtol=1e-4, atol=1e-5):
            return "It looks like " + why
    return "Expected fc2(relu(fc1(x.reshape(N, 64)))) with your own two layers, returning the raw scores."


@check.step("forward")
def forward(ctx):
    """forward = Linear -> ReLU -> Linear on the flattened image, returning logits, not probabilities."""
    mine = ctx.learner(FILE)
    cases = [(64, 4, torch.Generator().manual_seed(2), "x of shape (4, 8, 8)")]
    for case in hidden_cases(seed=23, count=6):
        n = case.randint(1, 9)
        cases.append((case.randint(1, 48), n, case.generator, f"{case.name}, x of shape ({n}, 8, 8)"))
    for hidden, n, generator, label in cases:
        seed_everything(0)
        model = mine.MLP(hidden=hidden).to(ctx.device)
        first, second = _layers(model, hidden)
        x = _images(n, generator, ctx.device)
        with torch.no_grad():
            got = model(x)
            expected = _by_hand(x, first, second)
        assert_close(
            got,
            expected,
            rtol=1e-4,
            atol=1e-5,
            name=f"MLP(hidden={hidden})(x), {label}",
            hint=_forward_hint(got, x, first, second) if got.shape == expected.shape else "",
        )


def _same(a, b):
    return all(torch.equal(p, q) for p, q in zip(a, b, strict=True))


@check.step("train-step")
def train_step(ctx):
    """Three calls of train_step match zero_grad / cross-entropy / backward / SGD step on a copy of the model."""
    mine = ctx.learner(FILE)
    seed_everything(0)
    model = mine.MLP(hidden=16).to(ctx.device)
    reference = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=0.5)
    g = torch.Generator().manual_seed(3)
    for call in (1, 2, 3):
        x = _images(8, g, ctx.device)
        y = torch.randint(0, 10, (8,), generator=g).to(ctx.device)
        before = [p.detach().clone() for p in model.parameters()]
        loss = mine.train_step(model, optimizer, x, y)

        reference_optimizer.zero_grad()
        logits = reference(x)
        expected = F.cross_entropy(logits, y)
        expected.backward()
        reference_optimizer.step()

        if isinstance(loss, torch.Tensor):
            fail(f"train_step returned a tensor (call {call}); return loss.item(), a Python float")
        hint = "The loss is F.cross_entropy(model(x), y) on the raw scores, computed before optimizer.step()."
        with torch.no_grad():
            if abs(float(F.cross_entropy(F.softmax(logits, dim=1), y)) - float(loss)) < 1e-5:
                hint = (
                    "That is the cross-entropy of softmax(scores): F.cross_entropy (nn.CrossEntropyLoss) applies "
                    "log-softmax itself, so a softmax before it squashes the scores twice and training crawls."
                )
        assert_close(
            loss, expected.item(), rtol=1e-5, atol=1e-6, name=f"the loss train_step returned (call {call})", hint=hint
        )

        after = [p.detach() for p in model.parameters()]
        if _same(before, after):
            fail(
                f"call {call}: train_step did not change any weight. Call optimizer.step() after "
                "loss.backward(), and optimizer.zero_grad() before backward(), not between backward() and step()."
            )
        if call == 1:
            hint = (
                "Order: optimizer.zero_grad(), loss = F.cross_entropy(model(x), y), loss.backward(), optimizer.step()."
            )
        else:
            hint = (
                f"Call 1 matched torch.optim.SGD but call {call} did not: backward() adds into .grad, so without "
                "optimizer.zero_grad() each step follows the sum of every gradient so far."
            )
        for (name, p), r in zip(model.named_parameters(), reference.parameters(), strict=True):
            assert_close(p.detach(), r.detach(), rtol=1e-5, atol=1e-6, name=f"{name} after call {call}", hint=hint)


class _Probe(nn.Module):
    """A stand-in model for evaluate: fixed scores, and a record of the mode it was called in."""

    def __init__(self, weight):
        super().__init__()
        self.weight = nn.Parameter(weight)
        self.calls = []

    def forward(self, x):
        self.calls.append((self.training, torch.is_grad_enabled()))
        return x.reshape(x.shape[0], -1) @ self.weight


@check.step("evaluate")
def evaluate(ctx):
    """evaluate returns the accuracy as a float, with the model in eval mode and gradients off."""
    mine = ctx.learner(FILE)
    cases = [(40, torch.Generator().manual_seed(4), "40 images")]
    cases += [(case.randint(1, 50), case.generator, case.name) for case in hidden_cases(seed=24, count=6)]
    for n, generator, label in cases:
        probe = _Probe(torch.randn(64, 10, generator=generator)).to(ctx.device)
        x = _images(n, generator, ctx.device)
        with torch.no_grad():
            right = probe(x).argmax(dim=1)
        probe.calls.clear()
        wrong = torch.randint(0, 10, (n,), generator=generator).to(ctx.device)
        y = torch.where(torch.rand(n, generator=generator).to(ctx.device) < 0.6, right, wrong)
        expected = (right == y).float().mean().item()
        acc = mine.evaluate(probe, x, y)
        if not probe.calls:
            fail("evaluate never called the model: compute model(x) and compare its argmax with y")
        if any(training for training, _ in probe.calls):
            fail(
                "evaluate ran the model in training mode: call model.eval() first. Dropout and batch norm "
                "behave differently while training, so test scores must be measured in eval mode."
            )
        if any(grad for _, grad in probe.calls):
            fail(
                "evaluate ran the model with gradients on: put the forward pass inside `with torch.no_grad():`. "
                "Otherwise autograd records a graph for every test image, for nothing."
            )
        if isinstance(acc, torch.Tensor):
            fail("evaluate returned a tensor; return a Python float with .item()")
        assert_close(
            acc,
            expected,
            rtol=0,
            atol=1e-6,
            name=f"evaluate(model, x, y), {label}",
            hint="Accuracy = (model(x).argmax(dim=1) == y).float().mean().item(), a fraction between 0 and 1.",
        )


@contextlib.contextmanager
def _recording(mine, ctx):
    """While train runs: the losses its train_step calls return, cut into epochs by its progress calls."""
    epochs, current = [], []
    original = mine.train_step

    def train_step(*args, **kwargs):
        loss = original(*args, **kwargs)
        current.append(float(loss))
        return loss

    def progress(epoch, total, **metrics):
        epochs.append(list(current))
        current.clear()
        ctx.progress(epoch, total, **metrics)

    mine.train_step = train_step
    try:
        yield epochs, progress
    finally:
        mine.train_step = original


def _check_losses(history, epochs_seen):
    """Each epoch's 'loss' is the mean of that epoch's train_step losses (judged when train calls the
    module's train_step and progress, as the docstring asks; otherwise there is nothing to compare)."""
    if len(epochs_seen) != len(history) or not all(epochs_seen):
        return
    for entry, losses in zip(history, epochs_seen, strict=True):
        mean, reported = sum(losses) / len(losses), float(entry["loss"])
        if math.isclose(reported, mean, rel_tol=1e-5, abs_tol=1e-7):
            continue
        likely = "the mean of the losses train_step returned during that epoch"
        if math.isclose(reported, losses[-1], rel_tol=1e-6):
            likely = "you reported the last batch's loss only; " + likely
        elif math.isclose(reported, sum(losses), rel_tol=1e-6):
            likely = "you reported the sum; divide by the number of batches: " + likely
        fail(
            f"epoch {entry.get('epoch', '?')}'s history says loss {reported:.5f}, but its {len(losses)} train_step "
            f"calls returned a mean of {mean:.5f} (the last one {losses[-1]:.5f}). The history's loss should be "
            f"{likely}."
        )


@check.step("train", needs=["forward", "train-step", "evaluate"])
def train(ctx):
    """train reaches the held-out accuracy threshold with fixed seeds and reports the test split's accuracy."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    x_train, y_train, x_test, y_test = (t.to(ctx.device) for t in _digits())
    data = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    seed_everything(0)
    model = mine.MLP().to(ctx.device)
    started = time.perf_counter()
    with _recording(mine, ctx) as (epochs_seen, progress):
        history = mine.train(model, data, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=0, progress=progress)
    ctx.metrics["train_seconds"] = round(time.perf_counter() - started, 2)
    if not isinstance(history, list) or len(history) != EPOCHS:
        got = f"a list of {len(history)}" if isinstance(history, list) else type(history).__name__
        fail(f"train(..., epochs={EPOCHS}) should return a list of {EPOCHS} dicts, one per epoch; got {got}")
    last = history[-1]
    if not isinstance(last, dict) or not {"epoch", "loss", "test_acc"} <= set(last):
        fail(f"each epoch's entry should be a dict with 'epoch', 'loss' and 'test_acc'; the last one is {last!r}")
    _check_losses(history, epochs_seen)
    test_acc = reference.evaluate(model, x_test, y_test)
    train_acc = reference.evaluate(model, x_train, y_train)
    reported = float(last["test_acc"])
    ctx.metrics.update(
        test_acc=round(test_acc, 4), train_acc=round(train_acc, 4), final_loss=round(float(last["loss"]), 4)
    )
    if abs(reported - test_acc) > 1e-6:
        if abs(reported - train_acc) <= 1e-6:
            fail(
                f"the history says test_acc {reported:.4f}, which is the accuracy on the training split; on the "
                f"held-out test split the model scores {test_acc:.4f}. Evaluate on data['x_test'], data['y_test']: "
                "images the model never trained on, the only honest estimate of how it does on new digits."
            )
        fail(
            f"the last epoch's test_acc is {reported:.4f}, but the trained model scores {test_acc:.4f} on the test "
            "split: measure it with evaluate(model, data['x_test'], data['y_test']) after the epoch's last step."
        )
    if test_acc < THRESHOLD:
        fail(
            f"test accuracy {test_acc:.4f} after {EPOCHS} epochs is below {THRESHOLD} (the reference reaches about "
            f"0.97; training accuracy {train_acc:.4f}). Is each epoch shuffled and cut into mini-batches of "
            f"{BATCH_SIZE}, with every batch going through train_step and SGD at lr={LR}?"
        )
    return f"test accuracy {test_acc:.4f} (threshold {THRESHOLD}), training accuracy {train_acc:.4f}"
