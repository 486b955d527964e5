"""Skip YAML parsing for files that haven't changed since they last loaded cleanly.

Importing PyYAML and parsing a roadmap costs ~15 ms, a quarter of `today`'s budget. A cache
(the store provides one) keeps the parsed data of every file that loaded without errors,
keyed by its size and mtime. Cached data carries no line numbers, so when it fails to build
(only possible if the loader's rules changed) the file is parsed again to report file:line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Protocol


class ParseCache(Protocol):
    def get(self, path: Path, stamp: tuple[int, int]) -> str | None: ...
    def put(self, path: Path, stamp: tuple[int, int], text: str) -> None: ...


def stamp_of(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


MAX_CACHED_CHARS = 32_000_000  # far beyond any real content file; bigger ones are parsed each time


def load_through_cache(path: Path, build: Callable, cache: ParseCache | None):
    """`build(data, path)` on cached data when the file is unchanged, else on a fresh parse.

    What the cache stores is exactly the data `build` just accepted (see `cacheable_text`), and
    the parser has already refused anything that expands far beyond the file (yamlfile.py), so
    the cache never holds what validation didn't see, nor anything big."""
    stamp = stamp_of(path) if cache is not None else None  # taken before reading: no stale entry
    if cache is not None and stamp is not None:
        cached = _cached(cache, path, stamp)
        if cached is not None:
            try:
                return build(json.loads(cached, object_hook=_decode), path)
            except Exception:  # a damaged row, or older rules: parse again, which reports file:line
                pass
    from studyctl.content.yamlfile import read_yaml

    data = read_yaml(path)
    result = build(data, path)
    if cache is not None and stamp is not None:
        text = cacheable_text(data)
        if text is not None:
            with contextlib.suppress(Exception):  # a cache that can't be written only costs speed
                cache.put(path, stamp, text)
    return result


def _cached(cache: ParseCache, path: Path, stamp: tuple[int, int]) -> str | None:
    """The cached text, or None; a cache that can't be read (a damaged database: the command
    that needs the store says so) is no reason to stop reading content."""
    try:
        return cache.get(path, stamp)
    except Exception:
        return None


def cacheable_text(data) -> str | None:
    """The JSON the cache would store, or None when it would not read back as the very data that
    was validated (a key that isn't text, a NaN) or is too big to be worth caching."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    if len(text) > MAX_CACHED_CHARS or json.loads(text) != data:
        return None
    return text


def _decode(mapping: dict):
    """Rows written before dates stayed text hold {"$date": ...}."""
    if len(mapping) == 1 and "$date" in mapping:
        return dt.date.fromisoformat(mapping["$date"])
    return mapping
