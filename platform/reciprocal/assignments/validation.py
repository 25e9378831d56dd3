"""Keeping every assignment honest: `reciprocal assignments validate`.

Each check runs the real runner containers: the reference solution must pass every hidden test,
the untouched starter must fail most of them, and the starter's visible tests must pass on the
solution. Static checks cover the time cap, the rubric anchors, and hidden tests that reach for
the network or the wall clock (which would make results depend on when and where they ran).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from ..runner import LANGUAGES, Limits, RunnerBuildError, RunnerUnavailable, TestOutcome, run_tests
from ..runner.environments import ensure_environment
from . import rubric_tags
from .spec import MAX_TIME_CAP_MINUTES, AssignmentInvalid, AssignmentSpec, load_spec

VISIBLE_TEST_DIRS = ("tests", "test", "spec")
TEST_FILES = ("test_*.py", "*_test.py", "*.test.js", "*.test.mjs", "*.test.cjs", "*.test.ts",
              "*_test.go", "*_spec.rb", "*Test.java", "*Test.php")
# Patterns that make a hidden test depend on the wall clock or on a network beyond loopback.
CLOCK_PATTERNS = (
    r"\btime\.time\(\)", r"\bdatetime\.(?:now|today|utcnow)\(", r"\bdate\.today\(",
    r"\bDate\.now\(", r"\bnew Date\(\s*\)", r"\btime\.Now\(\)", r"\btime\.sleep\(\s*[1-9]",
    r"\b(?:Time|Date|DateTime)\.(?:now|today)\b", r"\bSystem\.currentTimeMillis\(\)",
    r"\b(?:Instant|LocalDate|LocalDateTime|ZonedDateTime|OffsetDateTime)\.now\(\s*\)",
)
NETWORK_PATTERN = re.compile(
    r"(?:https?://|socket\.create_connection\(\(?\s*['\"])(?!127\.0\.0\.1|localhost|\[::1\])"
    r"[A-Za-z0-9]"
)
IGNORE = shutil.ignore_patterns("__pycache__", ".pytest_cache", "node_modules")
SOURCE_SUFFIXES = {".py", ".js", ".mjs", ".cjs", ".go", ".ts", ".tsx", ".rb", ".java", ".php",
                   ".rs"}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class ValidationReport:
    slug: str
    checks: list[Check] = field(default_factory=list)
    # what a valid run records with the version: its environment's tag and the ids of the tests
    # the reference solution's run reported (a generic tool's reports are compared with them)
    environment: str | None = None
    ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))


def scan_hidden_tests(tests_dir: Path) -> list[str]:
    """Lines in hidden tests that use the wall clock or a network address beyond loopback."""
    findings = []
    for path in sorted(tests_dir.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("#", "//")):
                continue
            rel = path.relative_to(tests_dir).as_posix()
            if any(re.search(pattern, line) for pattern in CLOCK_PATTERNS):
                findings.append(f"{rel}:{number} uses the wall clock: {stripped[:80]}")
            if NETWORK_PATTERN.search(line):
                findings.append(f"{rel}:{number} reaches beyond loopback: {stripped[:80]}")
    return findings


def visible_test_files(starter: Path) -> list[Path]:
    """The starter's visible tests: its tests/ or test/ folder, and test files elsewhere."""
    found: list[Path] = []
    for path in sorted(starter.rglob("*")):
        rel = path.relative_to(starter)
        if not path.is_file() or any(part in {"__pycache__", "node_modules"} for part in rel.parts):
            continue
        if rel.parts[0] in VISIBLE_TEST_DIRS or any(fnmatch(path.name, p) for p in TEST_FILES):
            found.append(rel)
    return found


