"""Reciprocal's in-container test harness: the ENTRYPOINT of every runner image.

Protocol (the worker side lives in ``reciprocal.runner.engine``):

* stdin carries one header line (JSON: ``nonce``, ``timeout_seconds``, ``output_bytes``,
  ``report_bytes``, and for pytest optionally ``collected``: the hidden tests' ids collected for
  an earlier run of the same tests and image) followed by an uncompressed tar holding
  ``submission/`` and ``hidden/``.
  The harness extracts it into /work and closes stdin.
* The test command runs as a child whose stdout and stderr go to a pipe that the harness reads
  with a byte cap. The candidate's code therefore never writes to the container's stdout.
* The test tool writes a report into a fresh directory; the harness turns it into JUnit XML.
* The harness writes ONE JSON document on its own stdout. It carries the nonce from the header,
  which the candidate's code cannot learn (stdin is consumed before any of it runs, and the
  harness is not dumpable, so /proc/<pid>/mem and /proc/<pid>/fd are closed to it). A document
  the candidate forges, for example by writing to /proc/1/fd/1, is ignored by the worker.

Privilege split: the container starts as root holding only CAP_SETUID, CAP_SETGID and
CAP_CHOWN (see ``container_options``). The harness extracts the payload as root, so
/work/hidden and the sentinel tests are root-owned and read-only for everyone else, hands
/work/submission to the runner user (uid 10001), and runs every test command as that user with
no capabilities left. The candidate's code therefore runs as another uid than the harness: it
cannot read the harness's memory or descriptors, signal it, or write a file it reads. Test
results come back over a pipe the harness holds (pytest, node) or as the go command's stdout
pipe, never through a file in a directory the candidate's uid can write.

Runs with python3 -I and uses only the standard library.
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

PROTOCOL = 1
WORK = Path("/work")
SUBMISSION = WORK / "submission"
HIDDEN = WORK / "hidden"
SENTINEL_DIR = WORK / ".sentinel"
GO_HOME = WORK / ".go"
OPT = Path("/opt/reciprocal")
TMP = "/tmp"  # noqa: S108 - the container's own size-capped tmpfs, not a shared host /tmp
HEADER_MAX = 1 << 20  # the header may carry the collected ids of a large suite
MAX_MEMBERS = 50_000
MAX_MESSAGE = 4_000
PR_SET_DUMPABLE = 4
RUNNER_UID = 10001  # the candidate's test process runs as this uid; the harness as root
SENTINELS = 2  # of each kind: must fail, must pass
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": TMP,
    "TMPDIR": TMP,
    "LANG": "C.UTF-8",
    "SUBMISSION_DIR": str(SUBMISSION),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class HarnessError(Exception):
    """The harness could not do its job; reported in the JSON document."""


@dataclass
class Header:
    nonce: str
    timeout_seconds: float
    output_bytes: int
    report_bytes: int
    # The hidden tests' ids (without sentinels) collected for an earlier run of the same tests
    # in the same image, from the worker's cache: the collection step is then skipped.
    collected: list[str] | None = None


@dataclass
class Capture:
    """Output of the child, capped at ``limit`` bytes with a visible marker when cut."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    total: int = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]

    @property
    def truncated(self) -> bool:
        return self.total > self.limit

    def text(self) -> str:
        text = clean(self.data.decode("utf-8", errors="replace"))
        if self.truncated:
            text += (
                f"\n[... output truncated by Reciprocal after {self.limit} bytes;"
                f" {self.total - self.limit} more bytes were discarded ...]\n"
            )
        return text


@dataclass
class ChildResult:
    exit_code: int | None
    timed_out: bool
    duration: float


@dataclass
class LanguageRun:
    """What one language adapter hands back to the harness."""

    child: ChildResult
    junit: str | None = None
    report_error: str | None = None
    build_failed: bool = False
    integrity: dict[str, object] = field(default_factory=dict)


def clean(text: str) -> str:
    """Drop control characters so the output is safe to show and compact to encode."""
    return _CONTROL.sub("\ufffd", text)


