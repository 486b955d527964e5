"""Reproducible randomness for checks: seed every generator at once, and draw hidden
randomized cases (random shapes and values from a fixed seed) so that code tuned to the
visible examples still fails, while every run judges the same cases."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from studyctl.i18n import _

_current: Case | None = None  # the hidden case being judged, for error messages
on_case: Callable[[Case], None] | None = None  # told when each case starts (the child emits an event)


def current_case() -> Case | None:
    """The hidden case whose loop body is running now, or None between cases."""
    return _current


def seed_everything(seed: int) -> None:
    """Seed Python's random, numpy and torch (CPU and every CUDA device)."""
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # pragma: no cover - numpy comes with the labs extra
        pass
    import torch

    torch.manual_seed(seed)  # seeds CUDA and MPS too


class Case:
    """One hidden case: its own seeded generators, and a name for messages."""

    def __init__(self, seed: int, index: int, count: int):
        import torch

        self.index = index
        self.name = _("hidden case {number} of {count}").format(number=index + 1, count=count)
        self.rng = random.Random(seed * 1_000_003 + index)
        self.generator = torch.Generator().manual_seed(seed * 1_000_003 + index)
        self.drawn: list[tuple[int, ...]] = []  # the shapes this case made, for error messages

    def randint(self, low: int, high: int) -> int:
        """An integer in [low, high], both ends included."""
        return self.rng.randint(low, high)

    def shape(self, ndim: int, low: int = 1, high: int = 6) -> tuple[int, ...]:
        shape = tuple(self.rng.randint(low, high) for _i in range(ndim))
        self._note(shape)
        return shape

    def randn(self, *shape: int, dtype: Any = None, device: Any = None) -> Any:
        """Standard normal values, drawn on the CPU (the same numbers on every device)."""
        import torch

        self._note(tuple(shape))
        values = torch.randn(*shape, generator=self.generator, dtype=dtype or torch.float32)
        return values.to(device) if device is not None else values

    def _note(self, shape: tuple[int, ...]) -> None:
        if shape not in self.drawn:
            self.drawn.append(shape)

    def describe(self) -> str:
        """'hidden case 3 of 10 (shapes (4, 1, 5), (4, 5))': where a failure happened."""
        shapes = ", ".join(str(shape) for shape in self.drawn[:6])
        return _("{case} (shapes {shapes})").format(case=self.name, shapes=shapes) if shapes else self.name


def hidden_cases(seed: int, count: int) -> Iterator[Case]:
    """`count` cases, each with generators derived from `seed` and its index. While a case's loop
    body runs it is `current_case()`, so an error in the learner's code names it. The case stays
    current when the loop is left early (an exception unwinding it closes this generator) and is
    forgotten when the loop ends or the next step starts."""
    global _current
    for index in range(count):
        case = Case(seed, index, count)
        _current = case
        if on_case is not None:
            on_case(case)
        yield case
    _current = None


def forget_case() -> None:
    """A new step starts: no hidden case is running."""
    global _current
    _current = None
