"""Running the git binary with an environment that ignores user and system configuration."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GIT_TIMEOUT_SECONDS = 120


class GitCommandError(RuntimeError):
    def __init__(self, args: list[str], returncode: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args[:2])} failed ({returncode}): {stderr.strip()[:500]}")
        self.returncode = returncode
        self.stderr = stderr


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Only what git needs: no global or system config, no prompts, no inherited GIT_* vars."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/nonexistent",
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "/bin/false",
        "GIT_PROTOCOL_FROM_USER": "0",
    }
    env.update(extra or {})
    return env


def git_invocation(git_dir: Path | None, args: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The command and environment for `git args`. Without a repository it is the receive hook's
    case: git runs in the environment receive-pack gave the hook (GIT_DIR and the quarantine
    object directory of the incoming push); a caller naming a repository gets a clean one."""
    if git_dir is None:
        return ["git", *args], dict(os.environ)
    return ["git", "--git-dir", str(git_dir), *args], clean_env()


def run_git(
    args: list[str],
    *,
    git_dir: Path | None = None,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = GIT_TIMEOUT_SECONDS,
    check: bool = True,
    **kwargs: Any,
) -> subprocess.CompletedProcess[bytes]:
    cmd = [
        "git",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "protocol.allow=never",
        "-c",
        "protocol.http.allow=always",
        "-c",
        "protocol.https.allow=always",
        "-c",
        "protocol.file.allow=always",
    ]
    if git_dir is not None:
        cmd += ["--git-dir", str(git_dir)]
    proc = subprocess.run(
        cmd + args,
        input=input,
        capture_output=True,
        env=clean_env(env),
        timeout=timeout,
        check=False,
        **kwargs,
    )
    if check and proc.returncode != 0:
        raise GitCommandError(args, proc.returncode, proc.stderr.decode("utf-8", "replace"))
    return proc
