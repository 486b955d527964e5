"""studyctl: a spaced-repetition study CLI with a daily planner and PyTorch labs."""

__version__ = "0.1.0"
