"""What every command needs: the user's settings, the content roots and the open store.

Built lazily so a command pays only for what it touches (a `--help` reads nothing).
"""

from __future__ import annotations

import sqlite3
from functools import cached_property
from pathlib import Path

from studyctl import paths
from studyctl.settings import Settings, load_settings


class Context:
    def __init__(self, extra_roots: tuple[Path, ...] = ()):
        self.extra_roots = extra_roots
        self._conn: sqlite3.Connection | None = None

    @cached_property
    def settings(self) -> Settings:
        """Raises ContentError (file:line) if settings.yaml is broken."""
        return load_settings(paths.settings_path(), cache=self.parse_cache)

    @property
    def parse_cache(self):
        """The store's cache of parsed YAML, or None when the database can't be used."""
        from studyctl.store.db import SchemaTooNew
        from studyctl.store.parsecache import StoreParseCache

        try:
            return StoreParseCache(self.conn)
        except SchemaTooNew:
            return None

    @property
    def roots(self) -> list[Path]:
        """Content roots in override order: built-in, user, settings' dirs, --content."""
        return self.roots_with(self.settings.content_dirs)

    def roots_with(self, settings_dirs: tuple[Path, ...]) -> list[Path]:
        roots = [paths.builtin_content_root(), paths.user_content_dir()]
        roots += [p for p in settings_dirs if p not in roots]
        roots += [p for p in self.extra_roots if p not in roots]
        return roots

    def deck_files(self) -> list[Path]:
        """Deck files with overrides resolved by file name: a later root's file wins."""
        from studyctl.content.files import files_in_root

        by_stem: dict[str, Path] = {}
        for root in self.roots:
            for path in files_in_root(root, "deck"):
                by_stem[path.stem] = path
        return list(by_stem.values())

    @property
    def conn(self) -> sqlite3.Connection:
        """The store, opened (and migrated) on first use. Raises SchemaTooNew."""
        if self._conn is None:
            from studyctl.store.db import connect

            self._conn = connect(paths.db_path())
        return self._conn

    def sync(self) -> list:
        """Bring deck files into the store; returns the issues found (broken files, warnings).

        When no file changed, this is one query and a stat per file."""
        from studyctl.store.queries import decks_in_sync

        files = self.deck_files()
        if decks_in_sync(self.conn, files):
            return []
        from studyctl.store.sync import sync_decks

        return sync_decks(self.conn, files).issues

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
