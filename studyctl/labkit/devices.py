"""Which torch device a check runs on: `auto` picks CUDA, else Apple's MPS, else the CPU.

`installed_torch()` answers "is torch there?" from package metadata, without importing it
(an import costs a second or two); `pick_device()` runs inside the check process, where
torch is imported anyway.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from studyctl.i18n import _

CHOICES = ("auto", "cpu", "cuda", "mps")
INSTALL_HINT = "pip install 'studyctl[labs]' (or pip install torch)"  # i18n: not shown: a command, quoted in messages


class DeviceUnavailable(Exception):
    """The learner asked for a device this machine (or this torch build) does not have."""


def installed_torch() -> str | None:
    """torch's installed version, or None when it is missing."""
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


def _mps_available(torch: Any) -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def pick_device(requested: str, torch: Any) -> tuple[str, str]:
    """The device to use and a few words on why, e.g. ("cpu", "auto: no CUDA or MPS device").

    Raises DeviceUnavailable with advice when an explicit choice is not available."""
    if requested not in CHOICES:
        raise DeviceUnavailable(
            _("unknown device {device}; choose one of {choices}").format(
                device=repr(requested), choices=", ".join(CHOICES)
            )
        )
    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda", _("auto: CUDA device {name}").format(name=torch.cuda.get_device_name(0))
        if _mps_available(torch):
            return "mps", _("auto: Apple MPS")
        return "cpu", _("auto: no CUDA or MPS device")
    if requested == "cuda" and not torch.cuda.is_available():
        if torch.version.cuda is None:
            build = _("a CPU-only build")
        else:
            build = _("built for CUDA {version}").format(version=torch.version.cuda)
        raise DeviceUnavailable(
            _("--device cuda: torch {version} ({build}) sees no CUDA device; use --device auto or cpu").format(
                version=torch.__version__, build=build
            )
        )
    if requested == "mps" and not _mps_available(torch):
        raise DeviceUnavailable(
            _("--device mps: torch {version} has no MPS device here (Apple silicon only); use --device auto").format(
                version=torch.__version__
            )
        )
    return requested, _("chosen")