def validate_folder(folder: Path, *, run: Callable[..., object] | None = None,
                    progress: Callable[[str], None] | None = None) -> ValidationReport:
    """Every check for one assignment folder; never raises for a broken assignment."""

    run = _timed(run or run_tests)
    report = ValidationReport(slug=folder.name)
    try:
        spec: AssignmentSpec = load_spec(folder, known_runners=set(LANGUAGES))
    except AssignmentInvalid as exc:
        for problem in exc.problems:
            report.add("assignment.toml", False, problem)
        _static_checks(folder, None, report)
        return report
    report.add("assignment.toml", True,
               f"{spec.title} ({spec.runner}, {len(spec.rubric)} criteria)")
    _static_checks(folder, spec, report)

    limits = Limits.from_mapping(spec.limits)
    hidden = folder / "tests"
    options: dict[str, Any] = {"labels": {"reciprocal.job": f"validate-{spec.slug}"}}
    try:
        if spec.plan.environment:
            options["image"] = _environment(spec, folder, report, progress)
            if options["image"] is None:
                return report
        if spec.plan.harness_config():
            options["tests"] = spec.plan.harness_config()
        solution = run(spec.runner, folder / "solution", hidden, limits, **options)
        total = solution.passed + solution.failed + solution.errors
        unseen = solution.integrity != "clean" and _clean(spec, solution)
        report.add(
            "solution passes every hidden test",
            solution.status == "passed" and solution.failed == 0 and solution.errors == 0
            and solution.passed > 0 and _clean(spec, solution),
            f"{solution.passed}/{total} passed ({solution.reason}; integrity "
            f"{solution.integrity}{': no ids to compare with before this run' if unseen else ''})"
            f"{_took(solution)}{_failures(solution)}",
        )
        report.ids = sorted(f"{t.classname}::{t.name}" for t in solution.tests)
        _screenshots_check(spec, solution, report)
        if spec.runner == "command":  # a generic tool's report is compared with these ids
            options["expected_ids"] = report.ids
        _tag_check(spec, solution.tests, report)
        starter = run(spec.runner, folder / "starter", hidden, limits, **options)
        total = starter.passed + starter.failed + starter.errors
        failing = starter.failed + starter.errors
        # An existing codebase's starter passes much already; it must not pass the task.
        report.add(
            "untouched starter fails the hidden tests",
            starter.status == "error" or (total > 0 and failing > 0),
            f"{failing}/{total} fail ({starter.reason}){_took(starter)}",
        )
        if spec.plan.wrong_fails:
            wrong = run(spec.runner, folder / "wrong", hidden, limits, **options)
            _wrong_check(spec, wrong, report)
        _visible_check(spec, folder, run, limits, options, report)
    except RunnerUnavailable as exc:
        report.add("runner", False, str(exc))
    return report


def _timed(run: Callable[..., Any]) -> Callable[..., Any]:
    """`run`, noting on each outcome how long it took (the time budget of CI is in these)."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        outcome = run(*args, **kwargs)
        try:
            outcome.validation_seconds = time.monotonic() - started
        except AttributeError:  # a frozen stand-in in unit tests
            pass
        return outcome

    return timed


def _took(outcome: Any) -> str:
    seconds = getattr(outcome, "validation_seconds", None)
    return f" in {seconds:.0f} s" if seconds is not None else ""


MAX_FAILURES_SHOWN = 5


def _failures(outcome: Any) -> str:
    """The first failing tests and what they said: why a reference run failed (authors only
    ever see this; it holds hidden test names and output)."""
    failed = [t for t in getattr(outcome, "tests", []) if t.outcome not in ("passed", "skipped")]
    if not failed:
        return ""
    lines = [f"\n{t.classname}::{t.name}: {(t.message or '').strip()[:600]}"
             for t in failed[:MAX_FAILURES_SHOWN]]
    more = len(failed) - MAX_FAILURES_SHOWN
    return "".join(lines) + (f"\n... and {more} more" if more > 0 else "")


def _clean(spec: AssignmentSpec, solution: Any) -> bool:
    """The reference run's verdict is clean. A generic tool's reports are checked against the
    ids of the reference run, which this run is: its only flag can be that it had none yet."""
    if solution.integrity == "clean":
        return True
    return spec.runner == "command" and solution.integrity == "flagged" and all(
        item.get("kind") == "ids" and not item.get("alters")
        and str(item.get("detail", "")).startswith("the report's ids were not compared")
        for item in solution.integrity_evidence)


def _environment(spec: AssignmentSpec, folder: Path, report: ValidationReport,
                 progress: Callable[[str], None] | None) -> str | None:
    """The assignment's environment image, built when missing; None (with the failing step's
    output in the report) when it does not build."""
    started = time.monotonic()
    try:
        tag = ensure_environment(spec.slug, folder / "environment", spec.runner,
                                 progress=progress or (lambda _line: None))
    except RunnerBuildError as exc:
        report.add("environment builds", False, str(exc))
        return None
    report.environment = tag
    report.add("environment builds", True, f"{tag} ({time.monotonic() - started:.0f} s)")
    return tag


def _screenshots_check(spec: AssignmentSpec, solution: Any, report: ValidationReport) -> None:
    """The pages [screenshots] declares come back from the solution's run, photographed."""
    declared = spec.plan.screenshots
    if not declared:
        return
    wanted = {f"{'home' if page.strip('/') == '' else page.strip('/').replace('/', '-')}-{width}"
              for page in declared["pages"] for width in declared["widths"]}
    got = {shot["name"] for shot in getattr(solution, "screenshots", [])}
    missing = sorted(wanted - got)
    report.add("screenshots of the declared pages", not missing,
               f"missing: {', '.join(missing)}" if missing else
               f"{len(wanted)} photographed ({', '.join(sorted(wanted))})")


