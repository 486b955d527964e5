"""What a check run produced, as plain data: the CLI prints it, `--json` dumps it, the store
keeps it, the TUI can render the same structure (the exercism test-runner idea)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASS, FAIL, ERROR, SKIP = "pass", "fail", "error", "skip"
STATUSES = (PASS, FAIL, ERROR, SKIP)
STEP_FIELDS = ("name", "status", "message", "metrics", "seconds", "needs")  # of StepResult, as events carry them

# Run-level problems: why a run ended before its steps could speak for themselves.
TIMEOUT = "timeout"  # the time limit stopped the learner's code (a failed run)
CRASH = "crash"  # the check process died (a failed run)
DEVICE = "device"  # the requested device is not there (bad input: nothing ran)
BROKEN_CHECK = "broken-check"  # the lab's own check.py failed to load (a lab bug: nothing ran)


@dataclass
class StepResult:
    name: str
    status: str  # pass | fail | error | skip
    message: str = ""
    metrics: dict = field(default_factory=dict)
    seconds: float = 0.0
    needs: list[str] = field(default_factory=list)  # skipped: the steps that did not pass first

    @classmethod
    def from_event(cls, event: dict) -> StepResult:
        """A `result` event of the check protocol (other keys, e.g. the event's kind, ignored)."""
        return cls(**{key: event[key] for key in STEP_FIELDS if key in event})


@dataclass
class RunResult:
    lab: str
    steps: list[StepResult] = field(default_factory=list)
    device: str = ""
    torch: str = ""
    seconds: float = 0.0
    problem: str = ""  # one of the run-level kinds above, or ""
    problem_message: str = ""
    output: str = ""  # the tail of what the learner's code printed

    @property
    def passed(self) -> bool:
        """Every step passed or was deliberately skipped, at least one passed, nothing went wrong."""
        if self.problem or not self.steps:
            return False
        return all(s.status in (PASS, SKIP) for s in self.steps) and any(s.status == PASS for s in self.steps)

    @property
    def ran(self) -> bool:
        """False when nothing of the learner's was judged (missing device, broken check)."""
        return self.problem not in (DEVICE, BROKEN_CHECK)

    @property
    def metrics(self) -> dict:
        """Every step's metrics in one mapping (lab authors keep metric names unique)."""
        merged: dict = {}
        for step in self.steps:
            merged.update(step.metrics)
        return merged

    def step(self, name: str) -> StepResult | None:
        return next((s for s in self.steps if s.name == name), None)

    def counts(self) -> dict[str, int]:
        return {status: sum(s.status == status for s in self.steps) for status in STATUSES}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["passed"] = self.passed
        data["metrics"] = self.metrics
        return data

    @classmethod
    def from_dict(cls, data: dict) -> RunResult:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["steps"] = [StepResult(**step) for step in data.get("steps", [])]
        return cls(**fields)
