"""The check-authoring API, in-process: teaching messages, gradient checks, step order and
`needs`, hidden cases, device choice and traceback trimming."""

from __future__ import annotations

import types

import numpy as np
import pytest
import torch
from conftest import write

from studyctl.labkit.api import (
    Check,
    CheckFailed,
    StepContext,
    assert_close,
    assert_shape,
    fail,
    grad_check,
    hidden_cases,
    numeric_grad,
    rel_error,
    seed_everything,
    skip,
)
from studyctl.labkit.devices import DeviceUnavailable, pick_device
from studyctl.labkit.result import ERROR, FAIL, PASS, SKIP, RunResult, StepResult
from studyctl.labkit.steps import run_steps
from studyctl.labkit.tracebacks import describe_exception


def message_of(call) -> str:
    with pytest.raises(CheckFailed) as caught:
        call()
    return str(caught.value)


# assert_close


def test_assert_close_accepts_equal_values():
    x = torch.randn(3, 4)
    assert_close(x.clone(), x)
    assert_close(np.ones(3), np.ones(3))
    assert_close(1.0 + 1e-9, 1.0)


def test_assert_close_names_the_shape_mismatch():
    message = message_of(lambda: assert_close(torch.zeros(96), torch.zeros(2, 48), name="flat", hint="keep N"))
    assert message == "flat: expected shape (2, 48), got (96,)\nkeep N"


def test_assert_close_names_the_dtype_and_device():
    assert "expected dtype float32, got float64" in message_of(
        lambda: assert_close(torch.zeros(2, dtype=torch.float64), torch.zeros(2))
    )
    on_meta = torch.zeros(2, device="meta")  # a second device that every build has
    assert "expected a tensor on cpu, got one on meta" in message_of(lambda: assert_close(on_meta, torch.zeros(2)))


def test_assert_close_points_at_the_first_wrong_element():
    expected = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    actual = expected.clone()
    actual[1, 2] += 0.5
    actual[2, 3] -= 2.0
    message = message_of(lambda: assert_close(actual, expected, name="y"))
    assert "y: 2 of 12 elements differ (rtol=1.3e-06, atol=1e-05)" in message
    assert "first wrong element at index [1, 2]: expected 6, got 6.5" in message
    assert "max abs error 2" in message


def test_assert_close_explains_none_and_wrong_kinds():
    assert "got None; did the function forget to `return`" in message_of(lambda: assert_close(None, torch.zeros(1)))
    assert "expected a torch.Tensor, got list" in message_of(lambda: assert_close([0.0], torch.zeros(1)))
    assert "NaN" in message_of(lambda: assert_close(torch.tensor([float("nan"), 1.0]), torch.ones(2)))


def test_assert_shape():
    assert_shape(torch.zeros(2, 3), (2, 3))
    assert "expected shape (3, 2), got (2, 3)" in message_of(lambda: assert_shape(torch.zeros(2, 3), (3, 2)))


# gradient checks


def test_rel_error_is_relative_to_the_gradients_scale():
    a = np.array([1.0, 2.0, 4.0])
    error, worst = rel_error(a, a + np.array([0.0, 0.0, 8e-6]))
    assert error == pytest.approx(8e-6 / 8.000008) and worst == (2,)
    assert rel_error(np.zeros(3), np.zeros(3))[0] == 0.0


def test_numeric_grad_matches_autograd_and_leaves_x_alone():
    x = torch.randn(3, 2, dtype=torch.float64)
    before = x.clone()
    numeric = numeric_grad(lambda t: (t.sin() * t).sum(), x)
    assert torch.equal(x, before)
    assert torch.allclose(numeric, x.cos() * x + x.sin(), atol=1e-8)


def test_numeric_grad_with_upstream_works_on_numpy():
    x = np.random.default_rng(0).normal(size=(2, 3))
    upstream = np.random.default_rng(1).normal(size=(2, 3))
    numeric = numeric_grad(lambda a: a**2, x, upstream=upstream)
    assert np.allclose(numeric, 2 * x * upstream, atol=1e-8)


def test_numeric_grad_refuses_float32():
    with pytest.raises(TypeError, match="float64"):
        numeric_grad(lambda t: t.sum(), torch.zeros(2))


def test_grad_check_passes_a_right_gradient_and_fails_a_wrong_one():
    x = torch.randn(4, dtype=torch.float64)
    f = lambda t: (t**3).sum()  # noqa: E731
    assert grad_check(f, x, 3 * x**2) < 1e-8
    message = message_of(lambda: grad_check(f, x, 2 * x**2, name="dx"))
    assert message.startswith("dx: relative error") and "is above 1e-06 (float64 centred differences)" in message
    assert "worst element at index" in message and "analytic" in message and "numerical" in message
    assert "expected shape (4,) (like the input), got (2,)" in message_of(lambda: grad_check(f, x, x[:2]))