def make_undumpable() -> None:
    """Stop same-uid processes (the candidate's) from reading our memory or file descriptors."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def sentinel_names(nonce: str, language: str) -> tuple[list[str], list[str]]:
    """Names of the run's must-fail and must-pass sentinel tests, derived from the nonce.

    reciprocal.runner.integrity derives the same names on the worker, which checks them.
    """

    def name(kind: str, index: int) -> str:
        digest = hmac.new(nonce.encode(), f"{language}:{kind}:{index}".encode(), hashlib.sha256)
        return digest.hexdigest()[:16]

    return (
        [name("fail", i) for i in range(SENTINELS)],
        [name("pass", i) for i in range(SENTINELS)],
    )


def is_root() -> bool:
    return os.geteuid() == 0


def hand_over(root: Path) -> None:
    """Give ``root`` and everything under it to the runner user (links themselves, not their
    targets). Needs CAP_CHOWN; without root (an old container configuration) it is a no-op."""
    if not is_root():
        return
    os.lchown(root, RUNNER_UID, RUNNER_UID)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            os.lchown(os.path.join(dirpath, name), RUNNER_UID, RUNNER_UID)


def _drop_privileges() -> None:
    """In the child, before exec: become the runner user, no supplementary groups. setuid from
    root to another uid clears every capability; no-new-privileges keeps them cleared."""
    if is_root():
        os.setgroups([])
        os.setgid(RUNNER_UID)
        os.setuid(RUNNER_UID)


def kill_runner_processes() -> None:
    """SIGKILL every process of the runner user, also those that left the process group.

    The harness (root without CAP_KILL) may not signal them itself, so a forked helper becomes
    the runner user and uses kill(-1), which reaches every process of its uid but itself."""
    if not is_root():
        return
    pid = os.fork()
    if pid == 0:
        try:
            _drop_privileges()
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def read_header(stream: BinaryIO) -> Header:
    line = stream.readline(HEADER_MAX)
    if not line.endswith(b"\n"):
        raise HarnessError("missing or oversized header line on stdin")
    data = json.loads(line)
    if data.get("reciprocal") != PROTOCOL:
        raise HarnessError("unsupported protocol version")
    known = data.get("collected")
    return Header(
        nonce=str(data["nonce"]),
        timeout_seconds=float(data["timeout_seconds"]),
        output_bytes=int(data["output_bytes"]),
        report_bytes=int(data["report_bytes"]),
        collected=[str(i) for i in known] if isinstance(known, list) else None,
    )


# ---------------------------------------------------------------- extraction


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def _strict_extract(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path) -> None:
    """The checks of tarfile's ``data`` filter (bookworm's 3.11.2 predates it), and the files
    belong to the extracting process (root), never to the owners the tar names.

    Only regular files, directories and symlinks that stay inside ``dest`` are accepted; nothing
    is written through a symlink, and modes lose setuid/setgid and group/other write bits.
    """
    name = member.name
    parts = Path(name).parts
    if not name or name.startswith("/") or ".." in parts:
        raise HarnessError(f"refusing tar member {name!r}: path outside the work area")
    target = dest / name
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    if not _inside(dest.resolve(), parent.resolve()):
        raise HarnessError(f"refusing tar member {name!r}: parent is a link outside")
    if member.isdir():
        target.mkdir(exist_ok=True)
        if target.is_symlink() or not target.is_dir():
            raise HarnessError(f"refusing tar member {name!r}: not a directory")
        os.chmod(target, 0o755)  # noqa: S103 - folders the runner user owns, in its tmpfs
    elif member.issym():
        link = member.linkname
        if link.startswith("/") or not _inside(dest.resolve(), (parent / link).resolve()):
            raise HarnessError(f"refusing tar member {name!r}: link points outside")
        os.symlink(link, target)
    elif member.isreg():
        mode = 0o755 if member.mode & 0o100 else 0o644
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        source = tar.extractfile(member)
        assert source is not None
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out)
    else:
        raise HarnessError(f"refusing tar member {name!r}: unsupported type")


def extract(stream: BinaryIO, dest: Path) -> int:
    """Stream-extract the tar on stdin into ``dest``; returns the member count."""
    count = 0
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            count += 1
            if count > MAX_MEMBERS:
                raise HarnessError(f"more than {MAX_MEMBERS} files in the submission")
            top = member.name.split("/", 1)[0]
            if top not in ("submission", "hidden"):
                raise HarnessError(f"unexpected tar member {member.name!r}")
            # Never tar.extract: as root it would give files the owners the tar names.
            _strict_extract(tar, member, dest)
    SUBMISSION.mkdir(exist_ok=True)
    HIDDEN.mkdir(exist_ok=True)
    return count


# ---------------------------------------------------------------- running the child


def run_child(
    cmd: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    capture: Capture,
    deadline: float,
    stdout_file: int | None = None,
    channel: Channel | None = None,
) -> ChildResult:
    """Run ``cmd`` as the runner user in its own process group; stderr (and stdout unless
    redirected) go to ``capture``. ``channel`` is a pipe whose write end the child inherits and
    whose read end only the harness holds. At ``deadline`` every runner process is killed, and
    leftovers are killed when the child exits."""
    started = time.monotonic()
    read_fd, write_fd = os.pipe()
    pass_fds = (channel.write_fd,) if channel is not None else ()
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout_file if stdout_file is not None else write_fd,
            stderr=write_fd,
            close_fds=True,
            pass_fds=pass_fds,
            start_new_session=True,
            preexec_fn=_drop_privileges,
        )
    finally:
        os.close(write_fd)
        if channel is not None:
            channel.close_writer()
    timed_out = False
    watched = [read_fd] + ([channel.read_fd] if channel is not None else [])
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select(watched, [], [], min(remaining, 0.2))
            if channel is not None and channel.read_fd in ready:
                if not channel.pump():
                    watched.remove(channel.read_fd)
            if read_fd in ready:
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    break
                capture.feed(chunk)
            elif not ready and proc.poll() is not None:
                # The child is gone but something it started still holds the pipe open.
                break
        _kill_group(proc.pid)
        kill_runner_processes()
        proc.wait()
        _drain(read_fd, capture)
        if channel is not None:
            channel.drain()
    finally:
        os.close(read_fd)
    return ChildResult(
        exit_code=proc.returncode, timed_out=timed_out, duration=time.monotonic() - started
    )


class Channel:
    """A pipe for the test tool's results: the child writes JSON lines, the harness reads them
    with a byte cap. Not a file: nothing the candidate's uid can rewrite after the fact."""

    def __init__(self, limit: int) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_inheritable(self.write_fd, True)
        self.limit = limit
        self.data = bytearray()
        self.overflow = False

    def close_writer(self) -> None:
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def pump(self) -> bool:
        """Read what is there; False at end of stream."""
        chunk = os.read(self.read_fd, 65536)
        if not chunk:
            return False
        room = self.limit - len(self.data)
        if len(chunk) > room:
            self.overflow = True
        self.data += chunk[: max(0, room)]
        return True

    def drain(self) -> None:
        os.set_blocking(self.read_fd, False)
        try:
            while self.pump():
                pass
        except BlockingIOError:
            pass
        finally:
            os.close(self.read_fd)

    def records(self) -> list[dict[str, object]]:
        records = []
        for line in bytes(self.data).decode("utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
        return records


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _drain(fd: int, capture: Capture) -> None:
    os.set_blocking(fd, False)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return
        if not chunk:
            return
        capture.feed(chunk)


def report_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="reciprocal-report-", dir=TMP))


