"""The platform's receive hooks. pre-receive: submission, deadline, ref names, object count and
sizes, and the files of each pushed commit, counted through its recursive tree (git/trees.py).
post-receive: the server time of each accepted push, for the push log (git/pushes.py).

Git runs this for every push into a platform repository (core.hooksPath points at a folder the
platform owns; candidates' own hooks are never transferred by a push). Whatever it prints on
stderr reaches the candidate's terminal as `remote: ...`. It imports nothing from Flask so that it
starts fast; the web process passes the limits in the environment.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import pushes
from .command import git_invocation
from .locks import LOCK_FD_ENV, LOCK_NAME, RepositoryBusy, lock_inherited, repository_lock
from .trees import FileLimits, TreeCounter, TreeError

ZERO = "0" * 40
# Where submit pins the submitted commit; hidden from clients (transfer.hideRefs).
SUBMITTED_REF = "refs/reciprocal/submitted"
HIDDEN_REFS = "refs/reciprocal/"
HOOK_LOCK_TIMEOUT_SECONDS = 5.0
REF_RE = re.compile(r"^refs/heads/[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")
# AI attribution notes (the git-ai convention; review/ai_notes.py reads them): candidate
# repositories accept this one notes ref beside branches (the web process names it in
# NOTES_REFS_ENV); assignment repositories do not.
AI_NOTES_REF = "refs/notes/ai"
NOTES_REFS_ENV = "RECIPROCAL_NOTES_REFS"
MAX_REFS = 50
GIT_TIMEOUT = 120

HOOK_NAMES = ("pre-receive", "post-receive")
HOOK_SCRIPT = """#!/bin/sh
# Installed by Reciprocal. Candidate hooks are never used; this one enforces the platform's rules.
exec "${{RECIPROCAL_HOOK_PYTHON:-python3}}" -m reciprocal.git.hooks {name}
"""


def install_hooks(hooks_dir: Path) -> None:
    hooks_dir.mkdir(parents=True, exist_ok=True)
    for name in HOOK_NAMES:
        hook = hooks_dir / name
        script = HOOK_SCRIPT.format(name=name)
        if not hook.exists() or hook.read_text() != script:
            hook.write_text(script)
            hook.chmod(0o755)


class Refusal(Exception):
    pass


MIB = 1024 * 1024


@dataclass(frozen=True)
class ObjectLimits:
    """What the new objects of one push or uploaded bundle may add up to, and how many files
    and folders (`max_files`) the tree of a pushed commit may expand to. The total unpacked
    size also caps the bytes of a pushed commit's files as checked out."""

    max_objects: int
    max_blob_bytes: int
    max_total_bytes: int
    max_files: int = 20000

    @property
    def files(self) -> FileLimits:
        return FileLimits(self.max_files, self.max_total_bytes)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ObjectLimits:
        """From the application's settings (MAX_PUSH_OBJECTS, MAX_BLOB_BYTES, ...)."""
        return cls(
            max_objects=int(config["MAX_PUSH_OBJECTS"]),
            max_blob_bytes=int(config["MAX_BLOB_BYTES"]),
            max_total_bytes=int(config["MAX_PUSH_INFLATED_BYTES"]),
            max_files=int(config["MAX_FILES"]),
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ObjectLimits:
        """In the hook: from the environment the web process passed (see `as_env`)."""
        return cls(
            max_objects=int(env.get("RECIPROCAL_MAX_OBJECTS", "20000")),
            max_blob_bytes=int(env.get("RECIPROCAL_MAX_BLOB_BYTES", str(10 * MIB))),
            max_total_bytes=int(env.get("RECIPROCAL_MAX_INFLATED_BYTES", str(200 * MIB))),
            max_files=int(env.get("RECIPROCAL_MAX_FILES", "20000")),
        )

    def as_env(self) -> dict[str, str]:
        return {
            "RECIPROCAL_MAX_OBJECTS": str(self.max_objects),
            "RECIPROCAL_MAX_BLOB_BYTES": str(self.max_blob_bytes),
            "RECIPROCAL_MAX_INFLATED_BYTES": str(self.max_total_bytes),
            "RECIPROCAL_MAX_FILES": str(self.max_files),
        }


def _mb(size: int) -> str:
    return f"{size / MIB:.1f}".removesuffix(".0") + " MB"


def _git(*args: str, input: bytes | None = None, git_dir: Path | None = None) -> bytes:
    cmd, env = git_invocation(git_dir, args)
    return subprocess.run(
        cmd, input=input, capture_output=True, check=True, timeout=GIT_TIMEOUT, env=env
    ).stdout


def _new_objects(
    tips: Sequence[str], exclude: Sequence[str], max_objects: int, git_dir: Path | None
) -> list[tuple[str, str]]:
    """(sha, path) of the objects reachable from `tips` but not from `exclude`, at most
    max_objects + 1 of them: the listing is read as it comes and stopped past the limit, so a
    push of millions of tiny objects is never held in memory."""
    cmd, env = git_invocation(git_dir, ["rev-list", "--objects", *tips, "--not", *exclude])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    timer = threading.Timer(GIT_TIMEOUT, proc.kill)
    timer.start()
    rows: list[tuple[str, str]] = []
    try:
        for raw in proc.stdout:
            sha, _, path = raw.decode("utf-8", "replace").rstrip("\n").partition(" ")
            rows.append((sha, path))
            if len(rows) > max_objects:
                return rows
    finally:
        timer.cancel()
        proc.stdout.close()
        if proc.poll() is None and len(rows) > max_objects:
            proc.kill()
        returncode = proc.wait()
    if returncode != 0:
        raise subprocess.CalledProcessError(returncode, cmd)
    return rows


def check_objects(
    tips: Sequence[str],
    limits: ObjectLimits,
    *,
    exclude: Sequence[str] = ("--all",),
    git_dir: Path | None = None,
    what: str = "push",
) -> None:
    """Refuse new objects past the count, single-file size or total unpacked size caps.

    The one check for both ways code arrives: the pre-receive hook (objects not reachable from
    any existing ref, `--all`) and an uploaded bundle fetched into a quarantine repository
    (`exclude` then names the real repository's refs). Sizes are those of the inflated objects,
    as `git cat-file` reports them, not of the compressed pack.
    """
    if not tips:
        return
    rows = _new_objects(tips, exclude, limits.max_objects, git_dir)
    if len(rows) > limits.max_objects:
        raise Refusal(
            f"This {what} has more than {limits.max_objects} new objects, the limit. "
            "Please leave generated files and dependencies out of the repository."
        )
    if not rows:  # every pushed commit is already here (a new branch at a known commit)
        return
    names = dict(rows)
    batch = _git(
        "cat-file",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
        input="\n".join(names).encode() + b"\n",
        git_dir=git_dir,
    )
    total = 0
    for line in batch.decode().splitlines():
        sha, kind, size_text = line.split(" ")
        size = int(size_text)
        total += size
        if kind == "blob" and size > limits.max_blob_bytes:
            raise Refusal(
                f"The file {names.get(sha) or sha} is {_mb(size)}; files larger than "
                f"{_mb(limits.max_blob_bytes)} are not accepted. Please remove it from your "
                f"history and {what} again."
            )
    if total > limits.max_total_bytes:
        raise Refusal(
            f"This {what} unpacks to {_mb(total)} of new files and history; at most "
            f"{_mb(limits.max_total_bytes)} are accepted. Please leave generated files, data "
            "and dependencies out of the repository."
        )
    check_files(tips, limits, git_dir=git_dir, what=what)


def check_files(
    tips: Sequence[str], limits: ObjectLimits, *, git_dir: Path | None = None, what: str = "push"
) -> None:
    """Refuse a pushed commit whose tree expands past `max_files` files and folders, or past
    the total size cap in bytes. Counted through the recursive tree, never by expanding it: a
    small pack can name one folder ten times at each of ten levels (git/trees.py). Only the
    pushed heads are counted: they are what is submitted, graded and downloaded; an older
    commit is only ever read one file at a time."""
    try:
        with TreeCounter(git_dir, limits.max_files, timeout=GIT_TIMEOUT) as counter:
            for tip in tips:
                problem = limits.files.problem(counter.measure(tip))
                if problem is not None:
                    raise Refusal(too_many_files(tip, problem, what))
    except TreeError as exc:
        raise Refusal(f"The files of this {what} could not be counted ({exc}).") from None


def too_many_files(tip: str, problem: str, what: str) -> str:
    """The candidate's message for a commit over the files limits (git prints it as remote:)."""
    name = f"Commit {tip[:10]}" if re.fullmatch(r"[0-9a-f]{40,64}", tip) else "The commit"
    return textwrap.fill(
        f"{name} {problem}, so this {what} was not accepted. Please leave generated files, "
        "dependencies and data out of the repository (a .gitignore helps), commit again and "
        f"{what} again.", 76)


def check_deadline(now: float, deadline: float | None, grace_seconds: int) -> None:
    if deadline is None:
        return
    if now > deadline + grace_seconds:
        when = datetime.fromtimestamp(deadline, UTC).strftime("%Y-%m-%d %H:%M UTC")
        raise Refusal(
            f"The time for this assignment ended at {when}, so this push was not accepted.\n"
            "Your earlier pushes are safe. If something went wrong, please reply to your\n"
            "invitation email and the team will help."
        )


def check_updates(lines: Sequence[str], protected: Mapping[str, str] | None = None,
                  notes: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """The pushed (old, new, ref) updates, refused when one is neither a branch nor one of the
    accepted `notes` refs, deletes one, or touches a protected branch (`protected` maps each
    such ref to the reason it gives). Accepted notes go through every object check a branch
    does: their commits, trees and blobs are new objects of the push like any other."""
    updates = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        if not REF_RE.match(ref) and ref not in notes:
            raise Refusal(f"Only branches can be pushed here; {ref!r} was refused.")
        if protected and ref in protected:
            raise Refusal(protected[ref])
        if new == ZERO:
            raise Refusal(f"Deleting branches is not allowed ({ref}).")
        updates.append((old, new, ref))
    if len(updates) > MAX_REFS:
        raise Refusal(f"A push may update at most {MAX_REFS} branches.")
    return updates


ALREADY_SUBMITTED = (
    "You already submitted this assignment, so the repository is read-only now and this push\n"
    "was not accepted. The code you submitted is safe and is what the team will review."
)
BUSY = (
    "Your repository is busy (a submission or an upload is in progress), so this push was not\n"
    "accepted. Please push again in a moment."
)


def check_not_submitted(git_dir: Path | None = None) -> None:
    """Refuse once submit has pinned `SUBMITTED_REF` in this repository."""
    cmd, env = git_invocation(git_dir, ["rev-parse", "--verify", "--quiet", SUBMITTED_REF])
    found = subprocess.run(cmd, capture_output=True, timeout=GIT_TIMEOUT, env=env, check=False)
    if found.returncode == 0:
        raise Refusal(ALREADY_SUBMITTED)


def hold_repository_lock(env: Mapping[str, str], stack: contextlib.ExitStack) -> None:
    """Take the repository lock for the rest of the push (git/locks.py explains why it outlives
    this hook). Run outside the web process (no inherited descriptor), the hook locks the file
    itself, which covers its own checks only."""
    timeout = float(env.get("RECIPROCAL_LOCK_TIMEOUT", HOOK_LOCK_TIMEOUT_SECONDS))
    try:
        if env.get(LOCK_FD_ENV):
            lock_inherited(int(env[LOCK_FD_ENV]), timeout)
        else:
            git_dir = Path(env.get("GIT_DIR", "."))
            if (git_dir / LOCK_NAME).parent.is_dir():
                stack.enter_context(repository_lock(git_dir, timeout))
    except RepositoryBusy:
        raise Refusal(BUSY) from None


def pre_receive(stdin_lines: Sequence[str], env: dict[str, str]) -> None:
    check_not_submitted()  # the clear answer first, before any slower check
    deadline = float(env["RECIPROCAL_DEADLINE"]) if env.get("RECIPROCAL_DEADLINE") else None
    check_deadline(time.time(), deadline, int(env.get("RECIPROCAL_GRACE_SECONDS", "600")))
    updates = check_updates(stdin_lines, _protected(env), _notes_refs(env))
    check_objects([new for _old, new, _ref in updates], ObjectLimits.from_env(env))
    with contextlib.ExitStack() as stack:
        hold_repository_lock(env, stack)
        # Under the lock: a submit that pinned main while the checks above ran is seen here.
        check_not_submitted()


PROTECTED_REF_ENV = "RECIPROCAL_PROTECTED_REF"
PROTECTED_REASON_ENV = "RECIPROCAL_PROTECTED_REASON"
PUSH_NOTE_ENV = "RECIPROCAL_PUSH_NOTE"


def _protected(env: Mapping[str, str]) -> dict[str, str]:
    """The one branch a push may not touch, from the web process (an assignment repository's
    main, which only publishing moves)."""
    ref = env.get(PROTECTED_REF_ENV, "")
    return {ref: env.get(PROTECTED_REASON_ENV) or f"{ref} cannot be pushed."} if ref else {}


def _notes_refs(env: Mapping[str, str]) -> tuple[str, ...]:
    """The notes refs this repository accepts (only AI_NOTES_REF is ever named)."""
    named = env.get(NOTES_REFS_ENV, "").split()
    return tuple(ref for ref in named if ref == AI_NOTES_REF)


def post_receive(stdin_lines: Sequence[str], env: Mapping[str, str]) -> None:
    """Record the accepted updates with the server's clock, then tell the candidate it landed."""
    fields = [line.split() for line in stdin_lines]
    updates = [(f[0], f[1], f[2]) for f in fields if len(f) == 3]
    pushes.record(Path(env.get("GIT_DIR", ".")), updates, via="push")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    note = env.get(PUSH_NOTE_ENV) or "Submit from your portal when you are done."
    print(f"Received at {when}. {note}", file=sys.stderr)


def main(argv: Sequence[str]) -> int:
    if list(argv) == ["post-receive"]:
        try:
            post_receive(sys.stdin.read().splitlines(), dict(os.environ))
        except OSError as exc:  # the push itself has landed; only its record failed
            print(f"The push landed but its time could not be recorded ({exc}).", file=sys.stderr)
        return 0
    if list(argv) != ["pre-receive"]:
        print("usage: python -m reciprocal.git.hooks pre-receive|post-receive", file=sys.stderr)
        return 2
    try:
        pre_receive(sys.stdin.read().splitlines(), dict(os.environ))
    except Refusal as refusal:
        print("\n" + str(refusal) + "\n", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(
            f"The push could not be checked ({exc.returncode}); please try again.", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
