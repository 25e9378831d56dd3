"""The hidden test files under node:test, in the candidate's process (checked, not judged).

Warm (the usual path): a runner started before the job (node-warm.mjs, reciprocal_harness.warm)
with node:test, the reporters and the image's warmable modules (``RECIPROCAL_NODE_WARM``, jsdom
in the Node runner) loaded runs the files in that one process, in order. Cold, when it could
not start: ``node --test``, a process per file.

A small reporter writes JSON lines to the harness's channel; they are converted to JUnit here
(Node 18 has no JUnit reporter). The hidden tests share their processes with the candidate's
code, so the report is checked: sentinel tests added by node-guard.cjs, the top-level ids read
from the hidden files' syntax (node-scan.cjs, acorn) against those reported, and the static
scan's findings (some alter the verdict, see node-scan.cjs).
"""

from __future__ import annotations

import json
import os
import re
import time

from .. import warm
from ..child import Capture, Channel, run_child, watch_child
from ..junit import Case, to_junit
from ..layout import BASE_ENV, HIDDEN, OPT, SUBMISSION
from ..protocol import HarnessError, Header
from ..scan import StaticScan, static_scan
from ..sentinels import sentinel_names
from . import LanguageRun

TEST_FILE = re.compile(r".+\.test\.(?:js|mjs|cjs)$")
CHECKS = "sentinels+ids+scan"
NODE_ENV = dict(BASE_ENV, NODE_PATH="/usr/share/nodejs:/usr/lib/nodejs", NO_COLOR="1")
REPORTERS = [
    f"--test-reporter={OPT / 'node-reporter.mjs'}",
    "--test-reporter-destination=stderr",  # it writes to the channel's fd, yields nothing
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
]
SCAN = ["node", str(OPT / "node-scan.cjs")]
_warm: warm.WarmRunner | None = None
_warm_scan: warm.WarmRunner | None = None


def warm_up() -> None:
    """Before the job: start the static scan with acorn loaded, and the runner with node:test
    and the image's warmable modules."""
    global _warm, _warm_scan
    _warm_scan = warm.start_runner([*SCAN, "--warm"], [], NODE_ENV)
    modules = os.environ.get("RECIPROCAL_NODE_WARM", "").split()
    _warm = warm.start_runner(
        ["node", "--require", str(OPT / "node-guard.cjs"), *REPORTERS,
         str(OPT / "node-warm.mjs")], modules, NODE_ENV)


def prepare(header: Header) -> None:
    """Nothing to place: node reads the hidden tests where they are."""


def run(header: Header, capture: Capture, deadline: float) -> LanguageRun:
    files = sorted(
        str(p)
        for p in HIDDEN.rglob("*")
        if TEST_FILE.match(p.name) and p.is_file() and "node_modules" not in p.parts
    )
    if not files:
        raise HarnessError("no hidden test files (*.test.js, *.test.mjs, *.test.cjs)")
    # Nothing of the candidate's has run yet, so the runner uid's only other process is the
    # warm runner, which the scan's end must leave alone.
    scan = static_scan([*SCAN, str(SUBMISSION), str(HIDDEN)], NODE_ENV, deadline,
                       kill_uids=(), warm=_warm_scan)
    fail, ok = sentinel_names(header.nonce, "node")
    started = time.monotonic()
    if _warm is not None and _warm.run({
        "env": dict(NODE_ENV, RECIPROCAL_CHANNEL_FD=str(_warm.channel.write_fd)),
        "cwd": str(SUBMISSION), "files": files, "sentinels": [fail, ok],
    }, header.report_bytes):
        runner, channel = "warm", _warm.channel
        child = watch_child(_warm.child, capture=capture, deadline=deadline, channel=channel,
                            started=started)
    else:
        runner, channel = "cold", Channel(header.report_bytes)
        env = dict(NODE_ENV, RECIPROCAL_SENTINELS=f"{','.join(fail)};{','.join(ok)}",
                   RECIPROCAL_CHANNEL_FD=str(channel.write_fd))
        cmd = ["node", "--require", str(OPT / "node-guard.cjs"), "--test", *REPORTERS, *files]
        child = run_child(cmd, cwd=SUBMISSION, env=env, capture=capture, deadline=deadline,
                          channel=channel)
    text = bytes(channel.data).decode("utf-8", errors="replace")
    integrity: dict[str, object] = {"sentinels": True, "channel_overflow": channel.overflow,
                                    "isolation": "in-process", "checks": CHECKS,
                                    "judge": runner, **scan.evidence()}
    if not text.strip():
        # With the sentinels' evidence: a run that ends with success and no report (the
        # candidate's code ended the process before any test) contradicts them.
        return LanguageRun(child=child, report_error="the test tool wrote no report",
                           integrity=integrity)
    events = node_events(text)
    integrity.update(node_ids(events, scan))
    return LanguageRun(child=child, junit=to_junit(node_cases(events), "node"),
                       integrity=integrity)


