"""Spaced repetition: FSRS scheduling, answer grading, review sessions, replay and stats.

FSRS itself comes from the maintained `fsrs` package; studyctl owns what the package leaves
to the app: the new/learning distinction, the local study day, load-balanced fuzz, the queue.
"""
