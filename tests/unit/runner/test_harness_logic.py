"""Pure logic of the in-container harness (runners/harness), imported from source."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from reciprocal.runner.junit import parse_junit

from tests.support.harness import harness_modules


@pytest.fixture(scope="module")
def harness() -> SimpleNamespace:
    return harness_modules()


def test_capture_truncates_with_marker(harness: SimpleNamespace) -> None:
    capture = harness.child.Capture(limit=10)
    capture.feed(b"0123456789abc")
    capture.feed(b"\x00more")
    assert capture.truncated and capture.total == 18
    text = capture.text()
    assert text.startswith("0123456789\n[... output truncated by Reciprocal after 10 bytes;")
    assert "8 more bytes were discarded" in text


def test_node_events_become_leaf_cases(harness: SimpleNamespace) -> None:
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
    text = "\n".join(json.dumps(e) for e in events)
    cases = harness.node.node_cases(harness.node.node_events(text))
    assert [(c.name, c.outcome, c.classname) for c in cases] == [
        ("inner", "passed", "a.test.js"),
        ("broken", "failed", "a.test.js"),
        ("top", "skipped", "node"),
    ]
    parsed = parse_junit(harness.junit.to_junit(cases, "node"))
    assert [c.outcome for c in parsed] == ["passed", "failed", "skipped"]
    assert parsed[1].message == "AssertionError: no"


def test_go_events(harness: SimpleNamespace) -> None:
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
    cases, build_failed, output = harness.go.go_cases(iter(json.dumps(e) for e in events))
    assert [(c.name, c.outcome) for c in cases] == [("TestA/x", "failed"), ("TestB", "passed")]
    assert "boom" in cases[0].message
    assert build_failed
    assert "[build failed]" in output


def test_strict_extract_refuses_escapes(harness: SimpleNamespace, tmp_path: Path) -> None:
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
            with pytest.raises(harness.protocol.HarnessError):
                for member in tar:
                    harness.extract._strict_extract(tar, member, dest)
    ok = tarfile.TarInfo("submission/a.txt")
    ok.size, ok.mode = 1, 0o4755
    with tarfile.open(fileobj=tar_with(ok), mode="r|") as tar:
        for member in tar:
            harness.extract._strict_extract(tar, member, dest)
    assert (dest / "submission" / "a.txt").stat().st_mode & 0o7777 == 0o755


def test_node_cases_name_their_top_level_test(harness: SimpleNamespace) -> None:
    """A case's top is the nesting-0 test that follows it in its file (node:test reports a
    suite after its subtests); that is all a candidate may be shown of it."""
    events = [
        {"type": "test:pass", "name": "leaf", "nesting": 1, "file": "/work/hidden/a.test.js"},
        {"type": "test:pass", "name": "other file", "nesting": 0,
         "file": "/work/hidden/b.test.js"},
        {"type": "test:fail", "name": "deep", "nesting": 2, "file": "/work/hidden/a.test.js"},
        {"type": "test:fail", "name": "mid", "nesting": 1, "file": "/work/hidden/a.test.js",
         "failure_type": "subtestsFailed"},
        {"type": "test:fail", "name": "suite", "nesting": 0, "file": "/work/hidden/a.test.js",
         "failure_type": "subtestsFailed"},
    ]
    cases = harness.node.node_cases(events)
    assert [(c.name, c.top) for c in cases] == [
        ("leaf", "a.test.js::suite"), ("other file", "b.test.js::other file"),
        ("deep", "a.test.js::suite")]
    parsed = parse_junit(harness.junit.to_junit(cases, "node"))
    assert [t.top for t in parsed] == [c.top for c in cases]


def test_go_cases_name_their_top_level_test(harness: SimpleNamespace) -> None:
    events = [{"Action": "fail", "Package": "example.com/m", "Test": "TestA/case one"},
              {"Action": "fail", "Package": "example.com/m", "Test": "TestA"}]
    cases, _, _ = harness.go.go_cases(iter(json.dumps(e) for e in events))
    assert [(c.name, c.top) for c in cases] == [("TestA/case one", "example.com/m::TestA")]


def test_a_collection_error_must_name_a_hidden_file(harness: SimpleNamespace, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """What a collection error names becomes a test case; a record naming anything but a real
    file of the hidden tests (the text of one, say) is not the test tool's and is set aside."""
    hidden = tmp_path / "hidden"
    (hidden / "sub").mkdir(parents=True)
    (hidden / "sub" / "test_x.py").write_text("")
    (hidden / "linked.py").symlink_to(hidden / "sub" / "test_x.py")
    monkeypatch.setattr(harness.python, "HIDDEN", hidden)
    monkeypatch.setattr(harness.python, "SENTINEL_DIR", tmp_path / "sentinels")
    records = [
        {"kind": "collected", "ids": ["sub/test_x.py::test_a"]},
        {"kind": "collect_error", "path": "sub/test_x.py", "message": "ImportError"},
        {"kind": "collect_error", "path": "CUSTOMERS = [Customer('1', ...)]", "message": ""},
        {"kind": "collect_error", "path": "linked.py", "message": ""},
        {"kind": "collect_error", "path": "../hidden/sub/test_x.py", "message": ""},
        {"kind": "test", "id": "sub/test_x.py::test_a", "outcome": "failed"},
        {"kind": "finished", "exitstatus": 1},
    ]
    cases, evidence = harness.python.python_cases(records)
    assert [(c.classname, c.outcome) for c in cases] == [("sub/test_x.py", "error"),
                                                         ("sub/test_x.py", "failed")]
    assert cases[0].top == "" and cases[1].top == "sub/test_x.py::test_a"
    assert evidence["run_collect_errors"] == ["sub/test_x.py"]
    assert evidence["forged_collect_errors"] == [
        "CUSTOMERS = [Customer('1', ...)]", "linked.py", "../hidden/sub/test_x.py"]
    assert evidence["collected"] == ["sub/test_x.py::test_a"]


