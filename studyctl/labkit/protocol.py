"""The event stream between the check process and studyctl: one JSON object per line.

The child writes events on its own copy of the original stdout, after pointing file
descriptor 1 at stderr, so whatever the learner prints can never be mistaken for an event.
The only other lines on that stream are faulthandler's stack dumps (a timeout, a crash).

Events, in the order they come:
    {"event": "ready", "device": "cpu", "torch": "2.x", "reason": "...", "memory_limit_mb": 4096}
                                                                              torch imported, device chosen
    {"event": "plan", "steps": ["shapes", ...]}                               the check's step names
    {"event": "step", "name": "shapes"}                                       a step started
    {"event": "case", "step": "shapes", "name": "hidden case 3 of 10"}       a hidden case started
    {"event": "progress", "step": "fit", "epoch": 3, "total": 10, "metrics": {"loss": 0.1}}
    {"event": "result", "name": "shapes", "status": "pass", "message": "", "metrics": {}, "seconds": 0.1}
    {"event": "fatal", "kind": "device" | "broken-check", "message": "..."}   nothing more will come
    {"event": "done"}
"""

from __future__ import annotations

import json
import math
from typing import Any

READY, PLAN, STEP, PROGRESS, RESULT, FATAL, DONE = "ready", "plan", "step", "progress", "result", "fatal", "done"
CASE = "case"
PROBE = "probe"  # `--probe` only: {"event": "probe", "version": "2.x", "devices": [...], "cuda_devices": [...]}


def clean_value(value: Any) -> Any:
    """A JSON-safe scalar: tensors and numpy scalars become floats, NaN and inf become text
    (so `--json` output stays valid JSON), anything else its str()."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    try:
        number = float(value.item() if hasattr(value, "item") else value)
    except (TypeError, ValueError, RuntimeError):
        return str(value)
    return number if math.isfinite(number) else str(number)


def clean_metrics(metrics: dict) -> dict:
    return {str(key): clean_value(value) for key, value in metrics.items()}


def encode(event: str, **fields: Any) -> str:
    return json.dumps({"event": event, **fields}, ensure_ascii=True, default=str) + "\n"


def decode(line: str) -> dict | None:
    """The event on a line, or None when the line is not one (it is then shown as output)."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) and "event" in data else None