def _wrong_check(spec: AssignmentSpec, wrong: Any, report: ValidationReport) -> None:
    """The plausible wrong solution fails every test [wrong] names (and is no clean pass)."""
    failed = [t for t in wrong.tests if t.outcome not in ("passed", "skipped")]
    missed = [tag for tag in spec.plan.wrong_fails if not rubric_tags.select([tag], failed)]
    ok = not missed and wrong.status != "passed"
    detail = (f"{len(failed)} failed, the {len(spec.plan.wrong_fails)} named among them"
              if ok else f"passes what it should fail: {', '.join(missed) or wrong.reason}")
    report.add("wrong solution fails the named tests", ok, detail + _took(wrong))


def _visible_check(spec: AssignmentSpec, folder: Path, run: Callable[..., Any], limits: Limits,
                   options: dict[str, Any], report: ValidationReport) -> None:
    """The starter's visible tests pass on the solution, run as a candidate runs them."""
    visible = visible_test_files(folder / "starter")
    if not visible:
        report.add("visible tests pass on the solution", False,
                   "the starter has no visible tests (a tests/, test/ or spec/ folder, or "
                   "test files)")
        return
    if spec.runner == "command":
        report.add("visible tests pass on the solution", True,
                   f"not run: the command runner runs the hidden tests only ({len(visible)} "
                   "visible test file(s) found)")
        return
    with tempfile.TemporaryDirectory(prefix="reciprocal-visible-") as tmp:
        # The visible tests run from inside a copy of the solution, as a candidate runs them
        # (they may find their fixtures relative to their own folder).
        tree = Path(tmp) / "solution"
        shutil.copytree(folder / "solution", tree, ignore=IGNORE)
        for rel in visible:
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / "starter" / rel, tree / rel)
        suite_options = {k: v for k, v in options.items() if k != "tests"}
        if "tests" in options:  # services and the build, not the screenshots
            suite_options["tests"] = {k: v for k, v in options["tests"].items()
                                      if k in ("services", "build")}
        if spec.runner == "python":
            found = visible_files(visible)
            if not found:
                report.add("visible tests pass on the solution", False,
                           "no visible tests to run: pytest's *.py or node's "
                           "*.test.js|mjs|cjs under tests/")
                return
            shown = run(spec.runner, tree, _visible_suite(Path(tmp), found),
                        limits, **suite_options)
            ran = ", ".join(f"{label} on {len(files)} file(s)" for label, files in found.items())
            detail = (shown.tests[0].message.strip().splitlines() or [""])[-1] \
                if shown.tests and shown.status != "passed" else \
                f"{ran} in the submission's process: {shown.status}"
        else:
            shown = run(spec.runner, folder / "solution", tree, limits, **suite_options)
            detail = f"{shown.passed} passed, {shown.failed + shown.errors} failed"
    report.add("visible tests pass on the solution",
               shown.status == "passed" and shown.passed > 0, detail)


