"""Check for the optimizers lab (d2l chapter 11): eight steps. Each optimizer runs step by step
beside torch's own (torch.optim.SGD, Adam, AdamW) on identical parameters and losses, from step 1,
on a visible problem and seeded hidden ones (random shapes, size-1 and 0-d tensors, a parameter
without a gradient, two parameter groups); a checkpoint round trip through state_dict(); then a
small network trained on scikit-learn's digits with your optimizers.

Comparisons run in float64 on the chosen device (float32 on MPS, which has no float64). While
your step() runs, torch's own SGD and Adam updates are watched: calling them would prove nothing."""

import contextlib
import copy
import functools
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from studyctl.labkit.api import Check, assert_close, fail, hidden_cases, seed_everything

torch.set_num_threads(1)  # tiny tensors: one thread is as fast, and does not stall a shared CPU

check = Check()
FILE = "optimizers.py"
STEPS = 5
TRAIN_THRESHOLD = 0.9  # the reference: about 0.97 with Nesterov SGD and with AdamW


# -- the problems --------------------------------------------------------------------------------


@dataclass
class Problem:
    """Parameters (initial values, CPU float64), each one's loss term (w, u): sum(w * p**2 + u * p),
    or None for a parameter that never gets a gradient, and optional parameter groups."""

    label: str
    init: list
    terms: list
    groups: list | None = None  # [(indexes, {option: value}), ...]


def _randn(case, shape):
    """Normal values of `shape` in float64, 0-d included (drawn as one value, then reshaped)."""
    return case.randn(*(shape or (1,)), dtype=torch.float64).reshape(shape)


def _problems(seed: int, count: int, group_option: str, low: float, high: float) -> list[Problem]:
    g = torch.Generator().manual_seed(seed)
    init = [torch.randn(3, generator=g, dtype=torch.float64), torch.randn(2, 2, generator=g, dtype=torch.float64)]
    init.append(torch.randn(2, generator=g, dtype=torch.float64))
    terms = [
        (
            torch.rand(t.shape, generator=g, dtype=torch.float64) + 0.1,
            torch.randn(t.shape, generator=g, dtype=torch.float64),
        )
        for t in init[:2]
    ]
    problems = [Problem("params (3,), (2, 2) and (2,) without a gradient", init, [*terms, None])]
    for case in hidden_cases(seed=seed, count=count):
        shapes = [case.shape(case.randint(0, 3), 1, 4) for _ in range(case.randint(1, 3))]
        init = [_randn(case, s) for s in shapes]
        terms = [(_randn(case, s).abs() + 0.1, _randn(case, s)) for s in shapes]
        if case.index == 1:  # a parameter that never gets a gradient must not move
            init.append(_randn(case, (2,)))
            terms.append(None)
        groups = None
        if case.index == 0 and len(init) > 1:  # two groups: the first parameter has its own setting
            value = low + (high - low) * torch.rand(1, generator=case.generator).item()
            groups = [([0], {group_option: value}), (list(range(1, len(init))), {})]
        described = ", ".join(str(tuple(t.shape)) for t in init)
        if case.index == 1:
            described += " (the last without a gradient)"
        if groups:
            described += f"; two groups, the first with {group_option}={value:.3g}"
        problems.append(Problem(f"{case.name}: params {described}", init, terms, groups))
    return problems


def _dtype(ctx):
    return torch.float32 if ctx.device.type == "mps" else torch.float64


def _tolerance(ctx) -> dict:
    return {"rtol": 1e-5, "atol": 1e-6} if ctx.device.type == "mps" else {"rtol": 1e-9, "atol": 1e-12}


# -- running an optimizer ------------------------------------------------------------------------


def _torch_updates():
    """(owner, attribute) of torch's own SGD and Adam updates, to watch while the learner's step runs."""
    targets = [(torch.optim.SGD, "step"), (torch.optim.Adam, "step")]
    for module_name, names in (
        ("sgd", ("sgd", "_single_tensor_sgd", "_multi_tensor_sgd", "_fused_sgd")),
        ("adam", ("adam", "_single_tensor_adam", "_multi_tensor_adam", "_fused_adam")),
        ("adamw", ("adamw",)),
    ):
        module = getattr(torch.optim, module_name, None)
        targets += [(module, name) for name in names if module is not None and callable(getattr(module, name, None))]
    return targets


