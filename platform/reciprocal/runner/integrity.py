"""Checking the verdict instead of trusting it: sentinels, collected ids, the static scan.

The candidate's code shares the test tool's process, so the report the harness relays can be a
lie. The worker knows the run's nonce and derives the names of the sentinel tests the harness
added (runners/harness/reciprocal_harness/sentinels.py computes the same): a must-fail sentinel
reported as passed, a must-pass one reported as failed, a missing sentinel, a report whose ids
differ from those collected from the hidden tests alone, a test reported twice, a collection
error naming a file the hidden tests do not have, or a static-scan finding that only serves to
forge a report all mark the run ``altered``. The scan's other findings are ``flagged``: warnings
with file and line. Pure logic: no Docker here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reciprocal.runner.results import TestOutcome

SENTINELS = 2
CLEAN, FLAGGED, ALTERED = "clean", "flagged", "altered"
ALTERED_REASON = "The test results were altered by the submission"
MAX_EVIDENCE = 60
SENTINEL_PREFIX = {"python": "test_", "go": "TestR", "node": "reciprocal sentinel "}


def sentinel_names(nonce: str, language: str) -> tuple[list[str], list[str]]:
    """The must-fail and must-pass sentinel names' digests for this run (as the harness)."""

    def name(kind: str, index: int) -> str:
        digest = hmac.new(nonce.encode(), f"{language}:{kind}:{index}".encode(), hashlib.sha256)
        return digest.hexdigest()[:16]

    return (
        [name("fail", i) for i in range(SENTINELS)],
        [name("pass", i) for i in range(SENTINELS)],
    )


def sentinel_tests(nonce: str, language: str) -> tuple[set[str], set[str]]:
    """The test names (as reported) of the must-fail and must-pass sentinels."""
    prefix = SENTINEL_PREFIX.get(language, "")
    fail, ok = sentinel_names(nonce, language)
    return {prefix + n for n in fail}, {prefix + n for n in ok}


@dataclass
class Integrity:
    """``status`` is clean, flagged (warnings) or altered; ``evidence`` says why, for people."""

    status: str = CLEAN
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, detail: str, *, alters: bool, file: str | None = None,
            line: int | None = None) -> None:
        if len(self.evidence) < MAX_EVIDENCE:
            item: dict[str, Any] = {"kind": kind, "detail": detail[:500], "alters": alters}
            if file:
                item["file"] = str(file)[:300]
            if isinstance(line, int) and line > 0:
                item["line"] = line
            self.evidence.append(item)
        if alters:
            self.status = ALTERED
        elif self.status == CLEAN:
            self.status = FLAGGED


def test_id(test: TestOutcome) -> str:
    return f"{test.classname}::{test.name}"


def check_sentinels(integrity: Integrity, tests: Sequence[TestOutcome], nonce: str,
                    language: str) -> None:
    must_fail, must_pass = sentinel_tests(nonce, language)
    seen: dict[str, list[str]] = {}
    for test in tests:
        if test.name in must_fail or test.name in must_pass:
            seen.setdefault(test.name, []).append(test.outcome)
    for name in sorted(must_fail):
        outcomes = seen.get(name)
        if not outcomes:
            integrity.add("sentinel", f"the must-fail sentinel test {name} is missing from the "
                          "report", alters=True)
        elif any(o != "failed" for o in outcomes):
            integrity.add("sentinel", f"the must-fail sentinel test {name} was reported "
                          f"{'/'.join(sorted(set(outcomes)))}", alters=True)
    for name in sorted(must_pass):
        outcomes = seen.get(name)
        if not outcomes:
            integrity.add("sentinel", f"the must-pass sentinel test {name} is missing from the "
                          "report", alters=True)
        elif any(o != "passed" for o in outcomes):
            integrity.add("sentinel", f"the must-pass sentinel test {name} was reported "
                          f"{'/'.join(sorted(set(outcomes)))}", alters=True)


