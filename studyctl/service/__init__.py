"""The use cases both faces call: today's plan, the roadmap, reviews, labs, stats, decks, Anki,
maintenance. The CLI and the TUI parse input, call a function here and show what it returns
(frozen dataclasses with `to_dict()` for `--json`); every rule lives here or below, once.

Each function takes a `Home` (the user's settings, content roots and open store) first.
"""