# steps: order, needs, outcomes


def context(tmp_path, **kw) -> StepContext:
    return StepContext(device=torch.device("cpu"), workspace=tmp_path, lab_dir=tmp_path, **kw)


def test_steps_run_in_order_and_needs_skip_after_a_failure(tmp_path):
    check = Check()
    order = []

    @check.step("one")
    def one(ctx):
        order.append("one")
        ctx.metrics["acc"] = 0.5
        fail("wrong", loss=1.5)

    @check.step("two", needs=["one"])
    def two(ctx):
        order.append("two")

    @check.step("three")
    def three(ctx):
        order.append("three")
        return "fine"

    @check.step("four")
    def four(ctx):
        skip("needs CUDA")

    events = []
    statuses = run_steps(check, context(tmp_path), lambda event, **fields: events.append((event, fields)))
    assert order == ["one", "three"]
    assert statuses == {"one": FAIL, "two": SKIP, "three": PASS, "four": SKIP}
    results = [fields for event, fields in events if event == "result"]
    assert results[0]["metrics"] == {"acc": 0.5, "loss": 1.5} and results[0]["message"] == "wrong"
    assert "needs 'one' to pass first" in results[1]["message"]
    assert results[2]["message"] == "fine"


def test_step_declarations_are_checked():
    check = Check()
    with pytest.raises(ValueError, match="declared before"):
        check.step("b", needs=["a"])
    check.step("a")(lambda ctx: None)
    with pytest.raises(ValueError, match="twice"):
        check.step("a")


def test_plain_asserts_fail_and_exceptions_error(tmp_path):
    check = Check()

    @check.step("asserts")
    def asserts(ctx):
        assert 1 == 2, "one is not two"

    @check.step("raises")
    def raises(ctx):
        raise KeyError("k")

    assert run_steps(check, context(tmp_path), lambda *a, **k: None) == {"asserts": FAIL, "raises": ERROR}


def test_progress_is_throttled_but_always_sends_the_last_epoch(tmp_path):
    sent = []
    ctx = context(tmp_path, emit=lambda event, **fields: sent.append(fields))
    ctx._begin("train")
    for epoch in range(1, 101):
        ctx.progress(epoch, 100, loss=torch.tensor(0.5))
    assert sent[0]["epoch"] == 1 and sent[-1]["epoch"] == 100 and len(sent) < 10
    assert sent[-1]["metrics"] == {"loss": 0.5} and sent[-1]["step"] == "train"


def test_learner_and_solution_modules_load_from_their_folders(tmp_path):
    write(tmp_path / "ws" / "model.py", "from helper import VALUE\n")
    write(tmp_path / "ws" / "helper.py", "VALUE = 'mine'\n")
    write(tmp_path / "lab" / "solution" / "model.py", "VALUE = 'reference'\n")
    import sys

    sys.path.insert(0, str(tmp_path / "ws"))
    try:
        ctx = StepContext(device=torch.device("cpu"), workspace=tmp_path / "ws", lab_dir=tmp_path / "lab")
        assert ctx.learner("model.py").VALUE == "mine"
        assert ctx.solution("model.py").VALUE == "reference"
        assert "missing from your workspace" in message_of(lambda: ctx.learner("other.py"))
    finally:
        sys.path.remove(str(tmp_path / "ws"))
        for name in ("model", "helper", "lab_solution_model"):
            sys.modules.pop(name, None)


# hidden cases and seeds


def test_hidden_cases_are_the_same_on_every_run():
    first = [(c.shape(3), c.randn(2).tolist()) for c in hidden_cases(seed=7, count=4)]
    again = [(c.shape(3), c.randn(2).tolist()) for c in hidden_cases(seed=7, count=4)]
    other = [(c.shape(3), c.randn(2).tolist()) for c in hidden_cases(seed=8, count=4)]
    assert first == again and first != other
    assert len({shape for shape, _ in first}) > 1  # the shapes vary between cases
    assert next(hidden_cases(seed=1, count=3)).name == "hidden case 1 of 3"


def test_seed_everything_repeats_torch_and_numpy():
    seed_everything(3)
    a = (torch.randn(2).tolist(), np.random.rand())
    seed_everything(3)
    assert a == (torch.randn(2).tolist(), np.random.rand())


# device choice, without the hardware


def fake_torch(cuda: bool = False, mps: bool = False):
    return types.SimpleNamespace(
        __version__="2.x",
        version=types.SimpleNamespace(cuda=None),
        cuda=types.SimpleNamespace(is_available=lambda: cuda, get_device_name=lambda i: "H100"),
        backends=types.SimpleNamespace(mps=types.SimpleNamespace(is_available=lambda: mps)),
    )