@contextlib.contextmanager
def _watch_torch_updates():
    """Record every call of torch's own optimizer updates while the block runs."""
    calls, saved = [], []
    for owner, name in _torch_updates():
        original = owner.__dict__.get(name, getattr(owner, name))
        saved.append((owner, name, original))

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        setattr(owner, name, functools.wraps(original)(spy))
    try:
        yield calls
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _loss(params, terms):
    """sum(w * p**2 + u * p) over the parameters that have a term: a gradient of 2 w p + u."""
    return sum(
        ((w.to(p) * p * p) + u.to(p) * p).sum()
        for p, term in zip(params, terms, strict=True)
        if term
        for w, u in [term]
    )


def _arguments(problem: Problem, params: list):
    if not problem.groups:
        return params
    return [{"params": [params[i] for i in indexes], **options} for indexes, options in problem.groups]


def _trajectory(ctx, make, problem: Problem, steps: int = STEPS, learner: str = ""):
    """The parameters' values after each of `steps` steps of the optimizer make(params) on the
    problem's loss. With `learner` (the class name), the optimizer is the learner's: checked to be
    an Optimizer subclass that does its own arithmetic."""
    dtype = _dtype(ctx)
    params = [t.to(ctx.device, dtype).clone().requires_grad_(True) for t in problem.init]
    optimizer = make(_arguments(problem, params))
    if learner:
        if isinstance(optimizer, (torch.optim.SGD, torch.optim.Adam)):
            fail(
                f"{learner} is a {type(optimizer).__mro__[1].__name__} subclass: write the update yourself in a "
                "subclass of torch.optim.Optimizer. The check compares you with torch's own optimizers."
            )
        if not isinstance(optimizer, torch.optim.Optimizer):
            fail(f"{learner}(...) should be a torch.optim.Optimizer subclass; got {type(optimizer).__name__}")
    values = []
    for _ in range(steps):
        optimizer.zero_grad()
        _loss(params, problem.terms).backward()
        if not learner:
            optimizer.step()
        else:
            with _watch_torch_updates() as calls:
                try:
                    optimizer.step()
                except RuntimeError as exc:
                    if "leaf Variable" in str(exc) or "in-place" in str(exc):
                        fail(
                            f"{learner}.step() raised: {exc}\nUpdate the parameters without autograd recording it: "
                            "decorate step with @torch.no_grad() (as torch's optimizers do)."
                        )
                    raise
            if calls:
                fail(
                    f"{learner}.step() called torch's own update ({', '.join(sorted(set(calls)))}): write the "
                    "arithmetic yourself; the check compares it with torch's."
                )
        values.append([p.detach().clone() for p in params])
    return values


def _matches(ctx, a, b) -> bool:
    tolerance = _tolerance(ctx)
    return all(
        x.shape == y.shape and torch.allclose(x, y, rtol=tolerance["rtol"] * 10, atol=tolerance["atol"] * 10)
        for x, y in zip(a, b, strict=True)
    )


def _judge(ctx, label, mine, reference, variants=(), first_step_hint=""):
    """Compare the learner's trajectory with torch's, step by step from step 1. On a difference,
    the hint names a variant (a likely mistake) whose trajectory matches the learner's there."""
    for t, (got, expected) in enumerate(zip(mine, reference, strict=True), start=1):
        if _matches(ctx, got, expected):
            continue
        hint = next(
            (why for values, why in ((v(), why) for v, why in variants) if _matches(ctx, got, values[t - 1])), ""
        )
        if not hint and t == 1:
            hint = first_step_hint
        if not hint and t > 1:
            hint = f"Step 1 matched and step {t} did not: look at what carries over between steps (the state)."
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            assert_close(
                g, e, **_tolerance(ctx), name=f"{label}: parameter {i} {tuple(e.shape)} after step {t}", hint=hint
            )


# -- SGD -----------------------------------------------------------------------------------------


def _sgd_settings(problem_index: int, seed: int, momentum: bool):
    g = torch.Generator().manual_seed(seed * 100 + problem_index)
    lr = 0.1 if problem_index == 0 else 0.01 + 0.4 * torch.rand(1, generator=g).item()
    wd = 0.0 if problem_index in (0, 2) else round(0.2 * torch.rand(1, generator=g).item(), 3)
    mu = (0.9 if problem_index == 0 else round(0.5 + 0.45 * torch.rand(1, generator=g).item(), 3)) if momentum else 0.0
    return lr, mu, wd


