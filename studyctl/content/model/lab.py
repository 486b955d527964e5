"""Lab manifests: what a lab teaches, the files the learner edits, its time and memory limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Lab:
    id: str
    title: str
    path: Path  # the lab's folder
    title_zh: str = ""
    teaches: str = ""
    topic: str = ""
    minutes: int = 30
    time_limit: int = 120  # seconds the check may run once torch is imported
    memory_limit_mb: int = 4096  # MB the check may allocate beyond torch itself (CPU runs on Linux)
    files: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    steps_zh: tuple[tuple[str, str], ...] = ()  # (step name, its title in Chinese): a frozen mapping
