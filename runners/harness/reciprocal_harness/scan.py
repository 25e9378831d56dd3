"""Static scans: a language's own parser reads the sources before any candidate code runs."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from .child import Capture, Channel, run_child, watch_child
from .layout import JUDGE_UID, RUNNER_UID, WORK
from .warm import WarmRunner

SCAN_SECONDS = 30
SCAN_BYTES = 4 << 20


@dataclass
class StaticScan:
    """What a language's parser (node-scan.cjs with acorn, goscan with go/ast) read from the
    sources before the tests ran: findings in the submission, top-level tests per hidden file
    (None for a file whose tests are not all literal top-level calls), or why it failed."""

    findings: list[dict[str, object]] = field(default_factory=list)
    tests: dict[str, list[str] | None] = field(default_factory=dict)
    error: str | None = None

    def evidence(self) -> dict[str, object]:
        found: dict[str, object] = {"scan": self.findings[:40]}
        if self.error:
            found["scan_error"] = self.error
        return found


def static_scan(cmd: list[str], env: dict[str, str], deadline: float,
                kill_uids: Sequence[int] = (RUNNER_UID, JUDGE_UID),
                warm: WarmRunner | None = None) -> StaticScan:
    """Run a scanner (``cmd``: interpreter, script, arguments) as the runner user (it only
    reads) with the channel for its JSON lines; its own output is kept apart from the
    candidate's. ``warm``, a scanner started before the job, gets the arguments instead when it
    is there. At its end its process group and every process of ``kill_uids`` are killed."""
    output = Capture(4000)
    scan_deadline = min(deadline, time.monotonic() + SCAN_SECONDS)
    if warm is not None and warm.run({"args": cmd[2:]}, SCAN_BYTES):
        channel = warm.channel
        child = watch_child(warm.child, capture=output, deadline=scan_deadline,
                            channel=channel, kill_uids=kill_uids)
    else:
        channel = Channel(SCAN_BYTES)
        child = run_child(cmd, cwd=WORK,
                          env=dict(env, RECIPROCAL_CHANNEL_FD=str(channel.write_fd)),
                          capture=output, deadline=scan_deadline, channel=channel,
                          kill_uids=kill_uids)
    scan = StaticScan()
    for record in channel.records():
        kind, file = record.get("kind"), str(record.get("file") or "")
        if kind == "finding":
            line = record.get("line")
            scan.findings.append({"file": file, "detail": str(record.get("detail", ""))[:300],
                                  "line": line if isinstance(line, int) else None,
                                  "alters": record.get("alters") is True})
        elif kind == "tests" and isinstance(record.get("names"), list):
            scan.tests[file] = [str(n) for n in record["names"]]
        elif kind == "dynamic":
            scan.tests[file] = None
    if child.timed_out or child.exit_code != 0 or channel.overflow:
        scan.error = (f"the static scan did not finish (exit {child.exit_code}"
                      f"{', timed out' if child.timed_out else ''}): {output.text()[:500]}")
    return scan