def read_report(path: Path, limit: int) -> tuple[str | None, str | None]:
    """Read a report file without following links; returns (text, problem)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, "the test tool wrote no report"
    except OSError as exc:
        return None, f"the report could not be opened: {exc.strerror}"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, "the report is not a regular file"
        data = handle.read(limit + 1)
    if len(data) > limit:
        return None, f"the report is larger than {limit} bytes"
    return data.decode("utf-8", errors="replace"), None


# ---------------------------------------------------------------- JUnit building


@dataclass
class Case:
    name: str
    classname: str
    outcome: str  # passed | failed | error | skipped
    seconds: float = 0.0
    message: str = ""


def to_junit(cases: list[Case], suite: str) -> str:
    root = ET.Element("testsuites")
    counts = {k: sum(1 for c in cases if c.outcome == k) for k in ("failed", "error", "skipped")}
    node = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(cases)),
        failures=str(counts["failed"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
    )
    for case in cases:
        element = ET.SubElement(
            node,
            "testcase",
            name=clean(case.name),
            classname=clean(case.classname),
            time=f"{case.seconds:.3f}",
        )
        tag = {"failed": "failure", "error": "error", "skipped": "skipped"}.get(case.outcome)
        if tag:
            message = clean(case.message)[:MAX_MESSAGE]
            child = ET.SubElement(element, tag, message=message.split("\n", 1)[0][:500])
            child.text = message
    return ET.tostring(root, encoding="unicode")


# ---------------------------------------------------------------- languages


def run_python(header: Header, capture: Capture, deadline: float) -> LanguageRun:
    """pytest on /work/hidden only, with the hidden tests' configuration, never the candidate's.

    -I: no PYTHON* variables, no user site, no cwd on sys.path, so the candidate's
    sitecustomize.py/usercustomize.py/*.pth are never loaded at start-up. The submission is put
    on sys.path by the ``pythonpath`` ini option (not a site dir: .pth files there are inert).
    Only /work/hidden is collected and conftest lookup stops there (--confcutdir), so the
    candidate's conftest.py and ini files are never read.

    Integrity: nonce-named sentinel tests are added to /work/hidden; the ids are first collected
    by pytest_boot.py in a process that never imports candidate code (or come in the header,
    from such a collection for an earlier run of the same tests and image); the run itself goes
    through pytest_boot.py's guard and reports each test over a pipe (see that file).
    """
    sentinel_file = write_python_sentinels(header.nonce)
    hidden_ini = HIDDEN / "pytest.ini"
    ini = hidden_ini if hidden_ini.is_file() and not hidden_ini.is_symlink() else OPT / "pytest.ini"
    common = [
        "-c",
        str(ini),
        "--rootdir",
        str(HIDDEN),
        "--confcutdir",
        str(HIDDEN),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:junitxml",
    ]
    env = dict(BASE_ENV, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    collected, collect_errors = header.collected, []
    if collected is None:
        collect = Channel(header.report_bytes)
        run_child(
            [*_boot("collect", collect), *common, str(HIDDEN), str(sentinel_file)],
            cwd=HIDDEN,
            env=env,
            capture=Capture(header.output_bytes),
            deadline=min(deadline, time.monotonic() + max(10.0, header.timeout_seconds / 3)),
            channel=collect,
        )
        collected, collect_errors = collected_ids(collect.records())
    channel = Channel(header.report_bytes)
    child = run_child(
        [*_boot("run", channel), *common, "-o", f"pythonpath={SUBMISSION}", str(HIDDEN),
         str(sentinel_file)],
        cwd=SUBMISSION,
        env=env,
        capture=capture,
        deadline=deadline,
        channel=channel,
    )
    cases, integrity = python_cases(channel.records())
    integrity.update(sentinels=True, collected=collected, collect_errors=collect_errors,
                     collected_from="cache" if header.collected is not None else "this run",
                     channel_overflow=channel.overflow)
    return LanguageRun(child=child, junit=to_junit(cases, "pytest"), integrity=integrity)


def _boot(mode: str, channel: Channel) -> list[str]:
    return ["python3", "-I", "-B", str(OPT / "pytest_boot.py"), mode, str(channel.write_fd)]


def write_python_sentinels(nonce: str) -> Path:
    """A root-owned test file, in a root-owned folder beside /work/hidden, with the run's
    must-fail and must-pass tests. It is named on the command line, so hidden tests with their
    own python_files still run it, and no hidden conftest applies to it."""
    fail, ok = sentinel_names(nonce, "python")
    lines = ['"""Reciprocal sentinel tests: their outcomes are known in advance."""', ""]
    for name in fail:
        lines += [f"def test_{name}():", f"    assert {len(name)} == 0, 'sentinel'", ""]
    for name in ok:
        lines += [f"def test_{name}():", f"    assert {len(name)} == {len(name)}", ""]
    SENTINEL_DIR.mkdir(mode=0o755, exist_ok=True)
    path = SENTINEL_DIR / f"test_{sentinel_names(nonce, 'python-file')[1][0]}.py"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines))
    return path


def collected_ids(records: list[dict[str, object]]) -> tuple[list[str] | None, list[str]]:
    """The ids the collection process reported (None when it reported none: unavailable)."""
    collected: list[str] | None = None
    errors = []
    for record in records:
        if record.get("kind") == "collected" and isinstance(record.get("ids"), list):
            collected = [str(i) for i in record["ids"]]
        elif record.get("kind") == "collect_error":
            errors.append(str(record.get("path", "")))
    return collected, errors


def _split_id(nodeid: str) -> tuple[str, str]:
    classname, sep, name = nodeid.rpartition("::")
    return (classname, name) if sep else (nodeid, nodeid)


def python_cases(records: list[dict[str, object]]) -> tuple[list[Case], dict[str, object]]:
    """Test cases and integrity evidence from pytest_boot.py's lines on the channel."""
    cases: list[Case] = []
    flags: list[dict[str, object]] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    finished = None
    run_errors: list[str] = []
    for record in records:
        kind = record.get("kind")
        if kind == "test":
            nodeid = str(record.get("id", ""))
            if nodeid in seen:
                duplicates.append(nodeid)
                continue
            seen.add(nodeid)
            classname, name = _split_id(nodeid)
            outcome = str(record.get("outcome"))
            cases.append(
                Case(
                    name=name,
                    classname=classname,
                    outcome=outcome if outcome in ("passed", "failed", "error", "skipped")
                    else "error",
                    seconds=float(record.get("seconds") or 0),
                    message=str(record.get("message") or ""),
                )
            )
        elif kind == "collect_error":
            path = str(record.get("path", ""))
            run_errors.append(path)
            cases.append(
                Case(name=path or "collection", classname=path, outcome="error",
                     message=str(record.get("message") or ""))
            )
        elif kind == "flag" and len(flags) < 50:
            flags.append({k: record.get(k) for k in ("flag", "detail", "file", "line")})
        elif kind == "finished":
            finished = record.get("exitstatus")
    return cases, {
        "flags": flags,
        "duplicates": duplicates[:20],
        "finished": finished,
        "run_collect_errors": run_errors,
    }


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


def static_scan(cmd: list[str], env: dict[str, str], deadline: float) -> StaticScan:
    """Run a scanner as the runner user (it only reads) with the channel for its JSON lines;
    its own output is kept apart from the candidate's."""
    channel = Channel(SCAN_BYTES)
    output = Capture(4000)
    child = run_child(cmd, cwd=WORK, env=dict(env, RECIPROCAL_CHANNEL_FD=str(channel.write_fd)),
                      capture=output, deadline=min(deadline, time.monotonic() + SCAN_SECONDS),
                      channel=channel)
    scan = StaticScan()
    for record in channel.records():
        kind, file = record.get("kind"), str(record.get("file") or "")
        if kind == "finding":
            line = record.get("line")
            scan.findings.append({"file": file, "detail": str(record.get("detail", ""))[:300],
                                  "line": line if isinstance(line, int) else None})
        elif kind == "tests" and isinstance(record.get("names"), list):
            scan.tests[file] = [str(n) for n in record["names"]]
        elif kind == "dynamic":
            scan.tests[file] = None
    if child.timed_out or child.exit_code != 0 or channel.overflow:
        scan.error = (f"the static scan did not finish (exit {child.exit_code}"
                      f"{', timed out' if child.timed_out else ''}): {output.text()[:500]}")
    return scan


NODE_TEST_FILE = re.compile(r".+\.test\.(?:js|mjs|cjs)$")


def run_node(header: Header, capture: Capture, deadline: float) -> LanguageRun:
    """``node --test`` on the hidden test files; a small reporter writes JSON lines that are
    converted to JUnit here (Node 18 has no JUnit reporter)."""
    files = sorted(
        str(p)
        for p in HIDDEN.rglob("*")
        if NODE_TEST_FILE.match(p.name) and p.is_file() and "node_modules" not in p.parts
    )
    if not files:
        raise HarnessError("no hidden test files (*.test.js, *.test.mjs, *.test.cjs)")
    node_env = dict(BASE_ENV, NODE_PATH="/usr/share/nodejs:/usr/lib/nodejs", NO_COLOR="1")
    scan = static_scan(["node", str(OPT / "node-scan.cjs"), str(SUBMISSION), str(HIDDEN)],
                       node_env, deadline)
    channel = Channel(header.report_bytes)
    fail, ok = sentinel_names(header.nonce, "node")
    cmd = [
        "node",
        "--require",
        str(OPT / "node-guard.cjs"),
        "--test",
        f"--test-reporter={OPT / 'node-reporter.mjs'}",
        "--test-reporter-destination=stderr",  # it writes to the channel's fd, yields nothing
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        *files,
    ]
    env = dict(node_env, RECIPROCAL_SENTINELS=f"{','.join(fail)};{','.join(ok)}",
               RECIPROCAL_CHANNEL_FD=str(channel.write_fd))
    child = run_child(cmd, cwd=SUBMISSION, env=env, capture=capture, deadline=deadline,
                      channel=channel)
    text = bytes(channel.data).decode("utf-8", errors="replace")
    if not text.strip():
        return LanguageRun(child=child, report_error="the test tool wrote no report")
    events = node_events(text)
    integrity: dict[str, object] = {"sentinels": True, "channel_overflow": channel.overflow,
                                    **scan.evidence(), **node_ids(events, scan)}
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


def _hidden_rel(file: str) -> str:
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
        if int(event.get("nesting") or 0) != 0:
            continue
        file = str(event.get("file") or "")
        rel = _hidden_rel(file)
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


def node_cases(events: list[dict[str, object]]) -> list[Case]:
    """Leaf tests from the reporter's events; a suite is reported only when it failed for a
    reason of its own (a hook, or a file that failed to load)."""
    cases: list[Case] = []
    deeper: dict[int, bool] = {}
    for event in events:
        level = int(event.get("nesting") or 0)
        is_parent = deeper.pop(level, False)
        if level > 0:
            deeper[level - 1] = True
        failed = event.get("type") == "test:fail"
        if is_parent and (not failed or event.get("failure_type") == "subtestsFailed"):
            continue
        classname = _hidden_rel(str(event.get("file") or ""))
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
                seconds=float(event.get("duration_ms") or 0) / 1000,
                message=str(event.get("error") or event.get("skip_reason") or ""),
            )
        )
    return cases


def _overlay_go_tests() -> None:
    """Remove the candidate's *_test.go files, then copy the hidden tests (and testdata) in."""
    for path in list(SUBMISSION.rglob("*_test.go")):
        if path.is_symlink() or path.is_file():
            path.unlink()
    root = SUBMISSION.resolve()
    for source in HIDDEN.rglob("*"):
        rel = source.relative_to(HIDDEN)
        if source.is_symlink() or not source.is_file():
            continue
        if not (source.name.endswith("_test.go") or "testdata" in rel.parts):
            continue
        target = SUBMISSION / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _inside(root, target.parent.resolve()):
            raise HarnessError(f"cannot place hidden test {rel}: its folder is a link outside")
        if target.is_symlink() or target.exists():
            target.unlink()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)


GO_PACKAGE = re.compile(r"^package\s+(\w+)", re.M)


def write_go_sentinels(nonce: str) -> None:
    """A root-written sentinel test file next to every hidden test folder's tests, in the same
    package as a hidden test file of that folder: its binary must exit with failure."""
    fail, ok = sentinel_names(nonce, "go")
    folders: dict[Path, str] = {}
    for source in sorted(HIDDEN.rglob("*_test.go")):
        if source.is_symlink() or not source.is_file():
            continue
        match = GO_PACKAGE.search(source.read_text(errors="replace"))
        if match:
            folders.setdefault(source.parent.relative_to(HIDDEN), match.group(1))
    file_name = f"zz_{sentinel_names(nonce, 'go-file')[1][0]}_test.go"
    for rel, package in folders.items():
        lines = [f"package {package}", "", 'import "testing"', ""]
        lines += [f'func TestR{n}(t *testing.T) {{ t.Fatal("sentinel") }}' for n in fail]
        lines += [f"func TestR{n}(t *testing.T) {{}}" for n in ok]
        target = SUBMISSION / rel / file_name
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w") as out:
            out.write("\n".join(lines) + "\n")


def go_collected(nonce: str, scan: StaticScan) -> list[str] | None:
    """Top-level test names of the hidden tests (goscan read them with go/ast; nothing was
    compiled) and the sentinels; None when the scan could not read them."""
    if scan.error or any(names is None for names in scan.tests.values()):
        return None
    names = {n for file_names in scan.tests.values() for n in file_names or []}
    if scan.tests:
        fail, ok = sentinel_names(nonce, "go")
        names.update(f"TestR{n}" for n in [*fail, *ok])
    return sorted(names)


def run_go(header: Header, capture: Capture, deadline: float) -> LanguageRun:
    """``go test -json ./...`` with the hidden tests overlaid; no module proxy, no network."""
    (GO_HOME / "tmp").mkdir(parents=True, exist_ok=True)
    hand_over(GO_HOME)
    # The candidate's *_test.go files are gone and the hidden ones (root's) are in by now; the
    # scan skips every *_test.go of the submission, so it reads only the candidate's code.
    scan = static_scan([str(OPT / "goscan"), str(SUBMISSION), str(HIDDEN)], BASE_ENV, deadline)
    reports = report_dir()
    events_path = reports / "events.jsonl"
    vendored = (SUBMISSION / "vendor" / "modules.txt").is_file()
    env = dict(
        BASE_ENV,
        GOFLAGS="-mod=vendor" if vendored else "-mod=mod",
        GOPROXY="off",
        GOSUMDB="off",
        GOTOOLCHAIN="local",
        GOTELEMETRY="off",
        # /tmp is mounted noexec; test binaries are built and run under /work.
        GOTMPDIR=str(GO_HOME / "tmp"),
        GOCACHE=str(GO_HOME / "cache"),
        GOPATH=str(GO_HOME / "path"),
        CGO_ENABLED="0",
        GO111MODULE="on",
    )
    fd = os.open(events_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        child = run_child(
            ["go", "test", "-json", "./..."],
            cwd=SUBMISSION,
            env=env,
            capture=capture,
            deadline=deadline,
            stdout_file=fd,
        )
    finally:
        os.close(fd)
    packages: dict[str, str] = {}
    cases, build_failed, test_output = go_cases(
        _limited_lines(events_path, header.report_bytes), packages
    )
    if not cases and child.exit_code not in (0, None) and not child.timed_out:
        build_failed = True
    if test_output:
        capture.feed(test_output.encode())
    integrity: dict[str, object] = {"sentinels": True, **scan.evidence(),
                                    "packages": dict(list(packages.items())[:200])}
    integrity["collected"] = go_collected(header.nonce, scan)
    return LanguageRun(child=child, junit=to_junit(cases, "go"), build_failed=build_failed,
                       integrity=integrity)


def _limited_lines(path: Path, limit: int) -> Iterator[str]:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        read = 0
        while read < limit:
            line = handle.readline(1_000_000)
            if not line:
                return
            read += len(line)
            yield line.decode("utf-8", errors="replace")


def go_cases(
    lines: Iterator[str], packages: dict[str, str] | None = None
) -> tuple[list[Case], bool, str]:
    """Fold ``go test -json`` events into leaf test cases; also says whether a package failed
    to build and returns the human output (what ``go test -v`` would have printed).
    ``packages`` receives each package's own final action: the go command derives it from the
    test binary's exit status, not from what the binary printed."""
    outputs: dict[tuple[str, str], list[str]] = {}
    results: dict[tuple[str, str], tuple[str, float]] = {}
    build_failed = False
    human: list[str] = []
    human_size = 0
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        package = str(event.get("Package", ""))
        test = event.get("Test")
        action = event.get("Action")
        if action == "output":
            out = str(event.get("Output", ""))
            if "[build failed]" in out or "[setup failed]" in out:
                build_failed = True
            if human_size < 2_000_000:
                human.append(out)
                human_size += len(out)
            if test:
                bucket = outputs.setdefault((package, test), [])
                if sum(len(o) for o in bucket) < MAX_MESSAGE:
                    bucket.append(out)
        elif test and action in ("pass", "fail", "skip"):
            results[(package, str(test))] = (str(action), float(event.get("Elapsed") or 0))
        elif not test and action in ("pass", "fail", "skip") and packages is not None:
            packages[package] = str(action)
    names = {key[1] for key in results}
    cases = []
    for (package, test), (action, elapsed) in results.items():
        if any(other.startswith(test + "/") for other in names):
            continue
        outcome = {"pass": "passed", "fail": "failed", "skip": "skipped"}[action]
        message = "".join(outputs.get((package, test), [])) if outcome != "passed" else ""
        cases.append(Case(test, package, outcome, elapsed, message))
    return cases, build_failed, "".join(human)


LANGUAGES: dict[str, Callable[[Header, Capture, float], LanguageRun]] = {
    "python": run_python,
    "node": run_node,
    "go": run_go,
}


# ---------------------------------------------------------------- main


def oom_kills() -> int:
    """OOM kills seen by this container's memory cgroup (v2 or v1), 0 if unknown."""
    for path, key in (
        ("/sys/fs/cgroup/memory.events", "oom_kill"),
        ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
    ):
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


def emit(document: dict[str, object]) -> None:
    out = sys.stdout.buffer
    out.write(b"\n" + json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()


def main(argv: list[str]) -> int:
    started = time.monotonic()
    make_undumpable()
    language = argv[1] if len(argv) > 1 else ""
    stdin = sys.stdin.buffer
    header = read_header(stdin)
    document: dict[str, object] = {"reciprocal": PROTOCOL, "nonce": header.nonce}
    capture = Capture(header.output_bytes)
    try:
        adapter = LANGUAGES.get(language)
        if adapter is None:
            raise HarnessError(f"unknown language {language!r}")
        if not is_root():
            raise HarnessError(
                "the runner must start as root with only CAP_SETUID, CAP_SETGID and CAP_CHOWN"
                " (see container_options) so the tests run as another uid than the harness"
            )
        extract(stdin, WORK)
        if language == "go":
            _overlay_go_tests()
            write_go_sentinels(header.nonce)
        hand_over(SUBMISSION)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        run = adapter(header, capture, started + header.timeout_seconds)
    except (HarnessError, tarfile.TarError, OSError, ValueError) as exc:
        document.update(harness_error=clean(str(exc))[:MAX_MESSAGE])
    else:
        document.update(
            exit_code=run.child.exit_code,
            timed_out=run.child.timed_out,
            test_seconds=round(run.child.duration, 3),
            junit=run.junit,
            report_error=run.report_error,
            build_failed=run.build_failed,
            integrity=run.integrity,
        )
    document.update(
        output=capture.text(),
        output_truncated=capture.truncated,
        output_bytes_total=capture.total,
        oom_kills=oom_kills(),
    )
    emit(document)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
