"""Check for the lora-finetune lab: LoRA (Hu et al. 2021) on a small MLP that the check pretrains
on scikit-learn's digits 0-4 in a fraction of a second, then fine-tunes through the learner's
LoRA layers on digits 5-9. Five steps: the layer at initialisation (frozen base kept, A random, B
zero, the same outputs as the base), its forward pass against base + (alpha / r) x A^T B^T computed
here, injection into named layers with the trainable-parameter count, merging (W + (alpha / r) B A
gives the same outputs), and fine-tuning: held-out accuracy on the new digits, base weights
unchanged, and the merged model equal to the adapted one."""

import copy
import functools

import torch
import torch.nn.functional as F
from torch import nn

from studyctl.labkit.api import Check, assert_close, fail, hidden_cases, seed_everything

# Tiny models: one thread is as fast as two, and does not stall when the CPU is shared.
torch.set_num_threads(1)

check = Check()
FILE = "lora.py"
TARGETS = ["fc1", "fc2", "head"]
RANK, ALPHA = 4, 8.0
NEW_TRAIN = 500  # digits 5-9 to fine-tune on; the other ~396 are held out
THRESHOLD = 0.90  # the reference: 0.955-0.975 over seeds; the pretrained model scores about 0.2 on 5-9


class Classifier(nn.Module):
    """The 'pretrained model': 8x8 digit images -> 5 scores, three Linear layers with ReLUs."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 64)
        self.fc2 = nn.Linear(64, 32)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        return self.head(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Tiny(nn.Module):
    """A small model with a nested layer ("block.0"), to inject LoRA into by name."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 6)
        self.block = nn.Sequential(nn.Linear(6, 6), nn.Tanh())
        self.fc2 = nn.Linear(6, 4)
        self.head = nn.Linear(4, 3)

    def forward(self, x):
        return self.head(torch.relu(self.fc2(self.block(torch.relu(self.fc1(x))))))


