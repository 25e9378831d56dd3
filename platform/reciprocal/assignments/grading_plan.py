"""How an assignment is graded beyond its runner's defaults: the tables ``[environment]``,
``[tests]``, ``[[services]]``, ``[screenshots]`` and ``[wrong]`` of assignment.toml (pure: no
database, no Docker).

- ``[environment]``: the assignment has an image of its own, built from
  ``environment/Dockerfile`` (that folder is the build context) FROM its runner's image.
- ``[tests]``: ``build`` runs as the candidate before the tests; for the ``command`` runner,
  ``command`` runs the hidden tests (placed at ``hidden_path`` in the candidate's tree) and
  ``junit`` says where its JUnit XML reports appear.
- ``[[services]]``: ``kind = "postgresql"`` or ``"redis"``, started inside the container.
- ``[screenshots]``: the pages of the candidate's ``site`` photographed at ``widths``.
- ``[wrong]``: ``fails`` names the hidden tests a plausible wrong solution (``wrong/``) fails;
  validation proves it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import rubric_tags

SERVICE_KINDS = ("postgresql", "redis")
TABLES = ("environment", "tests", "services", "screenshots", "wrong")
MAX_PAGES = 6
MAX_WIDTHS = 4


@dataclass(frozen=True)
class GradingPlan:
    environment: bool = False
    build: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    hidden_path: str = ""
    junit: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    screenshots: dict[str, Any] = field(default_factory=dict)
    wrong_fails: tuple[str, ...] = ()

    def harness_config(self) -> dict[str, Any]:
        """What the harness reads (the payload header's ``tests``); empty for the defaults."""
        config: dict[str, Any] = {}
        for key in ("build", "command", "junit", "services"):
            if getattr(self, key):
                config[key] = list(getattr(self, key))
        if self.hidden_path:
            config["hidden_path"] = self.hidden_path
        if self.screenshots:
            config["screenshots"] = dict(self.screenshots)
        return config

    def as_json(self) -> dict[str, Any]:
        return {**self.harness_config(), "environment": self.environment,
                "wrong_fails": list(self.wrong_fails)}


def _strings(value: object, label: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{label} must be a list of non-empty strings")
        return ()
    return tuple(value)


def _relative(value: object, label: str, problems: list[str]) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        problems.append(f"{label} must be a path")
        return ""
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts:
        problems.append(f"{label} must be a path inside the candidate's tree, not {value!r}")
        return ""
    return path.as_posix().strip("/")


def _table(data: dict[str, Any], key: str, known: set[str], problems: list[str]) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        problems.append(f"[{key}] must be a table")
        return {}
    unknown = sorted(set(table) - known)
    if unknown:
        problems.append(f"unknown keys in [{key}]: {', '.join(unknown)}")
    return table


def parse(data: dict[str, Any], folder: Path, runner: str, problems: list[str]) -> GradingPlan:
    """The plan of ``folder``'s assignment.toml (already read into ``data``); every problem is
    appended to ``problems``."""
    if "environment" in data:
        _table(data, "environment", set(), problems)
        if not (folder / "environment" / "Dockerfile").is_file():
            problems.append("[environment] needs environment/Dockerfile (its folder is the build "
                            "context, FROM ${RUNNER_BASE}: the runner's image)")
    tests = _table(data, "tests", {"build", "command", "hidden_path", "junit"}, problems)
    command = _strings(tests.get("command"), "[tests] command", problems)
    junit = _strings(tests.get("junit"), "[tests] junit", problems)
    hidden_path = _relative(tests.get("hidden_path"), "[tests] hidden_path", problems)
    if runner == "command":
        if not command or not junit or not hidden_path:
            problems.append("the command runner needs [tests] command, junit (where its JUnit "
                            "XML reports appear) and hidden_path (a folder of the candidate's "
                            "tree for the hidden tests)")
        if "environment" not in data:
            problems.append("the command runner needs an [environment] that installs its tools")
    elif command or junit or hidden_path:
        problems.append("[tests] command, junit and hidden_path are for the command runner")
    services = _services(data.get("services", []), problems)
    shots = _screenshots(_table(data, "screenshots", {"site", "pages", "widths"}, problems),
                         problems)
    wrong = _table(data, "wrong", {"fails"}, problems)
    fails = rubric_tags.parse(wrong.get("fails"), "[wrong] fails", problems) if wrong else ()
    if "wrong" in data and not (folder / "wrong").is_dir():
        problems.append("[wrong] needs the wrong/ folder: a plausible wrong solution")
    if "wrong" in data and not fails:
        problems.append("[wrong] fails must name the hidden tests the wrong solution fails")
    return GradingPlan(environment="environment" in data,
                       build=_strings(tests.get("build"), "[tests] build", problems),
                       command=command, hidden_path=hidden_path, junit=junit,
                       services=services, screenshots=shots, wrong_fails=tuple(fails))


def plan_of(folder: Path, runner: str) -> GradingPlan:
    """The plan of an assignment version's snapshot (valid when it was synced)."""
    import tomllib  # here: only the claim of a run reads a snapshot's toml

    data = tomllib.loads((folder / "assignment.toml").read_text(encoding="utf-8"))
    return parse(data, folder, runner, [])


def _services(raw: object, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(raw, list):
        problems.append("[[services]] must be an array of tables")
        return ()
    kinds: list[str] = []
    for item in raw:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in SERVICE_KINDS or set(item) != {"kind"}:
            problems.append(f"a [[services]] entry is kind = one of {', '.join(SERVICE_KINDS)}")
        elif kind in kinds:
            problems.append(f"the service {kind} is declared twice")
        else:
            kinds.append(kind)
    return tuple(kinds)


def _screenshots(table: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    if not table:
        return {}
    site = _relative(table.get("site"), "[screenshots] site", problems)
    if not site:
        problems.append("[screenshots] needs site: the folder of the candidate's built pages")
    pages = table.get("pages", ["/"])
    if not isinstance(pages, list) or not pages or len(pages) > MAX_PAGES or not all(
            isinstance(p, str) and p.startswith("/") and ".." not in p for p in pages):
        problems.append(f"[screenshots] pages must list 1 to {MAX_PAGES} paths like \"/\"")
        pages = ["/"]
    widths = table.get("widths", [1280])
    if not isinstance(widths, list) or not widths or len(widths) > MAX_WIDTHS or not all(
            isinstance(w, int) and not isinstance(w, bool) and 240 <= w <= 3840
            for w in widths):
        problems.append(f"[screenshots] widths must list 1 to {MAX_WIDTHS} widths in pixels "
                        "(240 to 3840)")
        widths = [1280]
    return {"site": site, "pages": list(pages), "widths": list(widths)}