def _sgd_step(ctx, seed, momentum: bool, nesterov: bool):
    mine = ctx.learner(FILE)
    for index, problem in enumerate(_problems(seed, 6, "lr", 0.01, 0.5)):
        lr, mu, wd = _sgd_settings(index, seed, momentum)
        kwargs = {"lr": lr, "momentum": mu, "weight_decay": wd} | ({"nesterov": True} if nesterov else {})
        shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in kwargs.items())
        mine_values = _trajectory(ctx, lambda a, kw=kwargs: mine.SGDMomentum(a, **kw), problem, learner="SGDMomentum")
        reference = _trajectory(ctx, lambda a, kw=kwargs: torch.optim.SGD(a, **kw), problem)

        torch_sgd = functools.partial(_later, ctx, problem, torch.optim.SGD, kwargs)

        variants = []
        if wd:
            variants.append(
                (
                    torch_sgd(weight_decay=0.0),
                    "weight_decay is ignored: add weight_decay * p to the "
                    "gradient first (coupled L2, as torch.optim.SGD).",
                )
            )
        if problem.groups:
            variants.append(
                (
                    functools.partial(_trajectory, ctx, _ungrouped(torch.optim.SGD, kwargs), problem),
                    "Every group used the same settings: read lr (and the rest) from each group, "
                    "group['lr'] inside `for group in self.param_groups`, not self.defaults or an attribute.",
                )
            )
        if momentum and not nesterov:
            variants += [
                (
                    torch_sgd(dampening=mu),
                    "The buffer is an exponential moving average, buf = momentum * buf + "
                    "(1 - momentum) * g (dampening); torch's SGD and d2l use buf = momentum * buf + g.",
                ),
                (
                    torch_sgd(momentum=0.0, nesterov=False),
                    "No momentum at all: the buffer must persist between "
                    "steps, kept per parameter in self.state[p]['momentum_buffer'].",
                ),
            ]
        if nesterov:
            variants += [
                (
                    torch_sgd(nesterov=False),
                    "That is plain momentum (p -= lr * buf). Nesterov looks ahead: "
                    "p -= lr * (g + momentum * buf), with buf already updated.",
                ),
                (
                    torch_sgd(momentum=0.0, nesterov=False),
                    "No momentum at all: the buffer must persist between "
                    "steps, kept per parameter in self.state[p]['momentum_buffer'].",
                ),
            ]
        name = f"SGDMomentum({shown}) against torch.optim.SGD, {problem.label}"
        _judge(
            ctx,
            name,
            mine_values,
            reference,
            variants,
            first_step_hint="The first step: g = grad + weight_decay * p; with momentum, buf = g; then p -= lr * g "
            "(plain), p -= lr * buf (momentum) or p -= lr * (g + momentum * buf) (Nesterov).",
        )


def _later(ctx, problem, cls, kwargs, **changes):
    """The trajectory of cls(params, **kwargs, **changes) on the problem, computed when called (for hints)."""
    return functools.partial(_trajectory, ctx, functools.partial(cls, **(kwargs | changes)), problem)


def _ungrouped(cls, kwargs):
    """A maker of torch's optimizer `cls` over all the parameters in one group: the group settings ignored."""
    return lambda arguments: cls(list(_all(arguments)), **kwargs)


def _all(arguments):
    """The parameters of a list of groups (or of a plain list), in order."""
    for item in arguments:
        yield from item["params"] if isinstance(item, dict) else [item]


@check.step("sgd")
def sgd(ctx):
    """SGDMomentum(lr, weight_decay) without momentum equals torch.optim.SGD step by step."""
    _sgd_step(ctx, 81, momentum=False, nesterov=False)


@check.step("momentum")
def momentum(ctx):
    """SGDMomentum(lr, momentum, weight_decay) equals torch.optim.SGD(momentum=...) step by step."""
    _sgd_step(ctx, 82, momentum=True, nesterov=False)


@check.step("nesterov")
def nesterov(ctx):
    """SGDMomentum(..., nesterov=True) equals torch.optim.SGD(momentum=..., nesterov=True) step by step."""
    _sgd_step(ctx, 83, momentum=True, nesterov=True)


# -- Adam and AdamW ------------------------------------------------------------------------------


class _AdamVariant(torch.optim.Optimizer):
    """Adam as learners sometimes write it, for hints only: without bias correction, with eps under
    the square root, weight decay coupled or decoupled (with or without lr, before or after)."""

    def __init__(
        self, params, lr, betas, eps, weight_decay=0.0, *, decay="coupled", bias_correction=True, eps_inside=False
    ):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})
        self.decay, self.bias_correction, self.eps_inside = decay, bias_correction, eps_inside

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad + wd * p if self.decay == "coupled" else p.grad
                if self.decay == "decoupled":
                    p.mul_(1 - lr * wd)
                elif self.decay == "without-lr":
                    p.mul_(1 - wd)
                state = self.state[p]
                if not state:
                    state.update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["t"] += 1
                state["m"] = b1 * state["m"] + (1 - b1) * grad
                state["v"] = b2 * state["v"] + (1 - b2) * grad * grad
                m, v = state["m"], state["v"]
                if self.bias_correction:
                    m, v = m / (1 - b1 ** state["t"]), v / (1 - b2 ** state["t"])
                denominator = (v + eps).sqrt() if self.eps_inside else v.sqrt() + eps
                if self.decay == "after":
                    before = p.clone()
                    p.sub_(lr * m / denominator)
                    p.sub_(lr * wd * before)
                else:
                    p.sub_(lr * m / denominator)


