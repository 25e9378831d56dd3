"""Running the git binary with an environment that ignores user and system configuration."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.redaction import redact_credentials

GIT_TIMEOUT_SECONDS = 120


class GitCommandError(RuntimeError):
    """A git command that failed. Its message names the subcommand (the first argument that is
    not an option) and git's own words, with any credential masked: it may end up in a run's
    reason, a log line or the exception RQ keeps. Credentials belong in the environment
    (`config_env`), never in the arguments."""

    def __init__(self, args: list[str], returncode: int, stderr: str) -> None:
        command = _subcommand(args)
        clean = redact_credentials(stderr)
        super().__init__(
            redact_credentials(f"git {command} failed ({returncode}): {clean.strip()[:500]}"))
        self.returncode = returncode
        self.stderr = clean


def _subcommand(args: list[str]) -> str:
    """The first argument that is neither an option nor the value of `-c`/`-C`."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-c", "-C"):
            skip = True
        elif not arg.startswith("-"):
            return arg
    return ""


def config_env(settings: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Git configuration passed through the environment (GIT_CONFIG_COUNT, GIT_CONFIG_KEY_<n>,
    GIT_CONFIG_VALUE_<n>; git 2.31 or later), for values that must not appear in any process's
    arguments, where every user of the machine can read them (/proc/<pid>/cmdline, `ps`).
    A key may come more than once (http.extraHeader is multi-valued)."""
    env = {"GIT_CONFIG_COUNT": str(len(settings))}
    for index, (key, value) in enumerate(settings):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


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
