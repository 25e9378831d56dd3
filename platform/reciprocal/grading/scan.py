"""A static look at the submission for test-tool tampering, on the worker (never executed).

Python files are read with the ``ast`` module; JavaScript and Go with small line scanners
(comments and strings blanked first), which find the patterns below but are not full parsers.
Every finding is a warning with file and line: code can have an honest reason for ``os._exit``;
an altered verdict is decided by runner.integrity from what the run reported, not from here.
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


_C_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_STRINGS = re.compile(r"'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"")


def _blank(text: str) -> str:
    """Comments removed and string contents blanked, line numbers kept."""
    text = _C_COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _STRINGS.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[0],
                        text)


_JS_RULES = [
    (re.compile(r"\bassert(?:\.strict)?\s*\.\s*\w+\s*=[^=]"), "reassigns an assert method"),
    (re.compile(r"\b(?:Object\.defineProperty|Object\.assign)\s*\(\s*assert\b"),
     "redefines the assert module"),
    (re.compile(r"\bprocess\s*\.\s*exit\s*\("), "calls process.exit"),
    (re.compile(r"\bprocess\s*\.\s*(?:stdout|stderr)\s*\.\s*write\s*=[^=]"),
     "replaces process.stdout.write"),
    (re.compile(r"\bprocess\s*\.\s*(?:reallyExit|_rawDebug|binding)\b"),
     "uses a process internal"),
    (re.compile(r"\bModule\s*\.\s*_(?:load|resolveFilename|cache)\b"),
     "patches the module loader"),
]
_JS_TOOL_IMPORT = re.compile(r"""(?:require\s*\(|from\s+|import\s*\()\s*['"](?:node:)?(assert"""
                             r"""(?:/strict)?|test)['"]""")


_JS_ASSERT_ALIAS = re.compile(
    r"""(?:(?:const|let|var)\s+(\w+)\s*=\s*require\s*\(|import\s+(?:\*\s+as\s+)?(\w+)\s+from)"""
    r"""\s*['"](?:node:)?assert(?:/strict)?['"]"""
)


def scan_js(text: str, rel: str) -> Iterator[tuple[int, str]]:
    in_tests = ".test." in rel.rsplit("/", 1)[-1]
    aliases = {a for m in _JS_ASSERT_ALIAS.finditer(text) for a in m.groups() if a}
    alias_rules = [re.compile(rf"\b{re.escape(a)}\s*(?:\.\s*\w+|\[[^\]]*\])\s*=[^=>]")
                   for a in sorted(aliases - {"assert"})]
    for number, line in enumerate(_blank(text).splitlines(), 1):
        for pattern, detail in _JS_RULES:
            if pattern.search(line):
                yield number, detail
        if any(rule.search(line) for rule in alias_rules):
            yield number, "reassigns a method of node:assert"
    if not in_tests:
        for number, line in enumerate(text.splitlines(), 1):
            match = _JS_TOOL_IMPORT.search(line)
            if match:
                yield number, f"loads node:{match.group(1)} outside the tests"


_GO_RULES = [
    (re.compile(r"\bfunc\s+TestMain\s*\("), "defines TestMain, which controls the test binary"),
    (re.compile(r"\bos\s*\.\s*(?:Stdout|Stderr)\s*=[^=]"), "replaces os.Stdout"),
    (re.compile(r"\bos\s*\.\s*Stdout\s*\.\s*(?:Write|WriteString)\s*\("),
     "writes to os.Stdout directly"),
    (re.compile(r"\bos\s*\.\s*Exit\s*\("), "calls os.Exit"),
    (re.compile(r"\bsyscall\s*\.\s*(?:Dup2|Dup3|Exit)\s*\("), "redirects or exits through syscall"),
    (re.compile(r'"unsafe"'), "imports unsafe"),
]


def scan_go(text: str, rel: str) -> Iterator[tuple[int, str]]:
    blanked = _C_COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for number, line in enumerate(blanked.splitlines(), 1):
        for pattern, detail in _GO_RULES:
            if pattern.search(line):
                yield number, detail


SCANNERS = {
    ".py": scan_python,
    ".js": scan_js,
    ".mjs": scan_js,
    ".cjs": scan_js,
    ".go": scan_go,
}
