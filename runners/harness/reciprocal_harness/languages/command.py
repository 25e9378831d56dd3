"""Any test tool, through JUnit XML: the assignment's ``[tests]`` command, run as the
candidate's uid in its tree with the hidden tests placed where the table says, and the JUnit
reports it writes where the table says.

The test tool shares its process with the candidate's code, and nothing but the assignment's
author knows its tests' names in advance, so the check is the ids: the platform compares the
reported tests with those the reference solution's validated run reported (``ids``). A report
the submission ships is removed before the run and flagged; the static scan flags source that
writes JUnit XML itself.

An image may name a warm test tool (``RECIPROCAL_WARM_COMMAND``, see ``reciprocal_harness.warm``)
that stands in for the command's program: started while the container waits for its job, it
runs the command's arguments once the tree is ready. A run with a build step or services runs
cold: the build's end kills every process of the candidate's uid, and the services' settings
reach the tests through an environment the warm tool was started without.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import stat
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from .. import warm
from ..child import Capture, run_child, watch_child
from ..junit import Case, to_junit
from ..layout import BASE_ENV, HIDDEN, SUBMISSION, inside
from ..protocol import MAX_MESSAGE, HarnessError, Header
from ..steps import build, build_failure, services_env
from . import LanguageRun

CHECKS = "ids"
REPORT_BYTES = 20 << 20  # all reports together
MAX_FILES = 5_000
FORGED_JUNIT = re.compile(rb"<testsuites?[\s>]|<testcase[\s>]")
SOURCE_SCAN_BYTES = 2 << 20
SKIPPED_PARTS = {"node_modules", ".git", "target", "build", "vendor", ".venv"}
_warm: warm.WarmCommand | None = None


def warm_up() -> None:
    """Before the job: start the image's warm test tool, if it names one, in the submission's
    folder (made now; the files come into it later)."""
    global _warm
    declared = shlex.split(os.environ.get("RECIPROCAL_WARM_COMMAND", ""))
    if len(declared) < 2:
        return
    SUBMISSION.mkdir(parents=True, exist_ok=True)
    _warm = warm.start_command(declared, BASE_ENV, SUBMISSION)


def prepare(header: Header) -> None:
    """As root: the hidden tests in place of the candidate's folder at the table's path. The
    folder and everything in it stay root's (see ``protect``): the candidate's uid can read
    them but not change, remove or rename them, even from a build step that runs first."""
    if not header.tests.command:
        raise HarnessError("the command runner needs [tests] command in assignment.toml")
    if not header.tests.hidden_path.strip("/"):
        raise HarnessError("the command runner needs [tests] hidden_path: a folder of its own")
    header.prepared["shipped_reports"] = shipped_reports(header.tests.junit)
    target_root = SUBMISSION / header.tests.hidden_path
    if target_root.is_symlink() or target_root.is_file():
        target_root.unlink()
    elif target_root.exists():
        shutil.rmtree(target_root)
    for source in sorted(HIDDEN.rglob("*")):
        rel = source.relative_to(HIDDEN)
        target = target_root / rel
        if source.is_symlink():
            continue
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not inside(SUBMISSION.resolve(), target.parent.resolve()):
            raise HarnessError(f"cannot place hidden test {rel}: its folder is a link outside")
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        shutil.copyfile(source, target, follow_symlinks=False)


def protect(header: Header) -> None:
    """After the submission was handed to the candidate's uid: the hidden tests' folder back to
    root (0755/0644). Renaming a folder needs write access to the folder itself, so the
    candidate cannot move it aside either."""
    root = SUBMISSION / header.tests.hidden_path
    for dirpath, _dirnames, filenames in os.walk(root, followlinks=False):
        os.chown(dirpath, 0, 0)
        os.chmod(dirpath, 0o755)  # noqa: S103 - readable by the test tool, writable by root only
        for name in filenames:
            os.lchown(os.path.join(dirpath, name), 0, 0)
            os.chmod(os.path.join(dirpath, name), 0o644)


def shipped_reports(globs: list[str]) -> list[str]:
    """Report files already in the submission where the tool writes its own: removed (as root,
    before the tree is the candidate's)."""
    found = []
    for path in _matching(globs):
        found.append(path.relative_to(SUBMISSION).as_posix())
        path.unlink()
    return found


def _matching(globs: list[str]) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(SUBMISSION, followlinks=False):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(SUBMISSION).as_posix()
            if any(fnmatch.fnmatch(rel, pattern) for pattern in globs):
                found.append(path)
                if len(found) >= MAX_FILES:
                    return found
    return sorted(found)


def writes_junit(hidden_root: Path) -> list[dict[str, object]]:
    """Source files of the candidate's (not the hidden tests') that contain JUnit XML markup:
    a test tool writes its reports itself, so code that does is forging one."""
    findings: list[dict[str, object]] = []
    for dirpath, dirnames, filenames in os.walk(SUBMISSION, followlinks=False):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_PARTS]
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or inside(hidden_root, path):
                continue
            try:
                with path.open("rb") as handle:
                    data = handle.read(SOURCE_SCAN_BYTES)
            except OSError:
                continue
            match = FORGED_JUNIT.search(data)
            if match:
                line = data[: match.start()].count(b"\n") + 1
                findings.append({"file": path.relative_to(SUBMISSION).as_posix(), "line": line,
                                 "detail": "writes JUnit XML itself (test reports are the "
                                           "test tool's to write)", "alters": True})
                if len(findings) >= 20:
                    return findings
    return findings


