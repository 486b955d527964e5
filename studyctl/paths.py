"""Where studyctl keeps things. STUDYCTL_HOME overrides everything (tests and power users)."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "STUDYCTL_HOME"
PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    """The user's studyctl folder: $STUDYCTL_HOME, else the platform's user data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only paid for when no override is set

    return Path(platformdirs.user_data_dir("studyctl", appauthor=False))


def db_path() -> Path:
    return home() / "studyctl.db"


def settings_path() -> Path:
    return home() / "settings.yaml"


def user_content_dir() -> Path:
    """The user's own decks/, schedule/ and labs/ (imported decks land here too)."""
    return home() / "content"


def lab_workspace_dir() -> Path:
    return home() / "labs"


def builtin_content_root() -> Path:
    """The shipped decks/, schedule/ and labs/.

    An installed wheel carries them inside the package (`_content`); a source checkout or an
    editable install reads them from the repository's top level, where contributors edit them.
    """
    packaged = PACKAGE_DIR / "_content"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent
