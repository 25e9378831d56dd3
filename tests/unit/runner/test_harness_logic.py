"""Pure logic of the in-container harness (runners/harness/harness.py), loaded from source."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from reciprocal.runner.images import runners_dir
from reciprocal.runner.junit import parse_junit


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    path = runners_dir() / "harness" / "harness.py"
    spec = importlib.util.spec_from_file_location("reciprocal_harness", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_capture_truncates_with_marker(harness: ModuleType) -> None:
    capture = harness.Capture(limit=10)
    capture.feed(b"0123456789abc")
    capture.feed(b"\x00more")
    assert capture.truncated and capture.total == 18
    text = capture.text()
    assert text.startswith("0123456789\n[... output truncated by Reciprocal after 10 bytes;")
    assert "8 more bytes were discarded" in text


def test_node_events_become_leaf_cases(harness: ModuleType) -> None:
    events = [
        {"type": "test:pass", "name": "inner", "nesting": 1, "file": "/work/hidden/a.test.js"},
        {
            "type": "test:fail",
            "name": "broken",
            "nesting": 1,
            "file": "/work/hidden/a.test.js",
            "error": "AssertionError: no",
            "failure_type": "testCodeFailure",
        },
        {
            "type": "test:fail",
            "name": "suite",
            "nesting": 0,
            "file": "/work/hidden/a.test.js",
            "failure_type": "subtestsFailed",
        },
        {"type": "test:pass", "name": "top", "nesting": 0, "skip": True},
    ]
    cases = harness.node_cases(harness.node_events("\n".join(json.dumps(e) for e in events)))
    assert [(c.name, c.outcome, c.classname) for c in cases] == [
        ("inner", "passed", "a.test.js"),
        ("broken", "failed", "a.test.js"),
        ("top", "skipped", "node"),
    ]
    parsed = parse_junit(harness.to_junit(cases, "node"))
    assert [c.outcome for c in parsed] == ["passed", "failed", "skipped"]
    assert parsed[1].message == "AssertionError: no"


def test_go_events(harness: ModuleType) -> None:
    events = [
        {"Action": "run", "Package": "p", "Test": "TestA"},
        {
            "Action": "output",
            "Package": "p",
            "Test": "TestA/x",
            "Output": "    a_test.go:3: boom\n",
        },
        {"Action": "fail", "Package": "p", "Test": "TestA/x", "Elapsed": 0.1},
        {"Action": "fail", "Package": "p", "Test": "TestA", "Elapsed": 0.1},
        {"Action": "pass", "Package": "p", "Test": "TestB", "Elapsed": 0},
        {"Action": "output", "Package": "q", "Output": "FAIL\tq [build failed]\n"},
    ]
    cases, build_failed, output = harness.go_cases(iter(json.dumps(e) for e in events))
    assert [(c.name, c.outcome) for c in cases] == [("TestA/x", "failed"), ("TestB", "passed")]
    assert "boom" in cases[0].message
    assert build_failed
    assert "[build failed]" in output


def test_strict_extract_refuses_escapes(harness: ModuleType, tmp_path: Path) -> None:
    import io
    import tarfile

    def tar_with(*members: tarfile.TarInfo) -> io.BytesIO:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for member in members:
                tar.addfile(member, io.BytesIO(b"x" * member.size) if member.isreg() else None)
        buffer.seek(0)
        return buffer

    def link(name: str, target: str) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.type, info.linkname = tarfile.SYMTYPE, target
        return info

    dest = tmp_path / "work"
    dest.mkdir()
    for bad in (link("submission/x", "/etc"), link("submission/y", "../../etc")):
        with tarfile.open(fileobj=tar_with(bad), mode="r|") as tar:
            with pytest.raises(harness.HarnessError):
                for member in tar:
                    harness._strict_extract(tar, member, dest)
    ok = tarfile.TarInfo("submission/a.txt")
    ok.size, ok.mode = 1, 0o4755
    with tarfile.open(fileobj=tar_with(ok), mode="r|") as tar:
        for member in tar:
            harness._strict_extract(tar, member, dest)
    assert (dest / "submission" / "a.txt").stat().st_mode & 0o7777 == 0o755
