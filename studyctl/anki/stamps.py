"""Modification times for exported notes, so a re-export updates exactly the notes that changed.

Anki updates a note it already has (same GUID) only when the incoming note's modification
time, in whole seconds, is newer than its own; otherwise it counts the note as a duplicate
and keeps its copy. So the stamp of a note must
- move forward whenever the note's content changes, even twice in the same second, and
- stay put while the content does not: the same deck exports to the same bytes, and an
  unchanged note never overwrites what the learner edited in Anki after the last import.

A content hash alone cannot move forward, and "now" alone changes every note on every export.
So we keep, in the machine state, for each exported note (and for the note types) the hash of
what we last exported and the stamp it got. Unchanged content reuses its stamp; changed or new
content gets max(now, previous stamp + 1). Without that state (a new machine) every note gets
"now": still newer than any earlier export.
"""

from __future__ import annotations

import hashlib
import json
import time


def content_hash(*parts) -> str:
    """A stable hash of JSON-able parts (fields, tags, note type)."""
    encoded = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


class Stamps:
    """The stamps of earlier exports: `entries` maps a note key to [content hash, stamp]
    (None or damaged entries: start afresh). Read `entries` back after an export to keep them."""

    def __init__(self, entries: dict | None = None, now: float | None = None):
        self.now = int(time.time() if now is None else now)
        self.entries: dict[str, list] = {
            key: value
            for key, value in (entries if isinstance(entries, dict) else {}).items()
            if isinstance(value, list) and len(value) == 2 and isinstance(value[1], int)
        }
        self.changed = 0

    def stamp(self, key: str, digest: str) -> int:
        """The modification time (epoch seconds) to export `key` with, given its content hash."""
        entry = self.entries.get(key)
        if entry is not None and entry[0] == digest:
            return entry[1]
        stamp = max(self.now, entry[1] + 1) if entry is not None else self.now
        self.entries[key] = [digest, stamp]
        self.changed += 1
        return stamp
