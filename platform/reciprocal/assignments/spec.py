"""Reading and checking an assignment folder's `assignment.toml` (pure: no database, no Docker)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from . import ai_policy, grading_plan, rubric_tags

MAX_TIME_CAP_MINUTES = 360
LEVELS = ("great", "good", "mediocre")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
REQUIRED_PARTS = ("starter", "tests", "solution")
# What the candidate is asked to do, for the library's filter: build something new, add a
# feature to an existing codebase, or find and fix bugs in one.
KINDS = {
    "greenfield": "Green-field",
    "existing-codebase": "Existing codebase",
    "bug-fix": "Bug fix",
}
# Parts an assignment may have: its environment's build context, a plausible wrong solution.
OPTIONAL_PARTS = ("environment", "wrong")
# Build and tool caches never belong to an assignment's content (nor to its hash).
IGNORED_NAMES = {"__pycache__", ".pytest_cache", "node_modules", ".git", ".ruff_cache", ".DS_Store",
                 "target"}
KNOWN_KEYS = {
    "slug",
    "title",
    "summary",
    "language",
    "runner",
    "time_cap_minutes",
    "time_cap_reason",
    "skills",
    "kind",
    "stack",
    "rubric",
    "limits",
    "evaluation",
    "results_visible_to_candidate",
    "similarity",
    "ai_policy",
    *grading_plan.TABLES,
}
CRITERION_KEYS = {"name", "description", "levels", "tests"}
# Above this similarity score a submission is flagged for a person to look at.
DEFAULT_SIMILARITY_THRESHOLD = 0.6


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str
    levels: dict[str, str]
    # The hidden tests that bear on it (`tests = [...]`, matched by assignments/rubric_tags.py):
    # the scorecard shows their outcomes as evidence.
    tests: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentSpec:
    slug: str
    title: str
    summary: str
    language: str
    runner: str
    time_cap_minutes: int
    time_cap_reason: str | None
    skills: list[str]
    rubric: list[Criterion]
    limits: dict[str, Any]
    evaluation: str
    results_visible_to_candidate: bool
    path: Path
    problems: list[str] = field(default_factory=list)
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD
    plan: grading_plan.GradingPlan = field(default_factory=grading_plan.GradingPlan)
    kind: str = "greenfield"
    # The technologies the candidate works with, as a team would list them ("Java 17", "JUnit 5").
    stack: list[str] = field(default_factory=list)
    # `[ai_policy]`: whether AI assistants may be used (assignments/ai_policy.py USES) and the
    # team's words on what is fine; "" shows the use's default text.
    ai_use: str = ai_policy.DEFAULT_USE
    ai_policy_text: str = ""

    def rubric_as_json(self) -> list[dict[str, Any]]:
        return [
            {"name": c.name, "description": c.description, "levels": dict(c.levels),
             "tests": list(c.tests)}
            for c in self.rubric
        ]


class AssignmentInvalid(InvalidInput):
    """The folder is not a valid assignment; `problems` lists every reason."""

    def __init__(self, slug: str, problems: list[str]) -> None:
        super().__init__(f"assignment {slug!r} is not valid: " + "; ".join(problems))
        self.problems = problems


def load_spec(folder: Path, *, known_runners: set[str] | None = None) -> AssignmentSpec:
    """Parse and check `folder/assignment.toml`; raise AssignmentInvalid listing all problems."""
    folder = Path(folder)
    problems: list[str] = []
    toml_path = folder / "assignment.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssignmentInvalid(folder.name, ["assignment.toml is missing"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssignmentInvalid(folder.name, [f"assignment.toml does not parse: {exc}"]) from None

    def text(key: str, required: bool = True) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            problems.append(f"{key} must be a string")
            return ""
        if required and not value.strip():
            problems.append(f"{key} is required")
        return value.strip()

    slug = text("slug")
    if slug and not SLUG_RE.match(slug):
        problems.append(f"slug {slug!r} must be lowercase letters, digits and dashes")
    if slug and slug != folder.name:
        problems.append(f"slug {slug!r} does not match the folder name {folder.name!r}")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        problems.append(f"unknown keys: {', '.join(unknown)}")
    runner = text("runner")
    if known_runners is not None and runner and runner not in known_runners:
        problems.append(f"runner {runner!r} is not one of {', '.join(sorted(known_runners))}")

    cap = data.get("time_cap_minutes")
    reason = data.get("time_cap_reason")
    if not isinstance(cap, int) or isinstance(cap, bool) or cap <= 0:
        problems.append("time_cap_minutes must be a positive whole number of minutes")
        cap = 0
    elif cap > MAX_TIME_CAP_MINUTES and not (isinstance(reason, str) and reason.strip()):
        problems.append(
            f"time_cap_minutes is {cap}: more than 6 hours ({MAX_TIME_CAP_MINUTES}) is refused "
            "unless time_cap_reason explains why"
        )

    skills = data.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        problems.append("skills must be a list of strings")
        skills = []

    kind = data.get("kind", "greenfield")
    if kind not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
        kind = "greenfield"
    stack = data.get("stack", [])
    if not isinstance(stack, list) or not all(isinstance(s, str) and s.strip() for s in stack):
        problems.append("stack must be a list of technology names")
        stack = []

    rubric: list[Criterion] = []
    raw_rubric = data.get("rubric", [])
    if not isinstance(raw_rubric, list) or not raw_rubric:
        problems.append("rubric must list at least one [[rubric]] criterion")
        raw_rubric = []
    for index, item in enumerate(raw_rubric, 1):
        if not isinstance(item, dict):
            problems.append(f"rubric criterion {index} must be a table")
            continue
        name = str(item.get("name", "")).strip()
        label = name or f"criterion {index}"
        if not name:
            problems.append(f"rubric criterion {index} has no name")
        levels = item.get("levels", {})
        if not isinstance(levels, dict):
            levels = {}
        missing = [lvl for lvl in LEVELS if not str(levels.get(lvl, "")).strip()]
        if missing:
            problems.append(f"rubric criterion {label!r} lacks an anchor for: {', '.join(missing)}")
        extra = sorted(set(item) - CRITERION_KEYS)
        if extra:
            problems.append(f"rubric criterion {label!r} has unknown keys: {', '.join(extra)}")
        rubric.append(
            Criterion(
                name=name,
                description=str(item.get("description", "")).strip(),
                levels={lvl: str(levels.get(lvl, "")).strip() for lvl in LEVELS},
                tests=rubric_tags.parse(item.get("tests"), label, problems),
            )
        )
    names = [c.name for c in rubric]
    if len(set(names)) != len(names):
        problems.append("rubric criteria names must be unique")

    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        problems.append("[limits] must be a table")
        limits = {}

    for part in REQUIRED_PARTS:
        if not (folder / part).is_dir():
            problems.append(f"the {part}/ folder is missing")

    visible = data.get("results_visible_to_candidate", True)
    if not isinstance(visible, bool):
        problems.append("results_visible_to_candidate must be true or false")
        visible = True

    threshold = _similarity_threshold(data.get("similarity", {}), problems)
    ai_use, ai_text = ai_policy.parse(data.get("ai_policy"), problems)
    plan = grading_plan.parse(data, folder, runner, problems)

    spec = AssignmentSpec(
        slug=slug or folder.name,
        title=text("title"),
        summary=text("summary", required=False),
        language=text("language"),
        runner=runner,
        time_cap_minutes=cap,
        time_cap_reason=reason.strip() if isinstance(reason, str) and reason.strip() else None,
        skills=list(skills),
        rubric=rubric,
        limits=dict(limits),
        evaluation=text("evaluation", required=False),
        results_visible_to_candidate=visible,
        path=folder,
        problems=problems,
        similarity_threshold=threshold,
        plan=plan,
        kind=kind,
        stack=[s.strip() for s in stack] or [language_name(text("language", required=False))],
        ai_use=ai_use,
        ai_policy_text=ai_text,
    )
    if problems:
        raise AssignmentInvalid(spec.slug, problems)
    return spec


LANGUAGE_NAMES = {"javascript": "JavaScript", "typescript": "TypeScript", "sql": "SQL",
                  "php": "PHP", "go": "Go"}


def language_name(language: str) -> str:
    """How people write a language's name: the stack shown when assignment.toml lists none."""
    return LANGUAGE_NAMES.get(language, language[:1].upper() + language[1:])


