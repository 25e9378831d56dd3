"""The package's shape, read from its source with `ast`: no import cycles, no module over 400
lines (the runner harness's included), no import inside a function unless a comment on that
line says why, the layers (core/ and models/ import no domain, config/ imports nothing of the
platform) and the boundaries the README states (only git/ runs git, only runner/ talks to
Docker, the worker side never imports the ORM)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.support.paths import ROOT

PACKAGE = ROOT / "platform" / "reciprocal"
HARNESS = ROOT / "runners" / "harness"
MAX_LINES = 400
DOMAINS = {"accounts", "assignments", "candidates", "grading", "review", "outcomes", "notify",
           "reports",
           "similarity", "integrations"}
SHARED = {"core", "models"}  # below every domain: what they all use


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, ast.stmt]]:
    """(imported module of this package, the import statement), for module-level and nested."""
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, node
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    yield sub, node
                elif target in known:
                    yield target, node


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Lines of imports under `if TYPE_CHECKING:`: never run, so no edge of the graph."""
    lines = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            lines.update(n.lineno for n in node.body if isinstance(n, ast.Import | ast.ImportFrom))
    return lines


def _top_level(tree: ast.Module) -> set[int]:
    lines = {node.lineno for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)}
    return lines | _type_checking_only(tree)


def graph() -> dict[str, set[str]]:
    """Every import that runs, at the top or inside a function. The one edge left out is into
    the package root, `create_app`: the composition root that assembles every package, which a
    job building its own app after the fork imports lazily."""
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        skipped = _type_checking_only(ast.parse(path.read_text()))
        for target, node in imports_of(name, path, known):
            if node.lineno not in skipped and target not in (name, "reciprocal"):
                edges[name].add(target)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_over_400_lines() -> None:
    paths = [*modules().values(), *sorted(HARNESS.rglob("*.py"))]
    assert any(path.is_relative_to(HARNESS) for path in paths)
    long = {str(path.relative_to(ROOT)): n for path in paths
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def layer_violations(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go up: from core/ or models/ into a domain or the web surfaces, and from
    config/ into anything of the platform but itself."""
    found = []
    for name, targets in sorted(edges.items()):
        layer = name.split(".")[1] if "." in name else ""
        for target in sorted(targets):
            above = target.split(".")[1] if "." in target else ""
            if layer in SHARED and above in DOMAINS | {"web"}:
                found.append(f"{name} -> {target}")
            if layer == "config" and above != "config":
                found.append(f"{name} -> {target}")
    return found


def test_the_shared_layer_imports_no_domain() -> None:
    assert {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()} >= \
        DOMAINS | SHARED | {"config"}
    violations = layer_violations(graph())
    assert not violations, "imports from a lower layer into a higher one: " + "; ".join(violations)


def test_the_layer_check_finds_upward_imports() -> None:
    edges = {"reciprocal.core.maintenance": {"reciprocal.grading.operations",
                                             "reciprocal.core.queues"},
             "reciprocal.models.user": {"reciprocal.extensions"},
             "reciprocal.config.settings": {"reciprocal.runner.runtime"}}
    assert layer_violations(edges) == [
        "reciprocal.config.settings -> reciprocal.runner.runtime",
        "reciprocal.core.maintenance -> reciprocal.grading.operations"]


def test_imports_inside_functions_say_why() -> None:
    silent = []
    for name, path in modules().items():
        source = path.read_text().splitlines()
        tree = ast.parse("\n".join(source))
        top = _top_level(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno not in top:
                if "#" not in source[node.lineno - 1]:
                    silent.append(f"{name}:{node.lineno}")
    assert not silent, f"imports inside functions without a comment saying why: {silent}"


def _imported(name: str) -> set[str]:
    known = modules()
    return {target for target, _node in imports_of(name, known[name], known)}


def _imports_library(path: Path, library: str) -> bool:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == library
                                                  for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and \
                (node.module or "").split(".")[0] == library:
            return True
    return False


def test_only_git_runs_git_and_only_runner_talks_to_docker() -> None:
    for name, path in modules().items():
        if _imports_library(path, "git"):
            assert name.startswith("reciprocal.git"), f"{name} imports GitPython"
        if _imports_library(path, "docker"):
            assert name.startswith("reciprocal.runner"), f"{name} imports the docker SDK"


def test_the_worker_side_of_grading_never_imports_the_orm() -> None:
    seen, todo = set(), ["reciprocal.grading.worker"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        assert not name.startswith("reciprocal.models"), f"the worker side reaches {name}"
        assert name != "reciprocal.extensions", "the worker side reaches the ORM"
        todo.extend(_imported(name))
