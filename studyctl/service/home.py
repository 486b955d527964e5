"""The user's studyctl home as the use cases see it: settings, content roots, the open store,
and the clock. Built lazily so a command pays only for what it touches (`--help` reads nothing).

There is one writer of settings.yaml (`save_settings`) and one reader of machine state
(`state`/`remember`); nothing below the service layer writes either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyctl import paths
from studyctl.clock import now_utc, study_day
from studyctl.content.issues import Issue
from studyctl.settings import Settings, load_settings

if TYPE_CHECKING:
    from studyctl.content.parsecache import ParseCache

if TYPE_CHECKING:
    import sqlite3

    from studyctl.store.backup import Restored


class Home:
    def __init__(self, extra_roots: tuple[Path, ...] = (), clock: Callable[[], dt.datetime] = now_utc):
        self.extra_roots = tuple(extra_roots)
        self.clock = clock
        self._conn: sqlite3.Connection | None = None
        self._new_database = False  # the store was created by this run (nothing to back up yet)

    # -- settings ----------------------------------------------------------------------------

    @cached_property
    def settings(self) -> Settings:
        """Raises ContentError (file:line) if settings.yaml is broken."""
        return load_settings(paths.settings_path(), cache=self.parse_cache)

    def reload_settings(self) -> Settings:
        """Read settings.yaml again (after a long run, so edits made meanwhile are kept)."""
        self.__dict__.pop("settings", None)
        return self.settings

    def save_settings(self, settings: Settings) -> Settings:
        """Write settings.yaml (atomically) and use the new settings from now on."""
        from studyctl.settings import save_settings

        save_settings(settings, paths.settings_path())
        self.settings = settings
        return settings

    @property
    def first_run(self) -> bool:
        """No settings file yet: the TUI shows its welcome screen."""
        return not paths.settings_path().exists()

    def today(self) -> dt.date:
        """The study day it is now (the rollover hour decides when a day ends)."""
        return study_day(self.clock(), self.settings.rollover_hour)

    # -- content -----------------------------------------------------------------------------

    @property
    def roots(self) -> list[Path]:
        """Content roots in override order: built-in, user, settings' dirs, --content."""
        return self.roots_with(self.settings.content_dirs)

    def roots_with(self, settings_dirs: tuple[Path, ...]) -> list[Path]:
        roots = [paths.builtin_content_root(), paths.user_content_dir()]
        roots += [p for p in settings_dirs if p not in roots]
        roots += [p for p in self.extra_roots if p not in roots]
        return roots

    def files(self, kind: str) -> dict[str, Path]:
        """id -> file of every deck, roadmap or lab (a later root's file wins)."""
        from studyctl.content.files import resolve

        return resolve(self.roots, kind)

    @property
    def parse_cache(self) -> ParseCache | None:
        """The store's cache of parsed YAML, or None when the database can't be used."""
        from studyctl.errors import StudyctlError
        from studyctl.store.parsecache import StoreParseCache

        try:
            return StoreParseCache(self.conn)
        except StudyctlError:
            return None

    def sync_decks(self) -> list[Issue]:
        """Bring deck files into the store; returns the issues found (broken files, warnings).
        When no file changed, this is one query and a stat per file."""
        from studyctl.store.queries import decks_in_sync

        files = list(self.files("deck").values())
        if decks_in_sync(self.conn, files):
            return []
        from studyctl.store.sync import sync_decks

        report = sync_decks(self.conn, files)
        if report.added:  # events another device synced for these cards (service/sync.py) apply now
            from studyctl.srs.replay import settle_waiting

            settle_waiting(self.conn)
        return report.issues

    # -- the store ---------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """The store, opened (and migrated) on first use: the one way in (store/db.py connect),
        which raises a StudyctlError saying what to do when the file can't be used."""
        if self._conn is None:
            from studyctl.store.db import connect

            path = paths.db_path()
            self._new_database = not path.exists()
            self._conn = connect(path)
        return self._conn

    def state(self, key: str, default: Any = None) -> Any:
        """What this machine remembered under `key` (see store/state.py)."""
        from studyctl.store import state

        return state.get(self.conn, key, default)

    def remember(self, key: str, value: Any) -> None:
        from studyctl.store import state

        state.put(self.conn, key, value)

    def close(self) -> None:
        """Done with the store: the daily backup, if one is due, then close. Run after the
        command's output, so `today --plain` shows its plan first; when no backup is due this
        costs one indexed read."""
        if self._conn is not None:
            from studyctl.store.backup import backup_if_due

            try:
                backup_if_due(self._conn, paths.db_path(), self.clock(), first_use=self._new_database)
            finally:
                self._conn.close()
                self._conn = None

    def restore_backup(self, source: Path | None = None) -> Restored:
        """Put back a backup (default: the newest) as the database; see store/backup.py."""
        from studyctl.store.backup import restore

        if self._conn is not None:
            self._conn.close()
            self._conn = None
        return restore(paths.db_path(), source, now=self.clock())
