"""Check for the tensors-autograd lab: six steps, each compared with torch's own ops or the
reference solution computed in this run, on visible cases and seeded hidden ones."""

import torch

from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases

check = Check()
FILE = "tensors.py"


@check.step("shapes")
def shapes(ctx):
    """flatten_images keeps the batch dimension."""
    mine = ctx.learner(FILE)
    hint = "Keep the batch dimension: x.reshape(x.shape[0], -1) (flatten() and squeeze() can lose it)."
    x = torch.arange(2 * 3 * 4 * 4, dtype=torch.float32, device=ctx.device).reshape(2, 3, 4, 4)
    assert_close(mine.flatten_images(x), x.reshape(2, -1), name="flatten_images(x), x of shape (2, 3, 4, 4)", hint=hint)
    for case in hidden_cases(seed=11, count=10):
        shape = (case.randint(1, 4), case.randint(1, 3), case.randint(1, 5), case.randint(1, 5))
        x = case.randn(*shape, device=ctx.device)
        got = mine.flatten_images(x)
        assert_close(
            got, x.reshape(shape[0], -1), name=f"flatten_images(x), {case.name}, x of shape {shape}", hint=hint
        )


@check.step("center-columns")
def center_columns(ctx):
    """center_columns subtracts column means by broadcasting."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    hint = "Column means are x.mean(dim=0, keepdim=True), shape (1, d); dim=1 would average each row instead."
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]], device=ctx.device)
    assert_close(
        mine.center_columns(x), reference.center_columns(x), name="center_columns(x), x of shape (3, 2)", hint=hint
    )
    for case in hidden_cases(seed=12, count=10):
        x = case.randn(*case.shape(2, 1, 7), device=ctx.device) * 3 + 1
        assert_close(
            mine.center_columns(x),
            reference.center_columns(x),
            name=f"center_columns(x), {case.name}, x of shape {tuple(x.shape)}",
            hint=hint,
        )


def _cdist_squared(a, b):
    return torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist") ** 2


@check.step("pairwise-distances")
def pairwise_distances(ctx):
    """pairwise_sq_dists matches torch.cdist squared, by broadcasting to (n, m, d)."""
    mine = ctx.learner(FILE)
    hint = "Broadcast a[:, None, :] (n, 1, d) against b[None, :, :] (1, m, d), square, then sum over the last dim."
    g = torch.Generator().manual_seed(3)
    a, b = torch.randn(4, 2, generator=g).to(ctx.device), torch.randn(3, 2, generator=g).to(ctx.device)
    assert_close(
        mine.pairwise_sq_dists(a, b),
        _cdist_squared(a, b),
        rtol=1e-4,
        atol=1e-4,
        name="pairwise_sq_dists(a, b), a (4, 2), b (3, 2)",
        hint=hint,
    )
    for case in hidden_cases(seed=13, count=10):
        n, m, d = case.shape(3, 1, 8)
        a, b = case.randn(n, d, device=ctx.device), case.randn(m, d, device=ctx.device)
        assert_close(
            mine.pairwise_sq_dists(a, b),
            _cdist_squared(a, b),
            rtol=1e-4,
            atol=1e-4,
            name=f"pairwise_sq_dists(a, b), {case.name}, a ({n}, {d}), b ({m}, {d})",
            hint=hint,
        )


FUNCTIONS = [
    ("sum(x ** 2)", lambda x: (x**2).sum()),
    ("sum(sin(x) * x)", lambda x: (torch.sin(x) * x).sum()),
    ("logsumexp(x)", lambda x: torch.logsumexp(x.reshape(-1), dim=0)),
]


@check.step("autograd")
def autograd(ctx):
    """autograd_grad agrees with numerical gradients and leaves its input alone."""
    mine = ctx.learner(FILE)
    worst = 0.0
    for label, f in FUNCTIONS:
        for case in hidden_cases(seed=14, count=3):
            x = case.randn(*case.shape(2, 1, 4), dtype=torch.float64, device=ctx.device)
            before = x.clone()
            grad = mine.autograd_grad(f, x)
            if x.requires_grad or x.grad is not None:
                fail(
                    "autograd_grad changed the caller's tensor: afterwards x.requires_grad is "
                    f"{x.requires_grad} and x.grad is {'set' if x.grad is not None else 'None'}.\n"
                    "Work on a copy: x.detach().clone().requires_grad_(True)."
                )
            assert_close(x, before, name="x after autograd_grad(f, x)", hint="Don't modify x in place.")
            name = f"autograd_grad(f, x) with f(x) = {label}, {case.name}"
            worst = max(worst, grad_check(f, x, grad, threshold=1e-6, name=name))
    ctx.metrics["grad_rel_error"] = worst


@check.step("manual-step")
def manual_step(ctx):
    """Three calls of sgd_step match torch.optim.SGD."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(4)
    x, y = torch.randn(32, 3, generator=g).to(ctx.device), torch.randn(32, generator=g).to(ctx.device)
    w = torch.randn(3, generator=g).to(ctx.device).requires_grad_(True)
    b = torch.zeros((), device=ctx.device, requires_grad=True)
    w_ref, b_ref = w.detach().clone().requires_grad_(True), b.detach().clone().requires_grad_(True)
    optimizer = None
    for call in (1, 2, 3):
        loss = mine.sgd_step(w, b, x, y, 0.1)
        optimizer = optimizer or torch.optim.SGD([w_ref, b_ref], lr=0.1)  # built after the first call: it is slow
        optimizer.zero_grad()
        expected_loss = ((x @ w_ref + b_ref - y) ** 2).mean()
        expected_loss.backward()
        optimizer.step()
        if isinstance(loss, torch.Tensor):
            fail(f"sgd_step returned a tensor; return loss.item(), a float (call {call})")
        assert_close(
            loss,
            expected_loss.item(),
            rtol=1e-5,
            atol=1e-6,
            name=f"the loss returned by call {call}",
            hint="Return the mean squared error computed before the update.",
        )
        if call == 1:
            hint = (
                "Update in place under torch.no_grad(): w -= lr * w.grad (writing w = w - ... only "
                "rebinds a local name, and the caller's w stays as it was)."
            )
        else:
            hint = (
                f"Call 1 matched torch.optim.SGD but call {call} did not: backward() adds into .grad, so "
                "gradients pile up across calls. Clear them after the update (w.grad = None)."
            )
        if not (w.requires_grad and b.requires_grad):
            fail("after sgd_step, w or b no longer requires grad: update them in place inside torch.no_grad()")
        assert_close(w.detach(), w_ref.detach(), rtol=1e-5, atol=1e-6, name=f"w after call {call}", hint=hint)
        assert_close(b.detach(), b_ref.detach(), rtol=1e-5, atol=1e-6, name=f"b after call {call}", hint=hint)


@check.step("fit-line", needs=["manual-step"])
def fit_line(ctx):
    """200 calls of sgd_step fit y = 3x + 2 from noisy points."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(5)
    x = torch.randn(256, 1, generator=g)
    y = 3 * x[:, 0] + 2 + 0.1 * torch.randn(256, generator=g)
    x, y = x.to(ctx.device), y.to(ctx.device)
    w = torch.zeros(1, device=ctx.device, requires_grad=True)
    b = torch.zeros((), device=ctx.device, requires_grad=True)
    steps = 200
    for i in range(1, steps + 1):
        loss = mine.sgd_step(w, b, x, y, 0.1)
        ctx.progress(i, steps, loss=loss)
    slope, intercept = w.item(), b.item()
    ctx.metrics.update(slope=round(slope, 4), intercept=round(intercept, 4), final_loss=round(loss, 5))
    if abs(slope - 3) > 0.05 or abs(intercept - 2) > 0.05:
        fail(f"after {steps} steps the line is y = {slope:.3f} x + {intercept:.3f}; expected about y = 3 x + 2")
    return f"learned y = {slope:.3f} x + {intercept:.3f} (true line: y = 3 x + 2)"