@functools.lru_cache(maxsize=1)
def _digits():
    """scikit-learn's bundled digits (no download), shuffled once: (old task: digits 0-4 as labels
    0-4), (new task: digits 5-9 as labels 0-4, split into NEW_TRAIN to fine-tune on and the rest held out)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(2021))
    x, y = x[order], y[order]
    old, new = y < 5, y >= 5
    xn, yn = x[new], y[new] - 5
    return (x[old], y[old]), (xn[:NEW_TRAIN], yn[:NEW_TRAIN]), (xn[NEW_TRAIN:], yn[NEW_TRAIN:])


def _accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def _pretrained(device):
    """The base model: pretrained on digits 0-4 with fixed seeds (full-batch Adam, 150 steps)."""
    (x, y), _, _ = _digits()
    x, y = x.to(device), y.to(device)
    seed_everything(0)
    model = Classifier().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(150):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    return model


def _randn(generator, *shape, device):
    return torch.randn(*shape, generator=generator).to(device)


def _is_lora(mine, module):
    return isinstance(module, mine.LoRALinear)


def _lora_params(layer, base, r):
    """The layer's (A, B) at initialisation, found by shape (A: (r, in), B: (out, r)) among its
    trainable parameters, whatever they are called; B is the zero one when the shapes agree."""
    base_params = {id(p) for p in base.parameters()}
    if not any(m is base for m in layer.modules()):
        fail(
            "LoRALinear does not hold the nn.Linear it was given: keep it as a submodule (self.base = base), "
            "do not copy it or rebuild it, so the pretrained weights stay where they are."
        )
    trainable = [(name, p) for name, p in layer.named_parameters() if p.requires_grad]
    leaked = [name for name, p in trainable if id(p) in base_params]
    if leaked:
        fail(
            f"the base layer's {', '.join(leaked)} still requires grad: freeze it "
            "(base.requires_grad_(False)). LoRA trains only A and B; W and b stay as pretrained."
        )
    shapes = sorted(tuple(p.shape) for _, p in trainable)
    a_shape, b_shape = (r, base.in_features), (base.out_features, r)
    if shapes != sorted([a_shape, b_shape]):
        found = ", ".join(f"{name} {tuple(p.shape)}" for name, p in trainable) or "none"
        fail(
            f"LoRALinear(Linear({base.in_features}, {base.out_features}), r={r}) should have exactly two "
            f"trainable parameters, A {a_shape} and B {b_shape}; found: {found}"
        )
    if a_shape != b_shape:
        a = next(p for _, p in trainable if tuple(p.shape) == a_shape)
        b = next(p for _, p in trainable if tuple(p.shape) == b_shape)
    else:
        zero = [p for _, p in trainable if not p.detach().any()]
        b = zero[0] if zero else trainable[1][1]
        a = next(p for _, p in trainable if p is not b)
    return a, b


@check.step("init")
def init(ctx):
    """LoRALinear keeps the frozen base, A (r, in) random, B (out, r) zero: it starts equal to the base."""
    mine = ctx.learner(FILE)
    cases = [(6, 3, 2, 4.0, 5, "LoRALinear(Linear(6, 3), r=2, alpha=4)")]
    for case in hidden_cases(seed=41, count=8):
        fan_in, fan_out, r = case.randint(1, 12), case.randint(1, 12), case.randint(1, 4)
        alpha = float(case.randint(1, 16))
        label = f"LoRALinear(Linear({fan_in}, {fan_out}), r={r}, alpha={alpha:g}), {case.name}"
        cases.append((fan_in, fan_out, r, alpha, case.randint(1, 6), label))
    g = torch.Generator().manual_seed(1)
    for index, (fan_in, fan_out, r, alpha, n, label) in enumerate(cases):
        seed_everything(index)
        base = nn.Linear(fan_in, fan_out)
        layer = mine.LoRALinear(base, r=r, alpha=alpha).to(ctx.device)
        a, b = _lora_params(layer, base, r)
        if b.detach().any():
            fail(
                f"{label}: B should start at zero, so that B @ A = 0 and the wrapped model starts exactly "
                "equal to the pretrained one (fine-tuning begins from what the model already knows). "
                + ("A is the one to draw at random." if not a.detach().any() else "")
            )
        if not a.detach().any():
            fail(
                f"{label}: A is all zeros. With A = 0 and B = 0 both gradients are zero (dL/dB needs A x, "
                "dL/dA needs B), so nothing ever trains: draw A at random (nn.init.kaiming_uniform_ or a small "
                "randn) and keep B at zero."
            )
        rank = int(torch.linalg.matrix_rank(a.detach().float().cpu()))
        if rank < min(a.shape):
            fail(
                f"{label}: A has rank {rank}, not {min(a.shape)}: its rows are not independent (a constant fill?), "
                "so the r directions collapse into fewer. Draw A at random."
            )
        x = _randn(g, n, fan_in, device=ctx.device)
        with torch.no_grad():
            assert_close(
                layer(x),
                base(x),
                rtol=1e-5,
                atol=1e-6,
                name=f"{label}(x), x ({n}, {fan_in}), against base(x)",
                hint="At initialisation B = 0, so the output is base(x) exactly: compute base(x) + update.",
            )


def _set_random(a, b, generator):
    """Give A and B values as if training had moved them (drawn on the CPU)."""
    with torch.no_grad():
        a.copy_(torch.randn(a.shape, generator=generator).to(a.device))
        b.copy_(torch.randn(b.shape, generator=generator).to(b.device))


def _by_hand(x, base, a, b, scaling):
    return F.linear(x, base.weight, base.bias) + scaling * (x @ a.T @ b.T)


def _forward_hint(got, x, base, a, b, r, alpha):
    with torch.no_grad():
        variants = [
            (_by_hand(x, base, a, b, alpha), f"the update is scaled by alpha = {alpha:g}; LoRA scales by alpha / r"),
            (_by_hand(x, base, a, b, r / alpha), "the update is scaled by r / alpha; LoRA scales by alpha / r"),
            (_by_hand(x, base, a, b, 1.0), "the update is not scaled; LoRA multiplies it by alpha / r"),
            (F.linear(x, base.weight, base.bias), "the output is base(x) alone: the update x A^T B^T is missing"),
        ]
    for value, why in variants:
        if got.shape == value.shape and torch.allclose(got, value, rtol=1e-4, atol=1e-4):
            return "It looks like " + why + "."
    return "Expected base(x) + (alpha / r) * (x @ A.T @ B.T), for inputs with any number of leading dimensions."


@check.step("forward")
def forward(ctx):
    """forward = base(x) + (alpha / r) x A^T B^T; gradients reach A and B, never the base."""
    mine = ctx.learner(FILE)
    cases = [(4, 3, 2, 6.0, (2, 4), "LoRALinear(Linear(4, 3), r=2, alpha=6), x (2, 4)")]
    for case in hidden_cases(seed=42, count=8):
        fan_in, fan_out, r = case.randint(1, 10), case.randint(1, 10), case.randint(1, 4)
        alpha = float(case.randint(1, 16))
        shape = (case.randint(1, 5), fan_in) if case.index % 2 else (case.randint(1, 3), case.randint(1, 4), fan_in)
        label = f"LoRALinear(Linear({fan_in}, {fan_out}), r={r}, alpha={alpha:g}), x {shape}, {case.name}"
        cases.append((fan_in, fan_out, r, alpha, shape, label))
    g = torch.Generator().manual_seed(2)
    for index, (fan_in, fan_out, r, alpha, shape, label) in enumerate(cases):
        seed_everything(index)
        base = nn.Linear(fan_in, fan_out)
        layer = mine.LoRALinear(base, r=r, alpha=alpha).to(ctx.device)
        a, b = _lora_params(layer, base, r)
        _set_random(a, b, g)
        x = _randn(g, *shape, device=ctx.device)
        got = layer(x)
        expected = _by_hand(x, base, a, b, alpha / r)
        assert_close(
            got,
            expected.detach(),
            rtol=1e-4,
            atol=1e-5,
            name=label,
            hint=_forward_hint(got.detach(), x, base, a, b, r, alpha) if got.shape == expected.shape else "",
        )
        got.sum().backward()
        if a.grad is None or b.grad is None or not (a.grad.any() and b.grad.any()):
            fail(
                f"{label}: after backward() A or B has no gradient. Compute the update inside the graph: "
                "no torch.no_grad(), .detach() or .data on the LoRA path."
            )
        if base.weight.grad is not None:
            fail(f"{label}: the frozen base weight received a gradient; it should not require grad")


def _inject(mine, targets, r, alpha):
    seed_everything(0)
    model = Tiny()
    originals = {name: model.get_submodule(name) for name in ["fc1", "block.0", "fc2", "head"]}
    before = copy.deepcopy(model)
    returned = mine.add_lora(model, list(targets), r=r, alpha=alpha)
    return (model if returned is None else returned), before, originals


@check.step("inject")
def inject(ctx):
    """add_lora freezes the model and wraps the named layers; count_trainable counts A and B only."""
    mine = ctx.learner(FILE)
    cases = [(["fc1", "head"], 2, 4.0, "add_lora(model, ['fc1', 'head'], r=2, alpha=4)")]
    names = ["fc1", "block.0", "fc2", "head"]
    for case in hidden_cases(seed=43, count=5):
        targets = case.rng.sample(names, case.randint(1, 4))
        r = case.randint(1, 3)
        cases.append((targets, r, 2.0 * r, f"add_lora(model, {targets}, r={r}, alpha={2 * r}), {case.name}"))
    g = torch.Generator().manual_seed(3)
    for targets, r, alpha, label in cases:
        model, before, originals = _inject(mine, targets, r, alpha)
        model.to(ctx.device)
        for name, original in originals.items():
            now = model.get_submodule(name)
            if name in targets:
                if not _is_lora(mine, now):
                    fail(f"{label}: model.{name} is a {type(now).__name__}, expected your LoRALinear wrapping it")
                _lora_params(now, original, r)
            elif now is not original:
                fail(f"{label}: model.{name} was not in targets, so it should stay the same nn.Linear object")
        base_total = sum(p.numel() for p in before.parameters())
        lora = sum(r * (originals[n].in_features + originals[n].out_features) for n in targets)
        unfrozen = [f"{n}.{k}" for n, m in originals.items() for k, p in m.named_parameters() if p.requires_grad]
        if unfrozen:
            fail(
                f"{label}: {', '.join(unfrozen)} still require grad. Freeze the whole pretrained model first "
                "(model.requires_grad_(False)), then wrap the targets: only the new A and B train."
            )
        got = mine.count_trainable(model)
        expected = (lora, base_total + lora)
        if not isinstance(got, tuple | list) or len(got) != 2 or tuple(int(v) for v in got) != expected:
            fail(
                f"{label}: count_trainable returned {got!r}, expected {expected}: {lora} LoRA values "
                f"(r * (in + out) per wrapped layer) out of {base_total + lora} in all. Count values "
                "(p.numel()), not tensors, and only those with p.requires_grad for the first number."
            )
        x = _randn(g, 5, 8, device=ctx.device)
        with torch.no_grad():
            assert_close(
                model(x),
                before.to(ctx.device)(x),
                rtol=1e-5,
                atol=1e-6,
                name=f"{label}: the model's output right after add_lora",
                hint="B starts at zero, so wrapping must not change what the model computes.",
            )
        if targets == cases[0][0]:
            ctx.metrics["trainable"], ctx.metrics["total"] = expected
    return f"{ctx.metrics['trainable']} of {ctx.metrics['total']} values train after {cases[0][3]}"


@check.step("merge")
def merge(ctx):
    """merge() returns an nn.Linear with W + (alpha / r) B A; merge_lora swaps every LoRALinear for it."""
    mine = ctx.learner(FILE)
    cases = [(4, 3, 2, 6.0, True, "LoRALinear(Linear(4, 3), r=2, alpha=6).merge()")]
    for case in hidden_cases(seed=44, count=6):
        fan_in, fan_out, r = case.randint(1, 10), case.randint(1, 10), case.randint(1, 4)
        bias = case.index % 3 != 2
        label = f"LoRALinear(Linear({fan_in}, {fan_out}, bias={bias}), r={r}, alpha={2 * r}).merge(), {case.name}"
        cases.append((fan_in, fan_out, r, 2.0 * r, bias, label))
    g = torch.Generator().manual_seed(4)
    for index, (fan_in, fan_out, r, alpha, bias, label) in enumerate(cases):
        seed_everything(index)
        base = nn.Linear(fan_in, fan_out, bias=bias)
        layer = mine.LoRALinear(base, r=r, alpha=alpha).to(ctx.device)
        a, b = _lora_params(layer, base, r)
        _set_random(a, b, g)
        weight = base.weight.detach().clone()
        x = _randn(g, 5, fan_in, device=ctx.device)
        with torch.no_grad():
            adapted = layer(x)
            merged = layer.merge()
            if not isinstance(merged, nn.Linear):
                fail(f"{label} should return an nn.Linear, got {type(merged).__name__}")
            expected_weight = weight + (alpha / r) * b @ a
            scale_hint = ""
            if torch.allclose(merged.weight, weight + b @ a, rtol=1e-4, atol=1e-5):
                scale_hint = "It looks like the scaling is missing: the merged weight is W + (alpha / r) * B @ A."
            assert_close(
                merged.weight,
                expected_weight,
                rtol=1e-4,
                atol=1e-5,
                name=f"{label}: the merged weight",
                hint=scale_hint or "W + (alpha / r) * B @ A: B (out, r) @ A (r, in) has W's shape (out, in).",
            )
            if not torch.equal(base.weight, weight):
                fail(
                    f"{label} changed the base layer's weight in place. Build a new nn.Linear for the merged weight: "
                    "the adapter may still be in use (or merged again), and the pretrained W must stay intact."
                )
            assert_close(layer(x), adapted, name=f"{label}: the LoRA layer's output after merge()")
            assert_close(
                merged(x),
                adapted,
                rtol=1e-4,
                atol=1e-5,
                name=f"{label}: merged(x) against the LoRA layer's output",
                hint="The merged layer keeps the base's bias (or none, when the base has none).",
            )
    for targets in (["fc1", "head"], ["block.0", "fc2"]):
        model, _, _ = _inject(mine, targets, 2, 4.0)
        model.to(ctx.device)
        for name in targets:
            layer = model.get_submodule(name)
            for p in (p for p in layer.parameters() if p.requires_grad):
                with torch.no_grad():
                    p.copy_(torch.randn(p.shape, generator=g).to(p.device))
        x = _randn(g, 6, 8, device=ctx.device)
        with torch.no_grad():
            adapted = model(x)
            returned = mine.merge_lora(model)
            model = model if returned is None else returned
            left = [name for name, m in model.named_modules() if _is_lora(mine, m)]
            if left:
                fail(f"merge_lora(model with LoRA on {targets}) left LoRALinear layers at {left}")
            assert_close(
                model(x),
                adapted,
                rtol=1e-4,
                atol=1e-5,
                name=f"merge_lora(model with LoRA on {targets})(x) against the adapted model",
            )
        total = sum(p.numel() for p in model.parameters())
        if total != sum(p.numel() for p in Tiny().parameters()):
            fail(f"after merge_lora the model has {total} parameters; merged, it should be the size of the base model")


@check.step("finetune", needs=["init", "forward", "inject", "merge"])
def finetune(ctx):
    """LoRA on a model pretrained on digits 0-4 learns digits 5-9; the base weights do not move."""
    mine = ctx.learner(FILE)
    _, (x_train, y_train), (x_test, y_test) = _digits()
    x_train, y_train, x_test, y_test = (t.to(ctx.device) for t in (x_train, y_train, x_test, y_test))
    model = _pretrained(ctx.device)
    old_acc = _accuracy(model, *(t.to(ctx.device) for t in _digits()[0]))
    before_acc = _accuracy(model, x_test, y_test)
    originals = {name: model.get_submodule(name) for name in TARGETS}
    weights = {f"{n}.{k}": v.detach().clone() for n, m in originals.items() for k, v in m.named_parameters()}
    seed_everything(0)
    returned = mine.add_lora(model, list(TARGETS), r=RANK, alpha=ALPHA)
    model = (model if returned is None else returned).to(ctx.device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    history = mine.finetune(model, x_train, y_train, seed=0, progress=ctx.progress)
    moved = [
        name
        for name, value in weights.items()
        if not torch.equal(originals[name.split(".")[0]].get_parameter(name.split(".")[1]).detach(), value)
    ]
    if moved:
        fail(
            f"fine-tuning changed the pretrained weights {', '.join(moved)}. LoRA trains only A and B: build the "
            "optimizer from the parameters that require grad, and never switch the base's requires_grad back on "
            "(model.requires_grad_(True) would turn this into full fine-tuning)."
        )
    acc = _accuracy(model, x_test, y_test)
    with torch.no_grad():
        adapted = model(x_test)
        if not torch.isfinite(adapted).all():
            fail(
                "after finetune the model's scores are NaN or infinite: training diverged. Lower the learning "
                "rate (Adam at 1e-2, or SGD at 0.01 with momentum) and check the loss of each epoch."
            )
        merged = mine.merge_lora(model)
        merged = model if merged is None else merged
        assert_close(
            merged(x_test), adapted, rtol=1e-4, atol=1e-4, name="the merged model's scores on the held-out digits"
        )
    merged_acc = _accuracy(merged, x_test, y_test)
    ctx.metrics.update(
        test_acc=round(acc, 4),
        merged_acc=round(merged_acc, 4),
        base_acc_new=round(before_acc, 4),
        base_acc_old=round(old_acc, 4),
        trainable=trainable,
        total=total,
    )
    if isinstance(history, list) and history:
        ctx.metrics["final_loss"] = round(float(history[-1]), 4)
    summary = (
        f"held-out accuracy on digits 5-9: {acc:.3f} after LoRA (the pretrained model: {before_acc:.3f}), "
        f"training {trainable:,} of {total:,} values ({100 * trainable / total:.0f}%); merged: {merged_acc:.3f}"
    )
    if acc < THRESHOLD:
        fail(
            f"{summary}; the goal is {THRESHOLD}. Does finetune give the optimizer the trainable parameters, "
            "call zero_grad, backward and step every batch, for enough epochs (Adam at lr 1e-2, about 40 epochs "
            "of batches of 64)?"
        )
    return summary
