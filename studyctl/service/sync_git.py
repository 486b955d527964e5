"""Git as the transport of device sync: the user's own `git` in a subprocess, with their
remote, credentials and configuration. studyctl only adds its own segment files, commits
them, pulls with rebase and pushes; each device writes only in its own folder, so a rebase
never conflicts, and a push that loses a race with another machine is retried after a pull.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from studyctl.errors import StudyctlError
from studyctl.i18n import _


class GitError(StudyctlError):
    """git refused (no network, no access, a rebase stopped half-way): the user fixes it."""


@dataclass(frozen=True)
class Repository:
    root: Path

    @classmethod
    def at(cls, folder: Path) -> Repository | None:
        """The git work tree whose top level is `folder`, or None (not one, or no git installed).
        A folder merely inside a work tree (a home directory kept in git, say) is not taken
        for a sync repository: studyctl never commits to or pushes a repository by accident."""
        if shutil.which("git") is None:
            return None
        done = _run(["git", "rev-parse", "--show-toplevel"], folder)
        if done.returncode != 0 or Path(done.stdout.strip()).resolve() != folder.resolve():
            return None
        return cls(folder.resolve())

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run(["git", *args], self.root)

    def check_idle(self) -> None:
        """Refuse to touch a repository in the middle of a rebase or a merge."""
        for marker in ("rebase-merge", "rebase-apply", "MERGE_HEAD"):  # i18n: not shown
            path = Path(self.git("rev-parse", "--git-path", marker).stdout.strip())
            if (path if path.is_absolute() else self.root / path).exists():
                raise GitError(
                    _("{folder} is in the middle of a rebase or merge; finish it (git status) and sync again").format(
                        folder=self.root
                    )
                )

    def commit(self, pathspec: str, message: str, device: str) -> bool:
        """Commit what changed under `pathspec` (and only that); False when nothing did."""
        self.git("add", "--", pathspec)
        if self.git("diff", "--cached", "--quiet", "--", pathspec).returncode == 0:
            return False
        done = self.git(*self._identity(device), "commit", "--quiet", "--no-verify", "-m", message, "--", pathspec)
        if done.returncode != 0:
            raise GitError(_("git commit failed: {output}").format(output=_last_lines(done)))
        return True

    def _identity(self, device: str) -> list[str]:
        """Git needs a name to commit (and to rebase): the user's own, else one naming the device."""
        if self.git("config", "user.email").stdout.strip():
            return []
        return ["-c", "user.name=studyctl", "-c", f"user.email=studyctl@{device}"]

    def upstream(self) -> tuple[str, str] | None:
        """(remote, branch) to pull from and push to; None when the repository has no remote."""
        branch = self.git("symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()  # i18n: not shown
        if not branch:
            raise GitError(
                _("{folder} is not on a branch (detached HEAD); check one out and sync again").format(folder=self.root)
            )
        remote = self.git("config", f"branch.{branch}.remote").stdout.strip()
        if not remote:
            remotes = self.git("remote").stdout.split()
            if not remotes:
                return None
            remote = "origin" if "origin" in remotes else remotes[0]
        merge = self.git("config", f"branch.{branch}.merge").stdout.strip()
        return remote, merge.removeprefix("refs/heads/") or branch

    def pull(self, remote: str, branch: str, device: str) -> None:
        done = self.git(*self._identity(device), "pull", "--quiet", "--rebase", "--autostash", remote, branch)
        if done.returncode != 0 and "couldn't find remote ref" not in done.stderr:  # an empty remote is fine
            raise GitError(
                _("git pull --rebase from {remote} failed: {output}").format(remote=remote, output=_last_lines(done))
            )

    def push(self, remote: str, branch: str) -> bool:
        """Push; False when another machine pushed first (pull and try again)."""
        if self.git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            return True  # nothing committed anywhere yet: nothing to push
        done = self.git("push", "--quiet", remote, f"HEAD:refs/heads/{branch}")  # i18n: not shown
        if done.returncode == 0:
            return True
        if any(word in done.stderr for word in ("[rejected]", "non-fast-forward", "fetch first")):  # i18n: not shown
            return False
        raise GitError(_("git push to {remote} failed: {output}").format(remote=remote, output=_last_lines(done)))


def _run(command: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_EDITOR="true", GIT_MERGE_AUTOEDIT="no")  # never wait for an editor
    return subprocess.run(command, cwd=where, capture_output=True, text=True, env=env, check=False)


def _last_lines(done: subprocess.CompletedProcess[str]) -> str:
    text = (done.stderr or done.stdout).strip().splitlines()
    return " / ".join(text[-3:]) or _("exit status {code}").format(code=done.returncode)
