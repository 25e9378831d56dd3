"""The platform's pre-receive hook: deadline, ref names, object count and blob size.

Git runs this for every push into a platform repository (core.hooksPath points at a folder the
platform owns; candidates' own hooks are never transferred by a push). Whatever it prints on
stderr reaches the candidate's terminal as `remote: ...`. It imports nothing from Flask so that it
starts fast; the web process passes the limits in the environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ZERO = "0" * 40
REF_RE = re.compile(r"^refs/heads/[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")
MAX_REFS = 50

HOOK_SCRIPT = """#!/bin/sh
# Installed by Reciprocal. Candidate hooks are never used; this one enforces the platform's rules.
exec "${RECIPROCAL_HOOK_PYTHON:-python3}" -m reciprocal.git.hooks pre-receive
"""


def install_hooks(hooks_dir: Path) -> None:
    hooks_dir.mkdir(parents=True, exist_ok=True)
    hook = hooks_dir / "pre-receive"
    if not hook.exists() or hook.read_text() != HOOK_SCRIPT:
        hook.write_text(HOOK_SCRIPT)
        hook.chmod(0o755)


class Refusal(Exception):
    pass


def _git(*args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", *args], input=input, capture_output=True, check=True, timeout=120
    ).stdout


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


def check_updates(lines: Sequence[str]) -> list[tuple[str, str, str]]:
    updates = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        if not REF_RE.match(ref):
            raise Refusal(f"Only branches can be pushed here; {ref!r} was refused.")
        if new == ZERO:
            raise Refusal(f"Deleting branches is not allowed ({ref}).")
        updates.append((old, new, ref))
    if len(updates) > MAX_REFS:
        raise Refusal(f"A push may update at most {MAX_REFS} branches.")
    return updates


def check_objects(new_shas: Sequence[str], max_objects: int, max_blob: int) -> None:
    if not new_shas:
        return
    listing = _git("rev-list", "--objects", *new_shas, "--not", "--all")
    rows = [line.split(" ", 1) for line in listing.decode("utf-8", "replace").splitlines()]
    if len(rows) > max_objects:
        raise Refusal(
            f"This push has {len(rows)} new objects; the limit is {max_objects}. "
            "Please leave generated files and dependencies out of the repository."
        )
    names = {row[0]: (row[1] if len(row) > 1 else "") for row in rows}
    batch = _git(
        "cat-file",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
        input="\n".join(names).encode() + b"\n",
    )
    for line in batch.decode().splitlines():
        sha, kind, size = line.split(" ")
        if kind == "blob" and int(size) > max_blob:
            raise Refusal(
                f"The file {names.get(sha) or sha} is {int(size) // (1024 * 1024)} MB; "
                "files larger "
                f"than {max_blob // (1024 * 1024)} MB are not accepted. Please remove it from "
                "your history and push again."
            )


def pre_receive(stdin_lines: Sequence[str], env: dict[str, str]) -> None:
    deadline = float(env["RECIPROCAL_DEADLINE"]) if env.get("RECIPROCAL_DEADLINE") else None
    check_deadline(time.time(), deadline, int(env.get("RECIPROCAL_GRACE_SECONDS", "600")))
    updates = check_updates(stdin_lines)
    check_objects(
        [new for _old, new, _ref in updates],
        int(env.get("RECIPROCAL_MAX_OBJECTS", "20000")),
        int(env.get("RECIPROCAL_MAX_BLOB_BYTES", str(10 * 1024 * 1024))),
    )


def main(argv: Sequence[str]) -> int:
    if list(argv) != ["pre-receive"]:
        print("usage: python -m reciprocal.git.hooks pre-receive", file=sys.stderr)
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
