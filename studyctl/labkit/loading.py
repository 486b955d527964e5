"""Import a file from the learner's workspace (or the lab's reference solution) as a module,
by path, so the check always runs the file on disk and never a stale copy."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from studyctl.i18n import _


def load_file(path: Path, module_name: str) -> ModuleType:
    """Execute `path` as a fresh module registered as `module_name` (so that the learner's own
    files can import each other by name). A module that fails to import is not kept."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(_("cannot import {file}").format(file=path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module