def compare_ids(collected: Iterable[str], reported: Iterable[str],
                broken_files: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """(missing, extra): collected ids the report lacks, and reported ids never collected.

    Ids of a file that failed to load in the run (a collection error, reported as an error) are
    not missing: the report says why they did not run.
    """
    collected_set, reported_set = set(collected), set(reported)
    broken = {f for f in broken_files if f}
    missing = sorted(
        i for i in collected_set - reported_set if i.split("::", 1)[0] not in broken
    )
    extra = sorted(reported_set - collected_set)
    return missing, extra


def go_top_level(ids: Iterable[str]) -> set[str]:
    """Go reports leaf subtests (Pkg::TestX/case); the collected ids are top-level tests."""
    return {i.split("/", 1)[0] for i in ids}


def _names(ids: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def hidden_ids(ids: Iterable[object], nonce: str, language: str) -> list[str]:
    """The collected ids without this run's sentinels: what depends on the hidden tests alone."""
    fail, ok = sentinel_tests(nonce, language)
    sentinels = fail | ok
    return [str(i) for i in ids if str(i).rsplit("::", 1)[-1] not in sentinels]


def check_ids(integrity: Integrity, tests: Sequence[TestOutcome], evidence: Mapping[str, Any],
              language: str, *, nonce: str, ended_normally: bool) -> None:
    """The reported ids against the collected ones. Sentinels are left out on both sides (the
    sentinel check has them). The ids of a hidden file that failed to load are not missing:
    the report says why they did not run (and the file must be one of the hidden tests')."""
    collected = evidence.get("collected")
    if not isinstance(collected, list):
        integrity.add("ids", "the hidden tests' ids could not be collected apart from the "
                      "submission, so the report's ids were not compared", alters=False)
        return
    fail, ok = sentinel_tests(nonce, language)
    hidden = [t for t in tests if t.name not in fail | ok]
    broken = [str(p) for p in evidence.get("run_collect_errors") or []]
    if language == "go":  # collected from the hidden sources as top-level names
        reported = sorted(go_top_level(t.name for t in hidden) - fail - ok)
    elif language == "node":  # top-level tests and suites, per file, from the syntax tree
        broken = [str(p) for p in evidence.get("broken_files") or []]
        skipped = {str(p) for p in evidence.get("uncollected_files") or []} | set(broken)
        reported = [i for i in hidden_ids(evidence.get("reported_top") or [], nonce, language)
                    if i.split("::", 1)[0] not in skipped]
    else:
        reported = [test_id(t) for t in hidden if t.classname not in broken]
    missing, extra = compare_ids(hidden_ids(collected, nonce, language), reported, broken)
    if extra:
        integrity.add("ids", f"the report lists {len(extra)} test(s) the hidden tests do not "
                      f"have: {_names(extra)}", alters=True)
    if missing and ended_normally:
        integrity.add("ids", f"{len(missing)} collected test(s) are missing from the report: "
                      f"{_names(missing)}", alters=True)


def check_run(tests: Sequence[TestOutcome], document: Mapping[str, Any], nonce: str,
              language: str) -> Integrity:
    """All checks on one run's report; ``tests`` still include the sentinels. A collection
    error never switches a check off: the other files' tests and the sentinels still ran."""
    integrity = Integrity()
    evidence = document.get("integrity")
    if not isinstance(evidence, Mapping):
        evidence = {}
    exit_code = document.get("exit_code")
    ended_normally = isinstance(exit_code, int) and exit_code >= 0
    # The harness (root, out of the candidate's reach) says which checks its language supports.
    sentinels = bool(evidence.get("sentinels"))
    # With no report at all (a build that failed, a crash before any test), tests can only be
    # expected where the test command claims success; the scan and the exit status still count.
    # A judge (Python: the hidden tests' own process, out of the candidate's reach) that says
    # its session stopped before collecting has nothing to compare either.
    reported = (bool(tests) or exit_code == 0) and not evidence.get("aborted")
    if evidence.get("checks") == "ids" and document.get("report_error"):
        reported = False  # a generic tool left no usable report: the run's error says why
    if sentinels and reported:
        check_sentinels(integrity, tests, nonce, language)
    for path in evidence.get("forged_collect_errors") or []:
        integrity.add("ids", f"the report names a file the hidden tests do not have as a "
                      f"collection error ({str(path)[:80]})", alters=True)
    if "collected" in evidence and reported:
        check_ids(integrity, tests, evidence, language, nonce=nonce, ended_normally=ended_normally)
    for nodeid in evidence.get("duplicates") or []:
        integrity.add("ids", f"the test {nodeid} was reported more than once", alters=True)
    if sentinels and exit_code == 0:
        integrity.add("exit", "the test command exited with success although the must-fail "
                      "sentinel tests cannot pass", alters=True)
    if (evidence.get("checks") == "ids" and ended_normally and exit_code != 0 and tests
            and all(t.outcome in ("passed", "skipped") for t in tests)):
        # A test tool exits with failure when a test fails; a report of nothing but passes
        # beside that status was written or rewritten by something other than the tool.
        integrity.add("exit", f"the test tool exited with failure (status {exit_code}) although "
                      "its report says no test failed", alters=True)
    if language == "go" and sentinels:
        check_go_packages(integrity, tests, evidence, nonce)
    if evidence.get("channel_overflow"):
        integrity.add("channel", "the test results exceeded the report cap", alters=True)
    for path in evidence.get("shipped_reports") or []:
        integrity.add("report", "the submission shipped a test report where the test tool writes "
                      "its own; it was removed before the run", alters=False, file=str(path))
    if evidence.get("checks") == "ids" and "collected" not in evidence:
        integrity.add("ids", "the report's ids were not compared: this assignment version has no "
                      "validated run of its reference solution", alters=False)
    for item in evidence.get("scan") or []:
        _add_finding(integrity, "scan", item)
    if evidence.get("scan_error"):
        integrity.add("scan", str(evidence["scan_error"])[:300], alters=False)
    return integrity


def candidate_ids(tests: Sequence[TestOutcome], document: Mapping[str, Any], nonce: str,
                  language: str) -> None:
    """Set each test's ``candidate_id``: its top-level id when that id is one the hidden tests
    have, as collected apart from the submission (by the judge, or from the hidden files'
    syntax); anything else the run produced never becomes a name a candidate sees."""
    evidence = document.get("integrity")
    collected = evidence.get("collected") if isinstance(evidence, Mapping) else None
    if not isinstance(collected, list):
        return
    known = set(hidden_ids(collected, nonce, language))
    for test in tests:
        key = test.top.rsplit("::", 1)[-1] if language == "go" else test.top
        test.candidate_id = test.top if test.top and key in known else None


def _add_finding(integrity: Integrity, kind: str, item: object) -> None:
    """A static-scan finding with the file and line it names: it alters the verdict when the
    scanner says it has no honest use (``alters``), else it is a warning."""
    if not isinstance(item, Mapping):
        return
    line = item.get("line")
    integrity.add(kind, str(item.get("detail") or ""), alters=item.get("alters") is True,
                  file=str(item.get("file") or "") or None,
                  line=line if isinstance(line, int) else None)


def check_go_packages(integrity: Integrity, tests: Sequence[TestOutcome],
                      evidence: Mapping[str, Any], nonce: str) -> None:
    """The go command derives a package's own pass/fail from the test binary's exit status; a
    package whose must-fail sentinel ran cannot honestly have passed, whatever its stream says."""
    packages = evidence.get("packages")
    if not isinstance(packages, Mapping):
        return
    must_fail, _ = sentinel_tests(nonce, "go")
    for package in sorted({t.classname for t in tests if t.name in must_fail}):
        action = packages.get(package)
        if action != "fail":
            integrity.add("exit", f"the test binary of {package} exited "
                          f"{'with success' if action == 'pass' else 'without a verdict'} "
                          "although its must-fail sentinel ran", alters=True)


def without_sentinels(tests: Sequence[TestOutcome], nonce: str, language: str
                      ) -> list[TestOutcome]:
    must_fail, must_pass = sentinel_tests(nonce, language)
    names = must_fail | must_pass
    return [t for t in tests if t.name not in names and not _sentinel_file(t, nonce)]


def _sentinel_file(test: TestOutcome, nonce: str) -> bool:
    """The Python sentinel file itself (a collection error of it, say)."""
    file = sentinel_names(nonce, "python-file")[1][0]
    return test.classname.endswith(f"/test_{file}.py") or test.classname == f"test_{file}.py"
