"""Problems found in content files, each pointing at file:line so the user can fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studyctl.errors import StudyctlError
from studyctl.i18n import _


@dataclass(frozen=True)
class Issue:
    """One problem in one file. Errors make a file unusable; warnings do not."""

    path: Path
    line: int | None
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        severity = (
            _("error") if self.severity == "error" else _("warning") if self.severity == "warning" else self.severity
        )
        return f"{where}: {severity}: {self.message}"

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
        }


class ContentError(StudyctlError):
    """Raised when a file cannot be used at all; carries every issue found in it."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.issues]