def _similarity_threshold(table: object, problems: list[str]) -> float:
    """`[similarity] threshold = 0.6`: a score in (0, 1], the default when absent."""
    if not isinstance(table, dict):
        problems.append("[similarity] must be a table")
        return DEFAULT_SIMILARITY_THRESHOLD
    unknown = sorted(set(table) - {"threshold"})
    if unknown:
        problems.append(f"unknown keys in [similarity]: {', '.join(unknown)}")
    value = table.get("threshold", DEFAULT_SIMILARITY_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        problems.append("[similarity] threshold must be a number above 0 and at most 1")
        return DEFAULT_SIMILARITY_THRESHOLD
    return float(value)


def content_files(folder: Path) -> list[Path]:
    """Every file that makes up the assignment, sorted, without caches and build output."""
    result: list[Path] = []
    candidates = [folder / "assignment.toml"] + [folder / part for part in
                                                 (*REQUIRED_PARTS, *OPTIONAL_PARTS)]
    for top in candidates:
        if top.is_file():
            result.append(top)
            continue
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*")):
            rel_parts = path.relative_to(folder).parts
            if any(part in IGNORED_NAMES for part in rel_parts) or path.suffix == ".pyc":
                continue
            if path.is_file() and not path.is_symlink():
                result.append(path)
    return sorted(result)


def content_hash(folder: Path) -> str:
    """A SHA-256 over every file's relative path and bytes: the assignment's version."""
    digest = hashlib.sha256()
    for path in content_files(folder):
        rel = path.relative_to(folder).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
