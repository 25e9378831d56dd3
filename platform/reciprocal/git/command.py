"""Running the git binary with an environment that ignores user and system configuration."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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


READ_CHUNK = 64 * 1024


@dataclass
class GitPipe:
    """A running git whose output is read as it comes (`stdout`); its errors go to a file."""

    args: list[str]
    proc: subprocess.Popen[bytes]
    errors: IO[bytes]
    timeout: float
    timed_out: threading.Event = field(default_factory=threading.Event)
    error: GitCommandError | None = None  # why git failed, once the pipe is left

    @property
    def stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def expire(self) -> None:
        self.timed_out.set()
        self.proc.kill()

    def failure(self) -> GitCommandError | None:
        """Once git has ended: why it failed (or ran out of time), or None."""
        if self.proc.returncode == 0:
            return None
        self.errors.seek(0)
        message = self.errors.read(4000).decode("utf-8", "replace")
        if self.timed_out.is_set():
            message = f"timed out after {self.timeout:g} s. {message}"
        return GitCommandError(self.args, self.proc.returncode, message)


@contextmanager
def git_pipe(args: list[str], *, git_dir: Path, timeout: float = GIT_TIMEOUT_SECONDS
             ) -> Iterator[GitPipe]:
    """`git args` in `git_dir` with its output as a pipe, killed after `timeout` seconds. On
    leaving, the pipe is closed (a git still writing then ends), git is waited for and
    `pipe.error` says whether it failed; a reader that stops early kills it first
    (`pipe.proc.kill()`)."""
    cmd, env = git_invocation(git_dir, ["-c", "core.hooksPath=/dev/null", *args])
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, env=env)
        pipe = GitPipe(args, proc, errors, timeout)
        timer = threading.Timer(timeout, pipe.expire)
        timer.start()
        try:
            yield pipe
        finally:
            timer.cancel()
            pipe.stdout.close()
            proc.wait()
            pipe.error = pipe.failure()


def read_git_records(args: list[str], *, git_dir: Path, separator: bytes | None,
                     max_records: int, max_bytes: int, timeout: float = GIT_TIMEOUT_SECONDS
                     ) -> tuple[list[bytes], bool]:
    """The first records `git args` prints (split on `separator`; None: the whole output is
    one record), read as they come: at most `max_records` of them and `max_bytes` in all. git
    is killed past either cap, so a listing of a huge tree costs no more than the caps.
    Returns (records, complete); complete is False when a cap cut the output short."""
    records: list[bytes] = []
    with git_pipe(args, git_dir=git_dir, timeout=timeout) as pipe:
        complete = False
        try:
            complete = _collect(pipe.stdout, records, separator, max_records, max_bytes)
        finally:
            if not complete:
                pipe.proc.kill()
    if (pipe.timed_out.is_set() or complete) and pipe.error is not None:
        raise pipe.error
    return records, complete


def _collect(stdout: IO[bytes], records: list[bytes], separator: bytes | None,
             max_records: int, max_bytes: int) -> bool:
    pending = b""
    total = 0
    while chunk := stdout.read1(READ_CHUNK):  # type: ignore[attr-defined]
        total += len(chunk)
        pending += chunk
        if total > max_bytes:
            return False
        if separator is not None:
            *done, pending = pending.split(separator)
            records.extend(done)
            if len(records) > max_records:
                del records[max_records:]
                return False
    if pending:
        records.append(pending)
    return True
