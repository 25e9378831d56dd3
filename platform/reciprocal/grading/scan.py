"""A static look at the submission's Python for test-tool tampering, on the worker, with the
``ast`` module (never executed).

JavaScript and Go are read by their own languages' parsers inside the runner container, before
any candidate code runs: runners/harness/node-scan.cjs (acorn) and runners/go/goscan (go/ast);
their findings come back in the run's integrity evidence (runner.integrity).

Every finding is a warning with file and line: code can have an honest reason for
``os._exit``; an altered verdict is decided by runner.integrity from what the run reported.
The platform keeps only findings in files the candidate added or changed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1_000_000
MAX_FINDINGS = 40
SKIPPED_PARTS = {"node_modules", "vendor", ".git", "__pycache__"}
PYTEST_HOOK = re.compile(r"^pytest_[a-z_]+$")
TOOL_MODULES = ("_pytest", "pluggy")


def scan_tree(root: Path) -> list[dict[str, Any]]:
    """Findings for every source file under ``root`` (a submission), at most MAX_FINDINGS."""
    findings: list[dict[str, Any]] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_symlink() or not path.is_file() or SKIPPED_PARTS & set(rel.parts):
            continue
        scanner = SCANNERS.get(path.suffix)
        if scanner is None or path.stat().st_size > MAX_FILE_BYTES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for line, detail in scanner(text, rel.as_posix()):
            findings.append({"kind": "scan", "detail": detail, "file": rel.as_posix(),
                             "line": line, "alters": False})
            if len(findings) >= MAX_FINDINGS:
                return findings
    return findings


def _is_test_file(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def scan_python(text: str, rel: str) -> Iterator[tuple[int, str]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    in_tests = _is_test_file(rel)
    writes_files = any(_writes_file(node) for node in ast.walk(tree))
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                node.module or ""]
            for name in names:
                if name.split(".", 1)[0] in TOOL_MODULES:
                    yield line, f"imports the test tool's internals ({name})"
                elif name.split(".", 1)[0] in ("ctypes",):
                    yield line, "imports ctypes (raw memory access)"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if PYTEST_HOOK.match(node.name) and not in_tests:
                yield line, f"defines the pytest hook {node.name} outside the tests"
        elif isinstance(node, ast.Call):
            called = _dotted(node.func)
            if called in ("os._exit", "_exit"):
                yield line, "calls os._exit, which ends the test process without its report"
            elif called.endswith("atexit.register") and writes_files:
                yield line, "registers an atexit handler in a module that writes files"
            elif called in ("sys.settrace", "sys.setprofile", "gc.get_objects",
                            "gc.get_referrers", "sys.addaudithook"):
                yield line, f"calls {called}"
            elif called == "setattr" and node.args and _names_tool(node.args[0]):
                yield line, "sets an attribute on the test tool with setattr"
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and (
                    target.attr.startswith("assert") or _names_tool(target.value)
                ):
                    yield line, f"reassigns {_dotted(target) or target.attr}"


def _names_tool(node: ast.AST) -> bool:
    dotted = _dotted(node)
    return dotted.split(".", 1)[0] in (*TOOL_MODULES, "pytest", "_reports", "unittest") or (
        "TestCase" in dotted or "TestReport" in dotted
    )


def _writes_file(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    called = _dotted(node.func)
    if called.endswith(("write_text", "write_bytes")):
        return True
    if called in ("open", "io.open") and len(node.args) > 1:
        mode = node.args[1]
        return isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+")
    return any(k.arg == "mode" for k in node.keywords) and called in ("open", "io.open")


SCANNERS = {".py": scan_python}