def run(header: Header, capture: Capture, deadline: float) -> LanguageRun:
    tests = header.tests
    protect(header)
    shipped = [str(p) for p in header.prepared.get("shipped_reports") or []]  # type: ignore
    findings = writes_junit((SUBMISSION / tests.hidden_path).resolve())
    env = services_env(header, deadline)
    tool = usable_warm_tool(header, env)
    built = build(header, capture, deadline, env)
    failure = build_failure(built)
    integrity: dict[str, object] = {"isolation": "in-process", "checks": CHECKS,
                                    "scan": findings,
                                    "shipped_reports": shipped[:20]}
    if failure is not None:
        assert built is not None
        return LanguageRun(child=built, build_failed=True, build_error=failure,
                           integrity=integrity)
    capture.feed(f"$ {' '.join(tests.command)}\n".encode())
    started = time.monotonic()
    if tool is not None and tool.run(list(tests.command)):
        integrity["judge"] = "warm"
        child = watch_child(tool.child, capture=capture, deadline=deadline, started=started)
    else:
        integrity["judge"] = "cold"
        child = run_child(list(tests.command), cwd=SUBMISSION, env=dict(BASE_ENV, **env),
                          capture=capture, deadline=deadline)
    cases, problem = read_reports(tests.junit)
    return LanguageRun(child=child, junit=to_junit(cases, "junit") if cases else None,
                       report_error=problem, integrity=integrity)


def usable_warm_tool(header: Header, env: dict[str, str]) -> warm.WarmCommand | None:
    """The warm tool when this run can use it; otherwise it is ended now, before any process of
    the candidate's starts."""
    global _warm
    tool, _warm = _warm, None
    if tool is None:
        return None
    if env or header.tests.build or header.tests.command[0] != tool.program:
        tool.discard()
        return None
    return tool


def read_reports(globs: list[str]) -> tuple[list[Case], str | None]:
    """Every JUnit file the tool wrote: its cases, or why there are none."""
    paths = _matching(globs)
    if not paths:
        return [], f"the test tool wrote no JUnit report (looked for {', '.join(globs)})"
    cases: list[Case] = []
    budget = REPORT_BYTES
    for path in paths:
        data = _read(path, budget)
        budget -= len(data)
        try:
            cases.extend(parse_report(data))
        except HarnessError as exc:
            rel = path.relative_to(SUBMISSION).as_posix()
            return [], f"the JUnit report {rel} could not be read: {exc}"
    return cases, None


def _read(path: Path, budget: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise HarnessError(f"{path.name} is not a regular file")
        data = handle.read(budget + 1)
    if len(data) > budget:
        raise HarnessError(f"the JUnit reports are larger than {REPORT_BYTES} bytes")
    return data


def parse_report(data: bytes) -> list[Case]:
    """Test cases of one JUnit XML document (``<testsuites>`` or ``<testsuite>``), refusing
    DTDs and entities (the worker parses the harness's own JUnit again with defusedxml)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise HarnessError("a JUnit report may not declare a DTD or entities")
    try:
        root = ET.fromstring(data)  # noqa: S314 - DTDs and entities refused above
    except ET.ParseError as exc:
        raise HarnessError(str(exc)) from None
    if root.tag not in ("testsuites", "testsuite"):
        raise HarnessError(f"unexpected root element <{root.tag}>")
    cases = []
    for case in root.iter("testcase"):
        outcome, message = "passed", ""
        for child in case:
            kind = {"failure": "failed", "error": "error", "skipped": "skipped"}.get(child.tag)
            if kind:
                outcome = kind
                message = ((child.get("message") or "") + "\n" + (child.text or "")).strip()
                break
        name, classname = case.get("name") or "", case.get("classname") or ""
        try:
            seconds = max(0.0, float(case.get("time") or 0))
        except ValueError:
            seconds = 0.0
        cases.append(Case(name=name, classname=classname, outcome=outcome, seconds=seconds,
                          message=message[:MAX_MESSAGE], top=f"{classname}::{name}"))
    return cases
