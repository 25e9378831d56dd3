"""Where things are inside a runner container, and who owns them."""

from __future__ import annotations

import os
from pathlib import Path

WORK = Path("/work")
SUBMISSION = WORK / "submission"
HIDDEN = WORK / "hidden"
SENTINEL_DIR = WORK / ".sentinel"
# The judge's private temporary folder, and a folder it shares read-only with the submission.
JUDGE_HOME = WORK / ".judge"
EXCHANGE = WORK / "exchange"
# Where the judge writes photographs of the candidate's pages, for the harness to send on.
SCREENSHOTS = WORK / ".screenshots"
GO_HOME = WORK / ".go"
OPT = Path("/opt/reciprocal")
# The build cache a Go image was built with (the standard library's vet facts, an
# environment's vendored modules: reciprocal-go-build-cache); each run links to it.
GO_CACHE_SEED = OPT / "go-cache"
TMP = "/tmp"  # noqa: S108 - the container's own size-capped tmpfs, not a shared host /tmp

# The candidate's code runs as this uid; the harness as root.
RUNNER_UID = 10001
# The hidden tests run as this uid when they reach the submission over a process boundary: the
# candidate's uid cannot read them, signal them or write anything they read.
JUDGE_UID = 10002
# Services an assignment declares (a database, a cache) run as this uid, inside the container.
SERVICES_UID = 10003
SERVICES_DIR = WORK / ".services"

# Every test process's environment: the image's own (an environment's Dockerfile may set PATH,
# NODE_PATH, JAVA_HOME...: the assignment's author's, never the candidate's; the worker passes
# the container nothing), with a private home and temporary folder.
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    **{k: v for k, v in os.environ.items() if k not in ("HOME", "HOSTNAME", "PWD", "OLDPWD")},
    "HOME": TMP,
    "TMPDIR": TMP,
    "SUBMISSION_DIR": str(SUBMISSION),
}


def inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents
