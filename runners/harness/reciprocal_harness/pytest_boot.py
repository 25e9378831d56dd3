"""The judge: pytest on the hidden tests, started by the harness as ``JUDGE_UID``.

``python3 -I -B pytest_boot.py <channel fd> <spawner fd> <pytest args...>``, or warm:
``python3 -I -B pytest_boot.py --warm <control fd> [warmable...]`` imports pytest and its
plugins and starts what the image names warmable (reciprocal_harness.warm), then waits
for the run's arguments, environment, folder and the two descriptors on the control socket
(reciprocal_harness.warm).

This process never imports or runs candidate code: the submission is not on sys.path, a module
of the submission's that the hidden tests import is a proxy of the module imported in the
candidate's own process (reciprocal_judge.proxies), and its commands run through the spawner as
the candidate's uid. An audit hook refuses the ways a hidden test could run the submission here
by mistake (starting a process directly, putting the submission on sys.path), with a message
saying what to use instead. Each test's outcome is written as one JSON line to the channel, a
pipe only the harness reads.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import sys
import threading
from typing import Any

SUBMISSION = "/work/submission"
# Process starts that could run the submission's code in the judge: a shell line (cannot be
# read), or a command whose program, arguments or folder is the submission's. The test tool's
# own helpers (Playwright's driver, Chromium) start as usual.
SHELLS = {"os.system", "os.forkpty", "pty.spawn"}
COMMANDS = {"subprocess.Popen": (0, 1, 2), "os.exec": (0, 1, None),
            "os.posix_spawn": (0, 1, None), "os.spawn": (1, 2, None)}
_channel = -1


def send(record: dict[str, object]) -> None:
    """One JSON line on the channel; errors show as missing lines to the harness."""
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "replace")
    try:
        while data:
            data = data[os.write(_channel, data):]
    except OSError:
        pass


def _submissions(value: object) -> bool:
    """Whether a program, an argument or a folder is (inside) the submission."""
    if isinstance(value, bytes | str | os.PathLike):
        path = os.fsdecode(value)
        return path == SUBMISSION or path.startswith(SUBMISSION + "/") or (
            not path.startswith("/") and os.getcwd().startswith(SUBMISSION))
    if isinstance(value, list | tuple):
        return any(_submissions(item) for item in value)
    return False


def refuse_running_the_submission(event: str, args: tuple[object, ...]) -> None:
    positions = COMMANDS.get(event)
    if event in SHELLS or (positions is not None and any(
            index is not None and index < len(args) and _submissions(args[index])
            for index in positions)):
        raise RuntimeError(
            "the hidden tests run in a judge that never runs candidate code: run the "
            "submission's commands with reciprocal_judge.submission.run(...) or .start(...)")
    if event == "import" and any(str(p).rstrip("/") == SUBMISSION for p in sys.path):
        raise ImportError(
            "the submission is never on the judge's sys.path: import its modules by name "
            "(they are imported in the submission's own process)")


def take_screenshots() -> None:
    """The assignment's declared photographs of the candidate's site, after the tests; a page
    that cannot be photographed is said in the output, never a test's failure."""
    config = json.loads(os.environ.get("RECIPROCAL_SCREENSHOTS") or "{}")
    if not config:
        return
    from reciprocal_judge import browser

    try:
        browser.take_declared(config)
    except Exception as exc:  # noqa: BLE001 - reported in the output, the verdict stands
        print(f"reciprocal: the declared screenshots could not be taken: {exc}", file=sys.stderr)


def _outcome(reports: list[object]) -> tuple[str, str, float]:
    outcome, message, seconds = "passed", "", 0.0
    for report in reports:
        seconds += float(getattr(report, "duration", 0.0) or 0.0)
        when = report.when  # type: ignore[attr-defined]
        if report.failed:  # type: ignore[attr-defined]
            if outcome in ("passed", "skipped"):
                outcome = "failed" if when == "call" else "error"
                message = str(report.longreprtext)  # type: ignore[attr-defined]
        elif report.skipped and outcome == "passed":  # type: ignore[attr-defined]
            outcome = "skipped"
            longrepr = report.longrepr  # type: ignore[attr-defined]
            message = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return outcome, message, seconds


class ReadableTmpPath:
    """pytest plugin: ``tmp_path`` folders the submission's uid may read (never write), so a
    test can write an input there and hand the submission its path. pytest makes them 0700."""

    def __init__(self, pytest: Any) -> None:
        @pytest.fixture
        def tmp_path(request: Any, tmp_path_factory: Any) -> Any:
            from _pytest.tmpdir import _mk_tmp

            path = _mk_tmp(request, tmp_path_factory)
            home = os.environ.get("HOME", "/")
            for parent in [path, *path.parents]:
                if not str(parent).startswith(home) or str(parent) == home:
                    break
                os.chmod(parent, 0o755 if parent == path else 0o711)
            return path

        self.tmp_path = tmp_path