def node_events(text: str) -> list[dict[str, object]]:
    """The reporter's events, one JSON object per line; anything else is skipped."""
    events = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def hidden_rel(file: str) -> str:
    """A reported test file's path relative to /work/hidden (as the scan names it)."""
    return os.path.relpath(file, HIDDEN) if file.startswith(str(HIDDEN)) else file


def node_ids(events: list[dict[str, object]], scan: StaticScan) -> dict[str, object]:
    """Top-level ids (file::name) as collected from the hidden files' syntax and as reported.

    node:test reports each top-level test or suite at nesting 0; a file that failed to load is
    one nesting-0 failure named after the file. Files whose tests could not be read statically
    ("dynamic") are left out of the comparison rather than compared wrongly."""
    if scan.error:
        return {}
    reported: list[str] = []
    broken: list[str] = []
    for event in events:
        if int(event.get("nesting") or 0) != 0:  # type: ignore[call-overload]
            continue
        file = str(event.get("file") or "")
        rel = hidden_rel(file)
        if event.get("name") == file and event.get("type") == "test:fail":
            broken.append(rel)
        else:
            reported.append(f"{rel}::{event.get('name', '')}")
    static = {f: names for f, names in scan.tests.items() if names is not None}
    return {
        "collected": sorted(f"{f}::{n}" for f, names in static.items() for n in names),
        "reported_top": reported,
        "broken_files": broken,
        "uncollected_files": sorted(f for f, names in scan.tests.items() if names is None),
    }


def _tops(events: list[dict[str, object]]) -> list[str]:
    """Each event's top-level test (file::name): node:test reports a suite after its
    subtests, so the nesting-0 event that follows a nested one in its file is its top."""
    tops = [""] * len(events)
    current: dict[str, str] = {}
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        file = hidden_rel(str(event.get("file") or ""))
        if int(event.get("nesting") or 0) == 0:  # type: ignore[call-overload]
            current[file] = f"{file}::{event.get('name', '')}"
        tops[index] = current.get(file, "")
    return tops


def node_cases(events: list[dict[str, object]]) -> list[Case]:
    """Leaf tests from the reporter's events; a suite is reported only when it failed for a
    reason of its own (a hook, or a file that failed to load)."""
    cases: list[Case] = []
    deeper: dict[tuple[str, int], bool] = {}  # per file: a level whose next event is a parent
    for event, top in zip(events, _tops(events), strict=True):
        level = int(event.get("nesting") or 0)  # type: ignore[call-overload]
        file = str(event.get("file") or "")
        is_parent = deeper.pop((file, level), False)
        if level > 0:
            deeper[(file, level - 1)] = True
        failed = event.get("type") == "test:fail"
        if is_parent and (not failed or event.get("failure_type") == "subtestsFailed"):
            continue
        classname = hidden_rel(str(event.get("file") or ""))
        if event.get("skip") or event.get("todo"):
            outcome = "skipped"
        elif failed:
            outcome = "error" if is_parent else "failed"
        else:
            outcome = "passed"
        cases.append(
            Case(
                name=str(event.get("name", "")),
                classname=classname or "node",
                outcome=outcome,
                seconds=float(event.get("duration_ms") or 0) / 1000,  # type: ignore[arg-type]
                message=str(event.get("error") or event.get("skip_reason") or ""),
                top=top,
            )
        )
    return cases