def _adam_settings(index: int, seed: int, weight_decay: bool):
    g = torch.Generator().manual_seed(seed * 100 + index)
    if index == 0:
        return {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8} | ({"weight_decay": 0.1} if weight_decay else {})
    r = torch.rand(5, generator=g).tolist()
    settings = {
        "lr": round(10 ** (-3 + 2 * r[0]), 5),
        "betas": (round(0.5 + 0.45 * r[1], 3), round(0.9 + 0.099 * r[2], 4)),
    }
    settings["eps"] = float(f"{10 ** (-8 + 7 * r[3]):.1e}")  # up to 0.1: eps under the square root shows
    if weight_decay:
        settings["weight_decay"] = round(0.05 + 0.3 * r[4], 3)
    return settings


def _adam_step(ctx, seed, which: str):
    mine = ctx.learner(FILE)
    mine_class = mine.AdamW if which == "adamw" else mine.Adam
    torch_class = torch.optim.AdamW if which == "adamw" else torch.optim.Adam
    for index, problem in enumerate(_problems(seed, 6, "lr", 0.001, 0.1)):
        kwargs = _adam_settings(index, seed, weight_decay=which != "adam")
        if which == "adamw" and index == 0:
            kwargs.pop("weight_decay")  # the visible AdamW case uses the default, 1e-2 as in torch
        shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        class_name = "AdamW" if which == "adamw" else "Adam"
        mine_values = _trajectory(ctx, lambda a, kw=kwargs: mine_class(a, **kw), problem, learner=class_name)
        reference = _trajectory(ctx, lambda a, kw=kwargs: torch_class(a, **kw), problem)
        full = {"weight_decay": 1e-2 if which == "adamw" else 0.0} | kwargs

        variant = functools.partial(_later, ctx, problem, _AdamVariant, full)

        b1, b2 = full["betas"]
        variants = [
            (
                variant(decay="coupled" if which != "adamw" else "decoupled", bias_correction=False),
                f"No bias correction: m and v start at 0, so at step 1 m = {1 - b1:g} g and v = {1 - b2:g} g^2, "
                "far too small. Divide by (1 - beta1**t) and (1 - beta2**t), t counting steps from 1.",
            ),
            (
                variant(decay="coupled" if which != "adamw" else "decoupled", eps_inside=True),
                "eps is under the square root: Adam divides by sqrt(v_hat) + eps.",
            ),
        ]
        if which == "adam-l2":
            variants += [
                (
                    variant(decay="decoupled"),
                    "That is AdamW's decoupled decay (p *= 1 - lr * weight_decay). Adam's "
                    "weight_decay is L2 regularisation: add weight_decay * p to the gradient, before m and v.",
                ),
                (variant(decay="none"), "weight_decay is ignored: add weight_decay * p to the gradient first."),
            ]
        if which == "adamw":
            variants += [
                (
                    variant(decay="coupled"),
                    "That is Adam's coupled L2 decay (weight_decay * p added to the gradient, "
                    "then scaled by 1 / sqrt(v)). AdamW decouples it: p *= 1 - lr * weight_decay, then Adam on the "
                    "gradient alone.",
                ),
                (
                    variant(decay="without-lr"),
                    "The decay is p *= 1 - lr * weight_decay (torch scales it by lr), not p *= 1 - weight_decay.",
                ),
                (
                    variant(decay="after"),
                    "The decay uses the weights from before the Adam update (torch shrinks p "
                    "first, then applies the update).",
                ),
                (variant(decay="none"), "weight_decay is ignored: shrink p by (1 - lr * weight_decay) every step."),
            ]
        if problem.groups:
            variants.append(
                (
                    functools.partial(_trajectory, ctx, _ungrouped(torch_class, kwargs), problem),
                    "Every group used the same lr: read the settings from each group, group['lr'].",
                )
            )
        _judge(
            ctx,
            f"{class_name}({shown}) against torch.optim.{torch_class.__name__}, {problem.label}",
            mine_values,
            reference,
            variants,
            first_step_hint="At step 1, with bias correction, m_hat = g and v_hat = g^2, so each element moves by "
            "about lr * g / (|g| + eps): nearly lr.",
        )


