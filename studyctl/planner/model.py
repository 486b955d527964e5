"""The planner's own input types: what the user has done of a roadmap's tasks. The service layer
builds them from the store, so the planner never imports the store."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskProgress:
    minutes: int = 0
    done: bool = False
    skipped: bool = False
