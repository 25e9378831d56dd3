"""pytest under Reciprocal's guard: started by harness.py as the candidate's uid.

``python3 -I -B pytest_boot.py run|collect <fd> <pytest args...>``

* ``run``: before pytest (and so before any candidate code) is imported, a PEP 578 audit hook
  is installed that reports, with the candidate's file and line, attempts to patch pytest, to
  open the report channel or the hidden tests for writing, and uses of ctypes, gc.get_objects,
  sys.settrace/setprofile and sys._getframe from candidate code. pytest's modules are
  fingerprinted once imported and compared again at the end of the session. Each test's
  outcome is written as one JSON line to ``fd``, a pipe the harness (another uid) holds: the
  report is never a file the candidate's uid could rewrite.
* ``collect``: ``--collect-only`` on the hidden tests with the submission NOT on sys.path;
  anything the hidden tests import that cannot be found is replaced by an inert stub, so the
  collected ids come from the hidden tests alone, in a process that never imported candidate
  code.

The candidate's code shares the ``run`` process and can lie; the harness and the worker compare
what this reports with the collected ids and the nonce-derived sentinel tests, so a lie shows.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import sys
import types

SUBMISSION = "/work/submission/"
STDLIB = (os.path.dirname(os.__file__) + "/", "<frozen")
HIDDEN = "/work/hidden/"
WATCHED_MODULES = ("_pytest", "pytest", "pluggy", "unittest")
TOOL_EVENTS = {
    "ctypes.dlopen": "loads native code with ctypes",
    "ctypes.dlsym": "looks up native symbols with ctypes",
    "ctypes.cdata": "reads raw memory with ctypes",
    "ctypes.addressof": "takes raw addresses with ctypes",
    "gc.get_objects": "walks every live object with gc.get_objects",
    "gc.get_referrers": "walks object references with gc.get_referrers",
    "gc.get_referents": "walks object references with gc.get_referents",
    "sys.settrace": "installs a tracer with sys.settrace",
    "sys.setprofile": "installs a profiler with sys.setprofile",
    "sys.addaudithook": "installs an audit hook of its own",
}
MAX_FLAGS = 50
_state = {"fd": -1, "busy": False, "flags": 0, "seen": set()}


def send(record: dict[str, object]) -> None:
    """One JSON line on the channel; a closed channel is visible to the harness as missing
    lines, so errors are ignored here."""
    fd = _state["fd"]
    if fd < 0:
        return
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "replace")
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass


def _candidate_frame() -> tuple[str, int] | None:
    """File and line of the candidate's code when it made the audited call, directly or through
    the standard library; None when the call came from the test tool or the hidden tests."""
    frame = sys._getframe(3)  # the caller of audit()
    while frame is not None and frame.f_code.co_filename.startswith(STDLIB):
        frame = frame.f_back
    if frame is None or not frame.f_code.co_filename.startswith(SUBMISSION):
        return None
    return frame.f_code.co_filename[len(SUBMISSION):], frame.f_lineno


def flag(kind: str, detail: str, where: tuple[str, int] | None) -> None:
    if _state["flags"] >= MAX_FLAGS:
        return
    key = (kind, detail, where)
    if key in _state["seen"]:
        return
    _state["seen"].add(key)
    _state["flags"] += 1
    record: dict[str, object] = {"kind": "flag", "flag": kind, "detail": detail}
    if where is not None:
        record.update(file=where[0], line=where[1])
    send(record)


def _watched(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
    return isinstance(module, str) and module.split(".", 1)[0] in WATCHED_MODULES


def _writes(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_APPEND))


def _opens_channel(path: str) -> bool:
    fd = _state["fd"]
    return path in (f"/proc/self/fd/{fd}", f"/dev/fd/{fd}") or path.startswith("/proc/1/")


def audit(event: str, args: tuple[object, ...]) -> None:
    if _state["busy"]:
        return
    _state["busy"] = True
    try:
        _audit(event, args)
    finally:
        _state["busy"] = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in ("object.__setattr__", "object.__delattr__"):
        if _watched(args[0]):
            where = _candidate_frame()
            if where is not None:
                target = f"{getattr(args[0], '__qualname__', type(args[0]).__name__)}.{args[1]}"
                flag("patches-test-tool", f"changes {target} of the test tool", where)
    elif event == "open" and args and isinstance(args[0], str | bytes):
        path = os.fsdecode(args[0])
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else None
        if _opens_channel(path) or (path.startswith(HIDDEN) and _writes(mode, flags)):
            where = _candidate_frame()
            if where is not None:
                flag("writes-report", f"opens {path} for writing", where)
        elif _writes(mode, flags) and "reciprocal-report" in path:
            flag("writes-report", f"writes {path}", _candidate_frame())
    elif event in TOOL_EVENTS:
        where = _candidate_frame()
        if where is not None:
            flag(event, TOOL_EVENTS[event], where)


def _fingerprint() -> dict[str, object]:
    """Every module-level and class-level attribute of the test tool's modules (the objects)."""
    prints: dict[str, object] = {}
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".", 1)[0] not in WATCHED_MODULES:
            continue
        for attr, value in list(vars(module).items()):
            prints[f"{name}.{attr}"] = value
            if isinstance(value, type) and value.__module__ == name:
                for inner, member in list(vars(value).items()):
                    prints[f"{name}.{attr}.{inner}"] = member
    return prints