@check.step("adam")
def adam(ctx):
    """Adam without weight decay equals torch.optim.Adam from step 1 (bias correction, eps outside the root)."""
    _adam_step(ctx, 84, "adam")


@check.step("adam-l2")
def adam_l2(ctx):
    """Adam(weight_decay=...) equals torch.optim.Adam: coupled L2, added to the gradient."""
    _adam_step(ctx, 85, "adam-l2")


@check.step("adamw")
def adamw(ctx):
    """AdamW equals torch.optim.AdamW: decoupled decay, p *= 1 - lr * weight_decay, then Adam."""
    _adam_step(ctx, 86, "adamw")


# -- state ---------------------------------------------------------------------------------------


@check.step("state", needs=["momentum", "adam", "adamw"])
def state(ctx):
    """A checkpoint round trip (state_dict, a fresh optimizer, load_state_dict) continues exactly."""
    mine = ctx.learner(FILE)
    problem = _problems(87, 0, "lr", 0.0, 0.0)[0]
    dtype = _dtype(ctx)
    for name, make in (
        ("SGDMomentum(lr=0.1, momentum=0.9)", lambda a: mine.SGDMomentum(a, lr=0.1, momentum=0.9)),
        ("Adam(lr=0.1)", lambda a: mine.Adam(a, lr=0.1)),
        ("AdamW(lr=0.1, weight_decay=0.1)", lambda a: mine.AdamW(a, lr=0.1, weight_decay=0.1)),
    ):
        params = [t.to(ctx.device, dtype).clone().requires_grad_(True) for t in problem.init]
        optimizer = make(params)
        copies, resumed = None, None

        def one_step(optimizer, params):
            optimizer.zero_grad()
            _loss(params, problem.terms).backward()
            optimizer.step()

        for t in range(1, 6):
            if t == 4:  # a checkpoint after three steps, loaded into a fresh optimizer on fresh copies
                copies = [p.detach().clone().requires_grad_(True) for p in params]
                resumed = make(copies)
                resumed.load_state_dict(copy.deepcopy(optimizer.state_dict()))  # as torch.save + torch.load
            one_step(optimizer, params)
            if resumed is not None:
                one_step(resumed, copies)
                for i, (p, q) in enumerate(zip(params, copies, strict=True)):
                    assert_close(
                        q.detach(),
                        p.detach(),
                        **_tolerance(ctx),
                        name=f"{name}: parameter {i} at step {t}, resumed from a state_dict saved after step 3",
                        hint="Keep everything a parameter's update needs (the step count, the moving averages, the "
                        "momentum buffer) in self.state[p]: state_dict() saves self.state and the param_groups, "
                        "not attributes such as self.t or a dict of your own.",
                    )
    return "SGDMomentum, Adam and AdamW resume from a checkpoint exactly"


# -- training ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(2024))
    return x[order[360:]], y[order[360:]], x[order[:360]], y[order[:360]]


def _train_digits(ctx, make, label, first):
    x_train, y_train, x_test, y_test = (t.to(ctx.device) for t in _digits())
    seed_everything(0)
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)).to(ctx.device)
    optimizer = make(model.parameters())
    g = torch.Generator().manual_seed(0)
    for epoch in range(1, 9):
        model.train()
        order = torch.randperm(len(y_train), generator=g).to(ctx.device)
        for start in range(0, len(order), 64):
            batch = order[start : start + 64]
            loss = F.cross_entropy(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        ctx.progress(first + epoch, 16, **{f"{label}_loss": loss.item()})
    model.eval()
    with torch.no_grad():
        return (model(x_test).argmax(dim=1) == y_test).float().mean().item()


@check.step("train", needs=["nesterov", "adamw"])
def train(ctx):
    """Your Nesterov SGD and your AdamW each train a small MLP on held-out digits."""
    mine = ctx.learner(FILE)
    results = {
        "nesterov": _train_digits(
            ctx, lambda p: mine.SGDMomentum(p, lr=0.05, momentum=0.9, nesterov=True), "nesterov", 0
        ),
        "adamw": _train_digits(ctx, lambda p: mine.AdamW(p, lr=3e-3, weight_decay=1e-2), "adamw", 8),
    }
    for name, accuracy in results.items():
        ctx.metrics[f"{name}_test_acc"] = round(accuracy, 4)
        if accuracy < TRAIN_THRESHOLD:
            fail(f"with your {name}, the MLP scores {accuracy:.3f} on 360 held-out digits, below {TRAIN_THRESHOLD}")
    return f"held-out accuracy: Nesterov SGD {results['nesterov']:.3f}, AdamW {results['adamw']:.3f}"
