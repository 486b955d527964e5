"""Check for the cnn-digits lab: convolution arithmetic against nn.Conv2d, channels-first images,
each layer's output shape (hooks on your convolutions), the parameter count and budget, the forward
pass against your own layers applied by hand, and a held-out accuracy above the MLP lab's after
training with fixed seeds."""

import functools
import time

import torch
import torch.nn.functional as F
from torch import nn

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, hidden_cases, seed_everything

# Tiny models: one thread is as fast as two, and does not stall when the CPU is shared.
torch.set_num_threads(1)
# Full float32 on GPUs too: cuDNN's default TF32 would differ from the same-run references by ~1e-3.
torch.backends.cudnn.allow_tf32 = False

check = Check()
FILE = "cnn.py"
TEST_SIZE = 360  # the same split as the mlp-digits lab: 1437 digits to train on, 360 held out
EPOCHS, BATCH_SIZE, LR = 15, 32, 0.005
THRESHOLD = 0.96  # the reference: at least 0.967 over 60 seeds, 0.986 on average and with seed 0; MLP lab: 0.95
MLP_THRESHOLD, MLP_PARAMETERS = 0.95, 4810
BUDGET = 10_000  # parameters


@functools.lru_cache(maxsize=1)
def _digits():
    """scikit-learn's bundled digits as flat rows (1797, 64) in [0, 1], split with a fixed seed. CPU."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(2024))
    test, train = order[:TEST_SIZE], order[TEST_SIZE:]
    return x[train], y[train], x[test], y[test]


def _conv_size(size, kernel, stride, padding):
    """What nn.Conv2d itself gives, computed in this run."""
    out = F.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, kernel, kernel), stride=stride, padding=padding)
    return out.shape[-1]


@check.step("conv-arithmetic")
def conv_arithmetic(ctx):
    """conv_output_size agrees with the shapes nn.Conv2d produces."""
    mine = ctx.learner(FILE)
    visible = [(8, 3, 1, 1), (8, 3, 1, 0), (8, 2, 2, 0), (28, 5, 1, 0), (7, 3, 2, 1)]
    cases = [(args, "") for args in visible]
    for case in hidden_cases(seed=31, count=12):
        padding = case.randint(0, 3)
        size = case.randint(1, 32)
        kernel = case.randint(1, min(7, size + 2 * padding))
        cases.append(((size, kernel, case.randint(1, 3), padding), f", {case.name}"))
    for (size, kernel, stride, padding), label in cases:
        got = mine.conv_output_size(size, kernel, stride=stride, padding=padding)
        expected = _conv_size(size, kernel, stride, padding)
        call = f"conv_output_size({size}, {kernel}, stride={stride}, padding={padding}){label}"
        if isinstance(got, float) and got == int(got):
            fail(f"{call} returned the float {got}; return an int: floor-divide with //")
        if got != expected:
            fail(
                f"{call}: expected {expected} (what nn.Conv2d gives), got {got!r}.\n"
                "out = (size + 2 * padding - kernel) // stride + 1: the padding is added on both sides, "
                "and a window that does not fit at the end is dropped (the floor)."
            )


@check.step("to-images")
def to_images(ctx):
    """to_images turns (N, 64) rows into (N, 1, 8, 8) channels-first images, pixel for pixel."""
    mine = ctx.learner(FILE)
    x = torch.arange(2 * 64, dtype=torch.float32, device=ctx.device).reshape(2, 64)
    cases = [(x, "to_images(x), x = arange(128) as (2, 64)")]
    for case in hidden_cases(seed=32, count=6):
        n = case.randint(1, 9)
        cases.append((case.randn(n, 64, device=ctx.device), f"to_images(x), {case.name}, x of shape ({n}, 64)"))
    for x, label in cases:
        got = mine.to_images(x)
        n = x.shape[0]
        hint = "Each row is one 8x8 image, row after row: x.reshape(N, 1, 8, 8), channels first."
        if getattr(got, "shape", None) == (n, 8, 8, 1):
            hint = (
                "(N, 8, 8, 1) is channels-last (TensorFlow's layout); PyTorch's Conv2d reads (N, C, H, W), "
                "channels first: x.reshape(N, 1, 8, 8). With (N, 8, 8, 1) it would see 8 channels of 8x1."
            )
        assert_close(got, x.reshape(n, 1, 8, 8), name=label, hint=hint)


def _convs(model):
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    if len(convs) != 2:
        found = ", ".join(f"Conv2d({m.in_channels}, {m.out_channels})" for m in convs) or "none"
        fail(f"the CNN should hold exactly two nn.Conv2d layers (conv1 and conv2); found: {found}")
    return convs


def _shape_cases():
    cases = [(16, 32, 4, torch.Generator().manual_seed(5), "CNN()")]
    for case in hidden_cases(seed=33, count=6):
        c1, c2 = case.randint(1, 12), case.randint(1, 12)
        cases.append((c1, c2, case.randint(1, 6), case.generator, f"CNN(c1={c1}, c2={c2}), {case.name}"))
    return cases


def _make(mine, c1, c2, label, device):
    seed_everything(0)
    model = mine.CNN() if label.startswith("CNN()") else mine.CNN(c1=c1, c2=c2)
    return model.to(device)


@check.step("layer-shapes")
def layer_shapes(ctx):
    """Each convolution keeps 8x8 (padding 1), each max-pool halves it: (N,c1,8,8), (N,c2,4,4), then (N,c2,2,2)."""
    mine = ctx.learner(FILE)
    for c1, c2, n, generator, label in _shape_cases():
        model = _make(mine, c1, c2, label, ctx.device)
        convs = _convs(model)
        seen = []
        hooks = [
            conv.register_forward_hook(lambda module, args, out, seen=seen: seen.append(tuple(out.shape)))
            for conv in convs
        ]
        x = torch.rand(n, 1, 8, 8, generator=generator).to(ctx.device)
        expected = [(n, c1, 8, 8), (n, c2, 4, 4)]
        try:
            try:
                features = model.features(x)
            finally:
                for hook in hooks:
                    hook.remove()
        except Exception:
            _judge_conv_shapes(seen, expected, label, n)  # a wrong shape early on explains the crash
            raise
        _judge_conv_shapes(seen, expected, label, n)
        assert_shape(
            features,
            (n, c2, 2, 2),
            name=f"{label}.features(x), x of shape ({n}, 1, 8, 8)",
            hint="Each block is conv -> ReLU -> MaxPool2d(2): 8x8 -> 4x4 after the first, 4x4 -> 2x2 after the second.",
        )
        assert_shape(
            model(x),
            (n, 10),
            name=f"{label}(x), x of shape ({n}, 1, 8, 8)",
            hint=f"forward flattens the features to (N, {c2 * 4}) and applies Linear({c2} * 2 * 2, 10).",
        )


def _judge_conv_shapes(seen, expected, label, n):
    for index, (got, want) in enumerate(zip(seen, expected, strict=False)):
        if got != want:
            size = want[-1]
            fail(
                f"{label}, x of shape ({n}, 1, 8, 8): after convolution {index + 1} the feature map should be "
                f"{want}, got {got}.\nA 3x3 kernel keeps {size}x{size} only with padding=1 "
                f"(conv_output_size({size}, 3, padding=1) = {size}); with padding=0 it shrinks to "
                f"{size - 2}x{size - 2}."
            )


@check.step("parameters")
def parameters(ctx):
    """conv1 1*9*c1 + c1, conv2 c1*9*c2 + c2, fc 4*c2*10 + 10; CNN() within the budget of 10,000."""
    mine = ctx.learner(FILE)
    for c1, c2, _, _, label in _shape_cases():
        model = _make(mine, c1, c2, label, "cpu")
        got = sum(p.numel() for p in model.parameters())
        parts = [
            (f"conv1 = Conv2d(1, {c1}, 3)", 9 * c1, c1),
            (f"conv2 = Conv2d({c1}, {c2}, 3)", 9 * c1 * c2, c2),
            (f"fc = Linear({c2 * 4}, 10)", 4 * c2 * 10, 10),
        ]
        expected = sum(w + b for _, w, b in parts)
        if got != expected:
            lines = "\n".join(f"  {name}: {w} weights + {b} biases = {w + b}" for name, w, b in parts)
            mine_lines = ", ".join(f"{name} {tuple(p.shape)}" for name, p in model.named_parameters())
            fail(
                f"{label} has {got} parameters, expected {expected}:\n{lines}\nyours: {mine_lines}\n"
                "A conv's weight is (out_channels, in_channels, 3, 3); build the layers from c1 and c2."
            )
    count = sum(p.numel() for p in mine.CNN().parameters())
    ctx.metrics["parameters"] = count
    if count > BUDGET:
        fail(f"CNN() has {count} parameters, over the budget of {BUDGET}")
    return f"CNN() has {count} parameters (budget {BUDGET}; the MLP lab's network has {MLP_PARAMETERS})"


def _by_hand(x, conv1, conv2, fc, act=F.relu, act2=None, pool=F.max_pool2d):
    act2 = act if act2 is None else act2
    h = pool(act(F.conv2d(x, conv1.weight, conv1.bias, padding=1)), 2)
    h = pool(act2(F.conv2d(h, conv2.weight, conv2.bias, padding=1)), 2)
    return h, F.linear(h.reshape(x.shape[0], -1), fc.weight, fc.bias)


def _forward_hint(got, x, layers, features):
    identity = lambda h: h  # noqa: E731
    variants = [
        (
            dict(act=identity),
            "there is no ReLU after the convolutions: with max-pooling as the only nonlinearity the blocks add little",
        ),
        (dict(act2=identity), "the second block has no ReLU"),
        (dict(act=F.relu, act2=identity), "the second block has no ReLU"),
        (dict(act=identity, act2=F.relu), "the first block has no ReLU"),
        (
            dict(pool=F.avg_pool2d),
            "that is average pooling; this lab uses max-pooling (F.max_pool2d or nn.MaxPool2d(2))",
        ),
    ]
    with torch.no_grad():
        for kwargs, why in variants:
            value = _by_hand(x, *layers, **kwargs)[0 if features else 1]
            if got.shape == value.shape and torch.allclose(got, value, rtol=1e-4, atol=1e-5):
                return f"It looks like {why}."
        logits = _by_hand(x, *layers)[1]
        if not features and torch.allclose(got, F.softmax(logits, dim=1), rtol=1e-4, atol=1e-5):
            return "forward returns probabilities; return the raw scores (cross-entropy applies the softmax)."
    return "Expected conv1 -> ReLU -> max-pool 2 -> conv2 -> ReLU -> max-pool 2 -> flatten (x.reshape(N, -1)) -> fc."


@check.step("forward")
def forward(ctx):
    """features and forward equal your own layers applied by hand: conv, ReLU, max-pool twice, flatten, fc."""
    mine = ctx.learner(FILE)
    for c1, c2, n, generator, label in _shape_cases():
        model = _make(mine, c1, c2, label, ctx.device)
        conv1, conv2 = sorted(_convs(model), key=lambda m: m.in_channels != 1)
        fcs = [m for m in model.modules() if isinstance(m, nn.Linear)]
        if len(fcs) != 1:
            fail(f"the CNN should hold one nn.Linear layer (fc), found {len(fcs)}")
        layers = (conv1, conv2, fcs[0])
        x = torch.rand(n, 1, 8, 8, generator=generator).to(ctx.device)
        with torch.no_grad():
            features, logits = _by_hand(x, *layers)
            for got, expected, name, is_features in [
                (model.features(x), features, f"{label}.features(x)", True),
                (model(x), logits, f"{label}(x)", False),
            ]:
                hint = _forward_hint(got, x, layers, is_features) if got.shape == expected.shape else ""
                assert_close(got, expected, rtol=1e-4, atol=1e-5, name=f"{name}, x of shape ({n}, 1, 8, 8)", hint=hint)


@check.step("train", needs=["to-images", "forward"])
def train(ctx):
    """After training with fixed seeds, the CNN beats the MLP lab's threshold on the held-out digits."""
    mine = ctx.learner(FILE)
    x_train, y_train, x_test, y_test = (t.to(ctx.device) for t in _digits())
    x_train, x_test = mine.to_images(x_train), mine.to_images(x_test)
    seed_everything(0)
    model = mine.CNN().to(ctx.device)
    started = time.perf_counter()
    losses = mine.train(
        model, x_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=0, progress=ctx.progress
    )
    ctx.metrics["train_seconds"] = round(time.perf_counter() - started, 2)
    if not isinstance(losses, list) or len(losses) != EPOCHS:
        got = f"a list of {len(losses)}" if isinstance(losses, list) else type(losses).__name__
        fail(f"train(..., epochs={EPOCHS}) should return a list of {EPOCHS} mean losses, one per epoch; got {got}")
    model.eval()
    with torch.no_grad():
        test_acc = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
        train_acc = (model(x_train).argmax(dim=1) == y_train).float().mean().item()
    ctx.metrics.update(
        test_acc=round(test_acc, 4), train_acc=round(train_acc, 4), final_loss=round(float(losses[-1]), 4)
    )
    if test_acc < THRESHOLD:
        fail(
            f"test accuracy {test_acc:.4f} after {EPOCHS} epochs is below {THRESHOLD} (the reference reaches about "
            f"0.985; training accuracy {train_acc:.4f}; losses by epoch {[round(float(v), 3) for v in losses]}). "
            f"Is each batch going through zero_grad, cross-entropy, backward and Adam's step at lr={LR}?"
        )
    return (
        f"test accuracy {test_acc:.4f} (threshold {THRESHOLD}; the MLP lab asks for {MLP_THRESHOLD}), "
        f"training accuracy {train_acc:.4f}"
    )