class JudgeReporter:
    """pytest plugin: the collected ids, one line per finished test, collection errors."""

    def __init__(self) -> None:
        self.phases: dict[str, list[object]] = {}
        self.collected = False

    def pytest_collection_finish(self, session: object) -> None:
        self.collected = True
        send({"kind": "collected", "ids": [item.nodeid for item in session.items]})  # type: ignore[attr-defined]

    def pytest_collectreport(self, report: object) -> None:
        if report.failed:  # type: ignore[attr-defined]
            send({"kind": "collect_error", "path": report.nodeid,  # type: ignore[attr-defined]
                  "message": str(report.longreprtext)[:4000]})  # type: ignore[attr-defined]

    def pytest_runtest_logreport(self, report: object) -> None:
        nodeid = report.nodeid  # type: ignore[attr-defined]
        self.phases.setdefault(nodeid, []).append(report)
        if report.when == "teardown":  # type: ignore[attr-defined]
            outcome, message, seconds = _outcome(self.phases.pop(nodeid))
            send({"kind": "test", "id": nodeid, "outcome": outcome,
                  "message": message[:4000], "seconds": round(seconds, 3)})

    def pytest_sessionfinish(self, session: object, exitstatus: object) -> None:
        take_screenshots()
        send({"kind": "finished", "exitstatus": int(exitstatus)})  # type: ignore[call-overload]


def start_host_early() -> None:
    """Start the submission's own process now, in the background: hidden tests nearly always
    import the submission while pytest collects them, and that process's interpreter start
    (about 0.4 s under gVisor) then overlaps pytest's own set-up instead of following it. It
    runs nothing of the submission's before the tests ask it to: it waits for requests. If it
    cannot start, the first import starts it again and says why."""
    from reciprocal_judge import connection

    def start() -> None:
        try:
            connection.connection()
        except Exception:  # noqa: BLE001, S110 - reported by the first import that needs it
            pass

    threading.Thread(target=start, name="reciprocal-host-start", daemon=True).start()


def warm(control_fd: int, warmable: list[str]) -> int:
    """Import what every run imports and start what the image names warmable, then run the one
    job the harness sends (or end if it sends none). Nothing of the job is here before the
    message: no file, argument or secret."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import pytest  # noqa: F401 - imported ahead of the job, which is the point
    from _pytest.config import default_plugins
    from reciprocal_judge import browser, finder, spawn  # noqa: F401 - as above

    for name in default_plugins:
        try:
            importlib.import_module(f"_pytest.{name}")
        except ImportError:
            continue
    start_warmable(warmable)
    try:
        with socket.socket(fileno=control_fd) as control:
            message, fds, _flags, _address = socket.recv_fds(control, 1 << 20, 2)
        if not message or len(fds) != 2:
            return 0
        request = json.loads(message)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        return main(["pytest_boot", str(fds[0]), str(fds[1]), *request["args"]])
    finally:
        browser.close_early()  # a browser started early that no test took


def start_warmable(names: list[str]) -> None:
    """The image's ``RECIPROCAL_JUDGE_WARM``: ``chromium`` starts the browser, any other name
    is a module to import. What fails here is left for the tests, which import or start it
    again and fail with the reason in their own output."""
    from reciprocal_judge import browser

    for name in names:
        try:
            if name == "chromium":
                browser.launch_early()
            else:
                importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - see the docstring
            continue


def main(argv: list[str]) -> int:
    global _channel
    _channel, spawner, args = int(argv[1]), int(argv[2]), argv[3:]
    os.set_inheritable(_channel, False)
    os.set_inheritable(spawner, False)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from reciprocal_judge import finder, spawn

    spawn.connect(spawner)
    spawn.echo_fd = os.dup(2)  # before pytest captures fd 2 test by test
    finder.install()
    start_host_early()
    sys.addaudithook(refuse_running_the_submission)
    import pytest

    reporter = JudgeReporter()
    code = int(pytest.main(args, plugins=[reporter, ReadableTmpPath(pytest)]))
    if not reporter.collected:
        # The session stopped before collecting (a hidden conftest.py that failed to import
        # the submission, say): pytest printed why; the harness names the set-up as the error.
        send({"kind": "session_failed", "exitstatus": code})
    return code


if __name__ == "__main__":
    sys.exit(warm(int(sys.argv[2]), sys.argv[3:]) if sys.argv[1:2] == ["--warm"]
             else main(sys.argv))
