"""pytest on the hidden tests, in a judge that never imports candidate code.

The hidden tests run as ``JUDGE_UID`` (pytest_boot.py ``judge``): a module of the submission's
that they import is a proxy of the module imported in a host process running as the candidate's
uid, and commands of the submission run through the spawner as that uid (reciprocal_judge). The
candidate's uid cannot read /work/hidden or the sentinels, signal the judge or write what it
reads, so the verdict is the judge's: what the submission controls is what it answers, which is
what the tests judge. The sentinels and the collected ids remain, as checks of the pipeline.

-I: no PYTHON* variables, no user site, no cwd on sys.path; the candidate's conftest.py, ini
files, sitecustomize.py and *.pth are never read by the judge (the submission is not on its
path, and conftest lookup stops at /work/hidden).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .. import warm
from ..child import Capture, Channel, run_child, watch_child
from ..junit import Case, to_junit
from ..layout import (
    BASE_ENV,
    EXCHANGE,
    HIDDEN,
    JUDGE_HOME,
    JUDGE_UID,
    OPT,
    SCREENSHOTS,
    SENTINEL_DIR,
)
from ..protocol import Header
from ..screenshots import collect_screenshots
from ..sentinels import sentinel_names
from ..spawner import start_spawner
from ..steps import build, build_failure, services_env
from . import LanguageRun

BOOT = OPT / "reciprocal_harness" / "pytest_boot.py"
CHECKS = "boundary+sentinels+ids"
OUTCOMES = ("passed", "failed", "error", "skipped")
JUDGE_ENV = dict(BASE_ENV, HOME=str(JUDGE_HOME), TMPDIR=str(JUDGE_HOME),
                 PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
_warm: warm.WarmJudge | None = None


def warm_up() -> None:
    """Before the job: start the judge's interpreter, import pytest and start what the image
    names warmable (see harness.warm)."""
    global _warm
    warmable = os.environ.get("RECIPROCAL_JUDGE_WARM", "").split()
    _warm = warm.start(["python3", "-I", "-B", str(BOOT), "--warm"], warmable, JUDGE_ENV)


def prepare(header: Header) -> None:
    """As root: the sentinels beside the hidden tests, both readable by the judge only; the
    judge's private home and the folder it shares with the submission."""
    write_sentinels(header.nonce)
    for root in (HIDDEN, SENTINEL_DIR):
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            os.chown(dirpath, 0, JUDGE_UID)
            os.chmod(dirpath, 0o750)  # noqa: S103 - the judge's group reads, nobody else
            for name in filenames:
                path = os.path.join(dirpath, name)
                if not os.path.islink(path):
                    os.chown(path, 0, JUDGE_UID)
                    os.chmod(path, 0o640)
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    # The judge's home can be passed through, not listed: a file a test writes in its tmp_path
    # can be handed to the submission by name (the tmp_path fixture makes it readable).
    for folder, mode in ((JUDGE_HOME, 0o711), (EXCHANGE, 0o755), (SCREENSHOTS, 0o755)):
        folder.mkdir(mode=mode)
        os.chmod(folder, mode)  # before the chown: root without CAP_FOWNER cannot after it
        os.chown(folder, JUDGE_UID, JUDGE_UID)


def sentinel_file(nonce: str) -> Path:
    return SENTINEL_DIR / f"test_{sentinel_names(nonce, 'python-file')[1][0]}.py"


def write_sentinels(nonce: str) -> Path:
    """A test file with the run's must-fail and must-pass tests. It is named on the command
    line, so hidden tests with their own python_files still run it, and no hidden conftest
    applies to it."""
    fail, ok = sentinel_names(nonce, "python")
    lines = ['"""Reciprocal sentinel tests: their outcomes are known in advance."""', ""]
    for name in fail:
        lines += [f"def test_{name}():", f"    assert {len(name)} == 0, 'sentinel'", ""]
    for name in ok:
        lines += [f"def test_{name}():", f"    assert {len(name)} == {len(name)}", ""]
    SENTINEL_DIR.mkdir(mode=0o750, exist_ok=True)
    path = sentinel_file(nonce)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines))
    return path


