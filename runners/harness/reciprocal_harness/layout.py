"""Where things are inside a runner container, and who owns them."""

from __future__ import annotations

from pathlib import Path

WORK = Path("/work")
SUBMISSION = WORK / "submission"
HIDDEN = WORK / "hidden"
SENTINEL_DIR = WORK / ".sentinel"
# The judge's private temporary folder, and a folder it shares read-only with the submission.
JUDGE_HOME = WORK / ".judge"
EXCHANGE = WORK / "exchange"
GO_HOME = WORK / ".go"
OPT = Path("/opt/reciprocal")
TMP = "/tmp"  # noqa: S108 - the container's own size-capped tmpfs, not a shared host /tmp

# The candidate's code runs as this uid; the harness as root.
RUNNER_UID = 10001
# The hidden tests run as this uid when they reach the submission over a process boundary: the
# candidate's uid cannot read them, signal them or write anything they read.
JUDGE_UID = 10002

BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": TMP,
    "TMPDIR": TMP,
    "LANG": "C.UTF-8",
    "SUBMISSION_DIR": str(SUBMISSION),
}


def inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents
