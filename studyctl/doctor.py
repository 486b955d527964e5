"""Facts about the installation for `studyctl doctor`: what works, what is missing, and why."""

from __future__ import annotations

import platform
import sys
from importlib import metadata


def package_version(name: str) -> str | None:
    """The installed version of a distribution, without importing it."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def torch_report() -> dict:
    """torch's version and the devices it can use; importing torch is the slow part (~1-2 s)."""
    if package_version("torch") is None:
        return {"installed": False, "hint": "pip install 'studyctl[labs]' (or pip install torch) to run labs"}
    try:
        import torch
    except Exception as exc:  # a broken torch install must not break doctor
        return {"installed": True, "error": f"import failed: {exc}"}
    devices = ["cpu"]
    cuda = []
    if torch.cuda.is_available():
        cuda = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        devices.insert(0, "cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.insert(0, "mps")
    return {"installed": True, "version": torch.__version__, "devices": devices, "cuda_devices": cuda}


def environment_report() -> dict:
    from studyctl import __version__

    return {
        "studyctl": __version__,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "packages": {name: package_version(name) for name in ("textual", "genanki", "fsrs", "sqlite-utils")},
    }