def run(header: Header, capture: Capture, deadline: float) -> LanguageRun:
    services = services_env(header, deadline)
    built = build(header, capture, deadline, services)
    failure = build_failure(built)
    if failure is not None:
        assert built is not None
        return LanguageRun(child=built, build_failed=True, build_error=failure,
                           integrity={"isolation": "process", "checks": CHECKS})
    hidden_ini = HIDDEN / "pytest.ini"
    ini = hidden_ini if hidden_ini.is_file() and not hidden_ini.is_symlink() else \
        OPT / "reciprocal_harness" / "pytest.ini"
    channel = Channel(header.report_bytes)
    spawner, spawner_pid = start_spawner(services)
    env = dict(JUDGE_ENV, **services,
               RECIPROCAL_SCREENSHOTS=json.dumps(header.tests.screenshots))
    args = [
        "-c", str(ini), "--rootdir", str(HIDDEN), "--confcutdir", str(HIDDEN),
        "-p", "no:cacheprovider", "-p", "no:junitxml", "--continue-on-collection-errors",
        str(HIDDEN), str(sentinel_file(header.nonce)),
    ]
    judge = "cold"
    try:
        started = time.monotonic()
        if _warm is not None and _warm.run(args, env, HIDDEN, [channel.write_fd,
                                                                 spawner.fileno()]):
            judge = "warm"
            channel.close_writer()
            child = watch_child(_warm.child, capture=capture, deadline=deadline,
                                channel=channel, started=started)
        else:
            cmd = ["python3", "-I", "-B", str(BOOT), str(channel.write_fd),
                   str(spawner.fileno()), *args]
            child = run_child(cmd, cwd=HIDDEN, env=env, capture=capture, deadline=deadline,
                              channel=channel, uid=JUDGE_UID, extra_fds=[spawner.fileno()])
    finally:
        spawner.close()
        _wait(spawner_pid, time.monotonic() + 5)
    cases, integrity = python_cases(channel.records())
    integrity.update(sentinels=True, isolation="process", checks=CHECKS,
                     channel_overflow=channel.overflow, judge=judge)
    return LanguageRun(child=child, junit=to_junit(cases, "pytest"), integrity=integrity,
                       screenshots=collect_screenshots())


def _wait(pid: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.02)


def hidden_file(nodeid: str) -> bool:
    """Whether a collection error's node id names a real file of the hidden tests (or the
    sentinels): a record naming anything else is not the test tool's."""
    path = nodeid.split("::", 1)[0]
    if not path or path.startswith("/") or ".." in Path(path).parts:
        return False
    for root in (HIDDEN, SENTINEL_DIR):
        candidate = root / path
        if candidate.is_file() and not candidate.is_symlink():
            return True
    return False


def _split_id(nodeid: str) -> tuple[str, str]:
    classname, sep, name = nodeid.rpartition("::")
    return (classname, name) if sep else (nodeid, nodeid)


def python_cases(records: list[dict[str, object]]) -> tuple[list[Case], dict[str, object]]:
    """Test cases and integrity evidence from the judge's lines on the channel."""
    cases: list[Case] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    finished = None
    collected: list[str] | None = None
    broken: list[str] = []
    forged: list[str] = []
    for record in records:
        kind = record.get("kind")
        if kind == "collected" and isinstance(record.get("ids"), list) and collected is None:
            collected = [str(i) for i in record["ids"]]  # type: ignore[union-attr]
        elif kind == "test":
            nodeid = str(record.get("id", ""))
            if nodeid in seen:
                duplicates.append(nodeid)
                continue
            seen.add(nodeid)
            classname, name = _split_id(nodeid)
            outcome = str(record.get("outcome"))
            cases.append(Case(name=name, classname=classname,
                              outcome=outcome if outcome in OUTCOMES else "error",
                              seconds=float(record.get("seconds") or 0),  # type: ignore[arg-type]
                              message=str(record.get("message") or ""), top=nodeid))
        elif kind == "collect_error":
            path = str(record.get("path", ""))
            if not hidden_file(path):
                forged.append(path[:200])
                continue
            broken.append(path.split("::", 1)[0])
            cases.append(Case(name=path, classname=path, outcome="error",
                              message=str(record.get("message") or "")))
        elif kind == "finished":
            finished = record.get("exitstatus")
        elif kind == "session_failed":
            cases.extend(setup_errors())
    return cases, {"duplicates": duplicates[:20], "finished": finished, "collected": collected,
                   "run_collect_errors": broken, "forged_collect_errors": forged[:5],
                   "aborted": any(r.get("kind") == "session_failed" for r in records)}


def setup_errors() -> list[Case]:
    """Error cases for a session that stopped before collecting: each hidden conftest.py (the
    usual cause), or the set-up as a whole."""
    message = ("the hidden tests' set-up could not load, so no test ran (the output says why; "
               "often the submission failed to import)")
    found = sorted(p.relative_to(HIDDEN).as_posix() for p in HIDDEN.rglob("conftest.py")
                   if p.is_file() and not p.is_symlink())
    return [Case(name=rel, classname=rel, outcome="error", message=message)
            for rel in found] or [Case(name="set-up", classname="", outcome="error",
                                       message=message)]