# How a candidate runs the visible tests of a Python-runner assignment, by their files: pytest
# the Python ones, node's test runner the JavaScript ones (a frontend's).
VISIBLE_RUNNERS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "pytest": (["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"], ("*.py",)),
    "node --test": (["node", "--test"], ("*.test.js", "*.test.mjs", "*.test.cjs")),
}
VISIBLE_SUITE = """\
from reciprocal_judge import submission


def test_the_visible_tests_pass():
    for command in COMMANDS:
        done = submission.run(command, timeout=600)
        summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
        assert done.returncode == 0, (
            " ".join(command) + ":\\n" + done.stdout[-3000:] + done.stderr[-2000:] + "\\n"
            + summary)
"""


def visible_files(visible: list[Path]) -> dict[str, list[str]]:
    """The visible test files each of VISIBLE_RUNNERS runs (those with any)."""
    found = {}
    for label, (_command, patterns) in VISIBLE_RUNNERS.items():
        files = sorted(str(rel) for rel in visible
                       if any(fnmatch(rel.name, pattern) for pattern in patterns))
        if files:
            found[label] = files
    return found


def _visible_suite(tmp: Path, found: dict[str, list[str]]) -> Path:
    """Python's visible tests are the candidate's own: they run as a candidate runs them, in
    the submission's process (the judge never imports the submission), from one hidden test
    that runs them there."""
    commands = [[*VISIBLE_RUNNERS[label][0], *files] for label, files in found.items()]
    folder = tmp / "visible-suite"
    folder.mkdir()
    (folder / "test_visible_suite.py").write_text(f"COMMANDS = {commands!r}\n" + VISIBLE_SUITE)
    return folder


def _tag_check(spec: AssignmentSpec, tests: list[TestOutcome], report: ValidationReport) -> None:
    """Every rubric criterion's `tests` tag must pick out at least one hidden test. The tests
    are those the solution's run reported: all of them, since the solution must pass them all
    (no extra container run)."""
    tagged = [c for c in spec.rubric if c.tests]
    if not tagged:
        return
    problems = [
        f"criterion {c.name!r}: {tag!r} matches no hidden test; "
        f"{rubric_tags.suggestion(tag, tests)}"
        for c in tagged
        for tag in rubric_tags.unmatched(c.tests, tests)
    ]
    name = "rubric test tags match hidden tests"
    if not tests:
        report.add(name, False, "the solution's run reported no tests to match the tags against")
    elif problems:
        report.add(name, False, "; ".join(problems))
    else:
        count = sum(len(c.tests) for c in tagged)
        report.add(name, True, f"{count} tag(s) on {len(tagged)} criterion(s), each matching "
                               "a hidden test")


def _static_checks(folder: Path, spec: AssignmentSpec | None, report: ValidationReport) -> None:
    if spec is not None:
        report.add("time cap at most 6 hours", spec.time_cap_minutes <= MAX_TIME_CAP_MINUTES,
                   f"{spec.time_cap_minutes} minutes")
        missing = [c.name for c in spec.rubric if not all(c.levels.values())]
        report.add("rubric anchors for every level", not missing and bool(spec.rubric),
                   "missing for: " + ", ".join(missing) if missing else
                   f"{len(spec.rubric)} criteria x great/good/mediocre")
        report.add("similarity threshold", 0 < spec.similarity_threshold <= 1,
                   f"flagged at a score of {spec.similarity_threshold:.2f} or more")
    if (folder / "tests").is_dir():
        findings = scan_hidden_tests(folder / "tests")
        report.add("hidden tests use no network or wall clock", not findings,
                   "; ".join(findings[:5]) or "none found")


def validate_all(root: Path, slug: str | None = None, *, jobs: int = 1,
                 done: Callable[[ValidationReport], None] | None = None,
                 ) -> list[ValidationReport]:
    """Every assignment folder (or ``slug``), ``jobs`` at a time, each run in its own container;
    ``done`` hears of each report as it finishes; the list keeps the folders' order."""
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if slug is not None:
        folders = [p for p in folders if p.name == slug]
        if not folders:
            raise FileNotFoundError(f"no assignment folder {slug!r} in {root}")

    def one(folder: Path) -> ValidationReport:
        report = validate_folder(folder)
        if done is not None:
            done(report)
        return report

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, folders))
