"""Skip YAML parsing for files that haven't changed since they last loaded cleanly.

Importing PyYAML and parsing a roadmap costs ~15 ms, a quarter of `today`'s budget. A cache
(the store provides one) keeps the parsed data of every file that loaded without errors,
keyed by its size and mtime. Cached data carries no line numbers, so when it fails to build
(only possible if the loader's rules changed) the file is parsed again to report file:line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from studyctl.content.issues import ContentError


class ParseCache(Protocol):
    def get(self, path: Path, stamp: tuple[int, int]) -> str | None: ...
    def put(self, path: Path, stamp: tuple[int, int], text: str) -> None: ...


def stamp_of(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def load_through_cache(path: Path, build: Callable, cache: ParseCache | None):
    """`build(data, path)` on cached data when the file is unchanged, else on a fresh parse."""
    stamp = stamp_of(path) if cache is not None else None  # taken before reading: no stale entry
    if cache is not None and stamp is not None:
        cached = cache.get(path, stamp)
        if cached is not None:
            try:
                return build(json.loads(cached, object_hook=_decode), path)
            except ContentError:
                pass  # parse again below so the errors carry line numbers
    from studyctl.content.yamlfile import read_yaml

    data = read_yaml(path)
    result = build(data, path)
    if cache is not None and stamp is not None:
        cache.put(path, stamp, json.dumps(data, default=_encode, ensure_ascii=False))
    return result


def _encode(value):
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(mapping: dict):
    if len(mapping) == 1 and "$date" in mapping:
        return dt.date.fromisoformat(mapping["$date"])
    return mapping