def _candidate_code(value: object) -> tuple[str, int] | None:
    """Where ``value`` (a function, method or descriptor) was defined, if in the submission."""
    for candidate in (value, getattr(value, "__func__", None)):
        code = getattr(candidate, "__code__", None)
        if code is not None and code.co_filename.startswith(SUBMISSION):
            return code.co_filename[len(SUBMISSION):], code.co_firstlineno
    return None


def replaced_by_candidate(before: dict[str, object], after: dict[str, object]
                          ) -> list[tuple[str, tuple[str, int]]]:
    """Test-tool attributes that now hold code defined in the submission."""
    found = []
    for key, value in after.items():
        if key in before and before[key] is not value:
            where = _candidate_code(value)
            if where is not None:
                found.append((key, where))
    return sorted(found)


def _outcome(reports: list[object]) -> tuple[str, str, float]:
    outcome, message, seconds = "passed", "", 0.0
    for report in reports:
        seconds += float(getattr(report, "duration", 0.0) or 0.0)
        when = report.when
        if report.failed:
            if outcome in ("passed", "skipped"):
                outcome = "failed" if when == "call" else "error"
                message = str(report.longreprtext)
        elif report.skipped and outcome == "passed":
            outcome = "skipped"
            longrepr = report.longrepr
            message = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return outcome, message, seconds


class RunReporter:
    """pytest plugin: one line per finished test, collection errors, and the final check."""

    def __init__(self, baseline: dict[str, object]) -> None:
        self.baseline = baseline
        self.phases: dict[str, list[object]] = {}

    def pytest_collectreport(self, report: object) -> None:
        if report.failed:
            send({"kind": "collect_error", "path": report.nodeid,
                  "message": str(report.longreprtext)[:4000]})

    def pytest_runtest_logreport(self, report: object) -> None:
        self.phases.setdefault(report.nodeid, []).append(report)
        if report.when == "teardown":
            outcome, message, seconds = _outcome(self.phases.pop(report.nodeid))
            send({"kind": "test", "id": report.nodeid, "outcome": outcome,
                  "message": message[:4000], "seconds": round(seconds, 3)})

    def pytest_sessionfinish(self, session: object, exitstatus: object) -> None:
        for name, where in replaced_by_candidate(self.baseline, _fingerprint())[:10]:
            flag("patches-test-tool", f"{name} was replaced by the submission's code", where)
        send({"kind": "finished", "exitstatus": int(exitstatus)})


class CollectReporter:
    def pytest_collection_finish(self, session: object) -> None:
        send({"kind": "collected", "ids": [item.nodeid for item in session.items]})

    def pytest_collectreport(self, report: object) -> None:
        if report.failed:
            send({"kind": "collect_error", "path": report.nodeid,
                  "message": str(report.longreprtext)[:4000]})


class _Stub:
    """Stands in for anything a hidden test imports from the submission, at collection."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __call__(self, *args: object, **kwargs: object) -> _Stub:
        return _Stub()

    def __getattr__(self, name: str) -> _Stub:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub()

    def __getitem__(self, key: object) -> _Stub:
        return _Stub()

    def __iter__(self):
        return iter(())

    def __mro_entries__(self, bases: tuple[object, ...]) -> tuple[type, ...]:
        return (object,)


class _StubModule(types.ModuleType):
    def __getattr__(self, name: str) -> _Stub:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub()


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: a module the hidden tests import that exists nowhere (the
    candidate's, since the submission is not on sys.path here) becomes an inert stub."""

    def find_spec(self, name, path=None, target=None):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
            frame = frame.f_back
        if frame is None or not frame.f_code.co_filename.startswith(HIDDEN):
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        return None


def main(argv: list[str]) -> int:
    mode, fd, args = argv[1], int(argv[2]), argv[3:]
    _state["fd"] = fd
    os.set_inheritable(fd, False)
    if mode == "collect":
        sys.meta_path.append(StubFinder())
        import pytest

        return int(pytest.main(["--collect-only", "-q", *args], plugins=[CollectReporter()]))
    sys.addaudithook(audit)
    import pytest

    return int(pytest.main(args, plugins=[RunReporter(_fingerprint())]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