def test_values_cross_the_boundary_as_data(harness: SimpleNamespace) -> None:
    import datetime as dt
    from decimal import Decimal

    codec = harness.codec
    value = {"a": [1, 2.5, float("inf"), None, True], 3: (b"\x00", {1, 2}, frozenset("x")),
             "when": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), "day": dt.date(2026, 1, 2),
             "money": Decimal("1.005"), "gap": dt.timedelta(days=1, seconds=3),
             "path": Path("/work/x")}
    refs: list[object] = []
    encoded = codec.encode(value, lambda v: refs.append(v) or {"$": "ref", "ref": 1})
    assert refs == []
    text = json.dumps(encoded, allow_nan=False)
    assert codec.decode(json.loads(text), lambda d: pytest.fail(f"no refs: {d}")) == value


def test_objects_that_are_not_data_stay_behind_as_references(harness: SimpleNamespace) -> None:
    """An object that claims to equal everything is never decoded into one: it crosses as a
    reference, which the judge compares by identity."""

    class Liar:
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    liar = Liar()
    seen: list[object] = []
    encoded = harness.codec.encode([liar, "x"], lambda v: seen.append(v) or {"$": "ref",
                                                                              "ref": 7})
    assert seen == [liar]
    assert encoded == [{"$": "ref", "ref": 7}, "x"]
    with pytest.raises(harness.codec.CodecError):
        harness.codec.decode({"$": "float", "v": 1}, lambda d: None)


def test_the_spawner_refuses_what_is_not_a_command_of_the_submission(
        harness: SimpleNamespace) -> None:
    with pytest.raises(ValueError, match="argv"):
        harness.spawner._checked({"argv": []})
    with pytest.raises(ValueError, match="argv"):
        harness.spawner._checked({"argv": ["ls", "\0"]})
    with pytest.raises(ValueError, match="cwd"):
        harness.spawner._checked({"argv": ["ls"], "cwd": "../.."})
    with pytest.raises(ValueError, match="env"):
        harness.spawner._checked({"argv": ["ls"], "cwd": None, "env": {"A=B": "c"}})