def test_auto_prefers_cuda_then_mps_then_cpu():
    assert pick_device("auto", fake_torch(cuda=True, mps=True)) == ("cuda", "auto: CUDA device H100")
    assert pick_device("auto", fake_torch(mps=True))[0] == "mps"
    assert pick_device("auto", fake_torch()) == ("cpu", "auto: no CUDA or MPS device")
    assert pick_device("cpu", fake_torch(cuda=True))[0] == "cpu"


def test_an_explicit_missing_device_says_what_to_do():
    with pytest.raises(DeviceUnavailable, match=r"CPU-only build.*use --device auto or cpu"):
        pick_device("cuda", fake_torch())
    with pytest.raises(DeviceUnavailable, match="Apple silicon"):
        pick_device("mps", fake_torch(cuda=True))


# tracebacks and results


def test_traceback_keeps_only_the_learners_frames(tmp_path):
    write(tmp_path / "ws" / "prog.py", "def inner():\n    return {}['missing']\n\n\ndef outer():\n    return inner()\n")
    from studyctl.labkit.loading import load_file

    module = load_file(tmp_path / "ws" / "prog.py", "prog_for_traceback_test")
    try:
        module.outer()
    except KeyError as exc:
        message = describe_exception(exc, tmp_path / "ws")
    assert message.splitlines()[0] == "Traceback (your code, most recent call last):"
    assert "in outer" in message and "in inner" in message and message.endswith("KeyError: 'missing'")
    assert "test_labkit_api" not in message


def test_result_passes_only_without_failures_and_round_trips():
    result = RunResult("lab", [StepResult("a", PASS, metrics={"acc": 0.9}), StepResult("b", SKIP)], device="cpu")
    assert result.passed and result.metrics == {"acc": 0.9}
    assert RunResult.from_dict(result.to_dict()) == result
    assert not RunResult("lab", [StepResult("a", SKIP)]).passed
    assert not RunResult("lab", [StepResult("a", PASS), StepResult("b", ERROR)]).passed
    assert not RunResult("lab", [StepResult("a", PASS)], problem="timeout").passed


# rendering


def test_live_view_draws_a_progress_bar_on_a_terminal(capsys, monkeypatch):
    from studyctl.cli import lab_view as render

    monkeypatch.setattr(render, "PROGRESS_DELAY", 0.0)
    view = render.LiveView()
    view.tty = True
    view({"event": "step", "name": "fit"})
    view({"event": "progress", "step": "fit", "epoch": 5, "total": 10, "metrics": {"loss": 0.25}})
    view({"event": "result", "name": "fit", "status": "pass", "metrics": {"acc": 0.975}, "seconds": 1.5})
    out, err = capsys.readouterr()
    assert err.startswith("\r  ....   fit [##########----------] 5/10 loss=0.25")
    assert err.endswith("\r" + " " * len(err.split("\r")[1]) + "\r")  # blanked before the step's line
    assert out == "  PASS   fit  (1.5 s, acc=0.975)\n"


def test_summary_counts_steps():
    from studyctl.presentation.labs import format_summary

    result = RunResult("lab", [StepResult("a", PASS), StepResult("b", FAIL), StepResult("c", SKIP)], seconds=2.0)
    assert format_summary(result) == "Not yet: 1 of 3 steps passed (1 failed, 1 skipped), 2.0 s."


def test_assert_close_says_when_the_expected_values_are_nan_too():
    nan = torch.tensor([float("nan"), 1.0])
    message = message_of(lambda: assert_close(nan.clone(), nan))
    assert "expected nan, got nan" in message and "expected values are NaN too" in message


def test_dumped_frames_keep_the_first_learner_thread_with_its_source_lines(tmp_path):
    from studyctl.labkit.tracebacks import dumped_frames

    prog = write(tmp_path / "ws" / "prog.py", "def main():\n    while True:\n        pass\n")
    dump = [
        "Timeout (0:00:02)!",
        "Thread 0x0001 (most recent call first):",
        '  File "/usr/lib/python3.11/threading.py", line 320 in wait',
        "Thread 0x0002 (most recent call first):",
        f'  File "{prog}", line 3 in main',
        '  File "/somewhere/check.py", line 9 in runs',
        '  File "<frozen importlib._bootstrap>", line 241 in _call_with_frames_removed',
    ]
    assert dumped_frames(dump, tmp_path / "ws") == ["prog.py line 3, in main(): pass"]


def test_out_of_memory_errors_are_recognised():
    from studyctl.labkit import limits

    assert limits.is_out_of_memory(MemoryError())
    assert limits.is_out_of_memory(RuntimeError("[enforce fail] DefaultCPUAllocator: can't allocate memory: 8 GB"))
    assert not limits.is_out_of_memory(RuntimeError("shape mismatch"))
    assert "out of GPU memory" in limits.out_of_memory_message(type("OutOfMemoryError", (RuntimeError,), {})())
