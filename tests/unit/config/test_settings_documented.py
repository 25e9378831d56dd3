"""docs/production.md's configuration reference is the one generated from the settings table,
and no module reads a setting from the environment except through that table."""

from __future__ import annotations

import ast
import re

from reciprocal.config.settings import SETTINGS, reference_table, with_reference

from tests.support.paths import ROOT

PACKAGE = ROOT / "platform" / "reciprocal"
# Variables one process of the platform sets for another it starts: hand-overs, not settings.
HANDOVERS = {"RECIPROCAL_POOL_SOCKET", "RECIPROCAL_SUPERVISOR_STATE", "PATH"}


def test_configuration_reference_is_generated_from_the_settings_table() -> None:
    text = (ROOT / "docs" / "production.md").read_text()
    assert reference_table() in text
    assert with_reference(text) == text, (
        "docs/production.md's settings reference is not the table's: "
        "run .venv/bin/python scripts/settings_reference.py")


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)}


def _environment_reads(tree: ast.Module, constants: dict[str, str]) -> list[tuple[int, str]]:
    """(line, variable) of every os.environ.get(X), os.environ[X] and os.getenv(X), a name X
    read as the package's string constant of that name."""

    def name_of(node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        return constants.get(getattr(node, "id", ""), ast.unparse(node))

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            called = ast.unparse(node.func)
            if called in ("os.environ.get", "os.getenv"):
                found.append((node.lineno, name_of(node.args[0])))
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" \
                and isinstance(node.ctx, ast.Load):
            found.append((node.lineno, name_of(node.slice)))
    return found


def test_settings_are_read_only_through_the_table() -> None:
    # Migrations run once; the stacks' templates are code for candidates, not the platform's.
    trees = {path: ast.parse(path.read_text()) for path in sorted(PACKAGE.rglob("*.py"))
             if "migrations" not in path.relative_to(PACKAGE).parts
             and path.relative_to(PACKAGE).parts[:2] != ("assignments", "stacks")}
    constants = {k: v for tree in trees.values() for k, v in _string_constants(tree).items()}
    stray = []
    for path, tree in trees.items():
        if path.relative_to(PACKAGE).parts[0] == "config":
            continue
        for line, name in _environment_reads(tree, constants):
            if name not in HANDOVERS:
                stray.append(f"{path.relative_to(ROOT)}:{line} reads {name}")
    assert not stray, "read these through reciprocal.config.setting(): " + "; ".join(stray)


def test_every_setting_named_in_the_code_is_declared() -> None:
    declared = {s.name for s in SETTINGS}
    named = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        named |= set(re.findall(r'\bsetting\("([A-Z_]+)"', path.read_text()))
    assert named and named <= declared, f"not declared: {named - declared}"


def test_the_operational_endpoints_are_documented_as_they_answer() -> None:
    """What the refusal tells an operator to set is what docs/production.md describes."""
    text = (ROOT / "docs" / "production.md").read_text()
    source = (ROOT / "platform" / "reciprocal" / "observability.py").read_text()
    for name in ("RECIPROCAL_METRICS_TOKEN", "RECIPROCAL_METRICS_ALLOW_FROM"):
        assert name in source
        observability = text[text.index("- **Metrics.**"):text.index("- **Health.**")]
        assert f"`{name}`" in observability, name
    assert "answers only loopback" not in text and "loopback only" not in text
