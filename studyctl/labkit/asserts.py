"""Comparisons that fail with a teaching message: what was expected, what came back, where
the first difference is and how large the error is. They accept torch tensors, numpy arrays
and plain numbers, and compare in float64 with numpy (imported when first used)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studyctl.i18n import _, ngettext
from studyctl.labkit.steps import fail

# torch.testing.assert_close's defaults, by the expected dtype: (rtol, atol)
_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "float": (1e-7, 1e-7),  # a Python float is a float64
}


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.startswith("torch") and hasattr(value, "detach")


def _is_array(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "shape")


def _dtype_name(value: Any) -> str:
    return str(getattr(value, "dtype", type(value).__name__)).replace("torch.", "")


def _shape(value: Any) -> tuple:
    return tuple(getattr(value, "shape", ()))


def _numpy(value: Any) -> Any:
    import numpy as np

    if _is_tensor(value):
        value = value.detach().cpu()
        value = (value.double() if value.dtype.is_floating_point else value).numpy()
    array = np.asarray(value)
    return array if array.dtype == bool else array.astype(np.float64)


def _with_hint(message: str, hint: str) -> str:
    return f"{message}\n{hint}" if hint else message


def _index(position: Any) -> str:
    return "[" + ", ".join(str(int(i)) for i in position) + "]"


def _kind_problem(actual: Any, expected: Any, name: str) -> str:
    """Why `actual` cannot be compared with `expected` at all (None, a list, ...), or ""."""
    if actual is None:
        return _("{name}: got None; did the function forget to `return` its result?").format(name=name)
    if _is_tensor(expected) and not _is_tensor(actual):
        return _("{name}: expected a torch.Tensor, got {type}").format(name=name, type=type(actual).__name__)
    if _is_array(expected) and not _is_array(actual):
        return _("{name}: expected a numpy array, got {type}").format(name=name, type=type(actual).__name__)
    if not (_is_tensor(expected) or _is_array(expected)):
        try:
            float(actual)
        except (TypeError, ValueError):
            return _("{name}: expected a number, got {type}").format(name=name, type=type(actual).__name__)
    return ""


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    name: str = "result",
    hint: str = "",
    check_dtype: bool = True,
    check_device: bool = True,
) -> None:
    """Fail the step unless `actual` matches `expected`: same type, shape, dtype and device,
    and every element within atol + rtol * |expected| (torch.testing's rule and defaults).
    `hint` is added to any failure: the likely cause, in a sentence."""
    import numpy as np

    problem = _kind_problem(actual, expected, name)
    if problem:
        fail(_with_hint(problem, hint))
    if _shape(actual) != _shape(expected):
        message = _("{name}: expected shape {expected}, got {actual}")
        fail(_with_hint(message.format(name=name, expected=_shape(expected), actual=_shape(actual)), hint))
    if check_dtype and (_is_tensor(expected) or _is_array(expected)) and _dtype_name(actual) != _dtype_name(expected):
        message = _("{name}: expected dtype {expected}, got {actual}")
        fail(_with_hint(message.format(name=name, expected=_dtype_name(expected), actual=_dtype_name(actual)), hint))
    if check_device and _is_tensor(expected) and actual.device.type != expected.device.type:
        fail(
            _with_hint(
                _(
                    "{name}: expected a tensor on {expected}, got one on {actual}; "
                    "create new tensors on the input's device (device=x.device)"
                ).format(name=name, expected=expected.device.type, actual=actual.device.type),
                hint,
            )
        )
    default_rtol, default_atol = _TOLERANCES.get(_dtype_name(expected), (0.0, 0.0))
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    got, want = _numpy(actual), _numpy(expected)
    if got.dtype == bool or want.dtype == bool:
        bad = got != want
    else:
        bad = ~np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=False)
    if not bad.any():
        return
    first = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
    lines = [
        _("{name}: {wrong} of {size} elements differ (rtol={rtol:g}, atol={atol:g})").format(
            name=name, wrong=int(bad.sum()), size=bad.size, rtol=rtol, atol=atol
        ),
    ]
    if first:
        wrong = _("first wrong element at index {index}: expected {expected}, got {actual}")
    else:
        wrong = _("first wrong element: expected {expected}, got {actual}")
    lines.append(wrong.format(index=_index(first), expected=_num(want[first]), actual=_num(got[first])))
    if got.dtype != bool:
        nans = int(np.isnan(got).sum()) - int(np.isnan(want).sum())
        if nans > 0:
            lines.append(
                ngettext(
                    "{count} element of yours is NaN (a 0/0, a log of 0, an overflow?)",
                    "{count} elements of yours are NaN (a 0/0, a log of 0, an overflow?)",
                    nans,
                ).format(count=nans)
            )
        expected_nans = int(np.isnan(want).sum())
        if expected_nans:
            lines.append(
                _(
                    "{count} of the expected values are NaN too: the check computed them from what your code "
                    "returned, so the NaN starts in your code (a 0/0, a log of 0, a softmax over only -inf?)"
                ).format(count=expected_nans)
            )
        errors = np.abs(got - want)
        finite = errors[np.isfinite(errors)]
        lines.append(_("max abs error {error}").format(error=_num(finite.max()) if finite.size else "nan"))
    fail(_with_hint("\n".join(lines), hint))


def _num(value: Any) -> str:
    return f"{float(value):.7g}"


def assert_shape(actual: Any, shape: Any, *, name: str = "result", hint: str = "") -> None:
    """Fail unless `actual` is an array or tensor of exactly `shape`."""
    if actual is None or not hasattr(actual, "shape"):
        message = _("{name}: expected an array of shape {shape}, got {type}")
        fail(_with_hint(message.format(name=name, shape=tuple(shape), type=type(actual).__name__), hint))
    if tuple(actual.shape) != tuple(shape):
        message = _("{name}: expected shape {expected}, got {actual}")
        fail(_with_hint(message.format(name=name, expected=tuple(shape), actual=tuple(actual.shape)), hint))


def rel_error(a: Any, b: Any) -> tuple[float, tuple]:
    """cs231n's relative error, on the scale of the whole gradient:
    max|a - b| / max(1e-8, max(|a| + |b|)). Also returns the index of the worst element."""
    import numpy as np

    a, b = _numpy(a), _numpy(b)
    diff = np.abs(a - b)
    worst = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
    scale = max(1e-8, float(np.max(np.abs(a) + np.abs(b)))) if diff.size else 1.0
    return (float(np.max(diff)) / scale if diff.size else 0.0), tuple(int(i) for i in worst)


def numeric_grad(f: Callable[[Any], Any], x: Any, *, upstream: Any = None, eps: float = 1e-6) -> Any:
    """The gradient of f at x by centred differences, (f(x+eps) - f(x-eps)) / 2 eps, element by
    element, in float64. f(x) is a scalar, or any array when `upstream` (the gradient flowing
    in from above, shaped like f(x)) is given. x may be a torch tensor or a numpy array; the
    caller's x is not changed. Returns the same kind as x."""
    if _dtype_name(x) != "float64":
        raise TypeError(
            _(
                "numerical gradients need float64 inputs, got {dtype}: in float32 centred "
                "differences drown in rounding error"
            ).format(dtype=_dtype_name(x))
        )
    if _is_tensor(x):
        import torch

        x = x.detach().clone().contiguous()
        grad = torch.zeros_like(x)
        flat, out = x.view(-1), grad.view(-1)
    else:
        import numpy as np

        x = np.array(x, dtype=np.float64, copy=True)
        grad = np.zeros_like(x)
        flat, out = x.reshape(-1), grad.reshape(-1)

    def value() -> float:
        result = f(x)
        if upstream is not None:
            result = (result * upstream).sum()
        return float(result)

    for i in range(flat.shape[0]):
        original = float(flat[i])
        flat[i] = original + eps
        plus = value()
        flat[i] = original - eps
        minus = value()
        flat[i] = original
        out[i] = (plus - minus) / (2 * eps)
    return grad


def grad_check(
    f: Callable[[Any], Any],
    x: Any,
    analytic: Any,
    *,
    upstream: Any = None,
    eps: float = 1e-6,
    threshold: float = 1e-6,
    name: str = "gradient",
    hint: str = "",
) -> float:
    """Compare an analytic gradient (from the learner's backward, or from autograd through
    their code) with centred differences of f at x, in float64. Fails the step when the
    relative error (see rel_error) is above `threshold`; returns the error. cs231n's rule of
    thumb: below 1e-7 is right, above 1e-2 is almost certainly a bug."""
    problem = _kind_problem(analytic, x, name)
    if problem or _shape(analytic) != _shape(x):
        shape = _("{name}: expected shape {expected} (like the input), got {actual}")
        fail(_with_hint(problem or shape.format(name=name, expected=_shape(x), actual=_shape(analytic)), hint))
    numeric = numeric_grad(f, x, upstream=upstream, eps=eps)
    error, worst = rel_error(analytic, numeric)
    if not error <= threshold:
        above = _("{name}: relative error {error:.2e} is above {threshold:.0e} (float64 centred differences)")
        if worst:
            at = _("worst element at index {index}: analytic {analytic}, numerical {numerical}")
        else:
            at = _("worst element: analytic {analytic}, numerical {numerical}")
        values = {"analytic": _num(_numpy(analytic)[worst]), "numerical": _num(_numpy(numeric)[worst])}
        lines = [above.format(name=name, error=error, threshold=threshold), at.format(index=_index(worst), **values)]
        fail(_with_hint("\n".join(lines), hint), rel_error=error)
    return error
