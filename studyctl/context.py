"""What every command needs: the user's settings, the content roots and the open store.

Built lazily so a command pays only for what it touches (a `--help` reads nothing).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from studyctl import paths
from studyctl.settings import Settings, load_settings


@dataclass
class Context:
    extra_roots: tuple[Path, ...] = ()
    _conn: sqlite3.Connection | None = field(default=None, repr=False)

    @cached_property
    def settings(self) -> Settings:
        """Raises ContentError (file:line) if settings.yaml is broken."""
        return load_settings(paths.settings_path())

    @property
    def roots(self) -> list[Path]:
        """Content roots in override order: built-in, user, settings' dirs, --content."""
        roots = [paths.builtin_content_root(), paths.user_content_dir()]
        roots += [p for p in self.settings.content_dirs if p not in roots]
        roots += [p for p in self.extra_roots if p not in roots]
        return roots

    def deck_files(self) -> list[Path]:
        """Deck files with overrides resolved by file name: a later root's file wins."""
        from studyctl.content.library import files_in_root

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

    def sync(self):
        """Bring deck files into the store (cheap when nothing changed); returns the report."""
        from studyctl.store.sync import sync_decks

        return sync_decks(self.conn, self.deck_files())

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
