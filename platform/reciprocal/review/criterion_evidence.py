"""Hidden-test evidence per rubric criterion: the outcomes, in the latest grading run, of the
tests the assignment tags for each criterion (`tests = [...]` under `[[rubric]]`).

Reviewers cite it beside their own reading; it never sets a level. The tags are the
assignment's current ones and the run may have used an earlier version's tests, so a tag that
picks out nothing in this run is reported as such rather than treated as an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..assignments import rubric_tags
from ..models import GradingRun, Submission
from .queries import rubric

# As the test panel counts them (review/_tests.html): anything but passed or skipped.
COUNTED_APART = ("passed", "skipped")


@dataclass(frozen=True)
class TaggedTest:
    id: str  # classname::name
    outcome: str
    result_id: int | None  # the TestResult row: the page's #failure-<id> anchor


@dataclass
class CriterionEvidence:
    criterion: str
    tags: list[str]
    # none (no test run yet) | pending (queued or running) | altered (the report contradicts
    # the integrity checks: no evidence) | ready
    state: str = "none"
    run_id: int | None = None
    tests: list[TaggedTest] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def passed(self) -> list[TaggedTest]:
        return [t for t in self.tests if t.outcome == "passed"]

    @property
    def not_passed(self) -> list[TaggedTest]:
        return [t for t in self.tests if t.outcome not in COUNTED_APART]

    @property
    def skipped(self) -> list[TaggedTest]:
        return [t for t in self.tests if t.outcome == "skipped"]

    def summary(self) -> str:
        """One sentence a reviewer can quote."""
        if self.state == "none":
            return "No test run yet: the tagged tests have no result to cite."
        if self.state == "pending":
            return "The tests are still running: the tagged tests' results come when they finish."
        if self.state == "altered":
            return "The latest run's report was altered, so its tagged results are not evidence."
        if not self.tests:
            return "None of the tagged tests ran in the latest run."
        ran = len(self.passed) + len(self.not_passed)
        text = f"{len(self.passed)} of {ran} tagged hidden tests passed in the latest run"
        if self.not_passed:
            text += f"; {len(self.not_passed)} did not pass"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text + "."


def for_run(criteria: Sequence[dict[str, Any]], run: GradingRun | None,
            tests: Sequence[Any] | None = None) -> list[CriterionEvidence]:
    """Evidence for each criterion that has tags, in rubric order. `tests` defaults to the run's
    own results (any objects with name, classname, outcome and optionally id)."""
    result = []
    for criterion in criteria:
        tags = [str(tag) for tag in criterion.get("tests") or []]
        if not tags:
            continue
        evidence = CriterionEvidence(criterion=str(criterion.get("name", "")), tags=tags)
        result.append(evidence)
        if run is None:
            continue
        evidence.run_id = run.id
        if not run.finished:
            evidence.state = "pending"
            continue
        if run.altered:
            evidence.state = "altered"
            continue
        evidence.state = "ready"
        ran = list(run.tests if tests is None else tests)
        evidence.tests = [
            TaggedTest(rubric_tags.full_id(t.classname, t.name), t.outcome, getattr(t, "id", None))
            for t in rubric_tags.select(tags, ran)
        ]
        evidence.unmatched = rubric_tags.unmatched(tags, ran)
    return result


def for_submission(submission: Submission) -> dict[str, CriterionEvidence]:
    """By criterion name, for the scorecard page: the latest run that counts (a re-score's
    preview does not) and its tests, which the page's test panel has loaded already."""
    return {e.criterion: e for e in for_run(rubric(submission), submission.latest_run)}


def serialise(evidence: CriterionEvidence) -> dict[str, Any]:
    """The API's `test_evidence` of one criterion."""
    return {
        "state": evidence.state,
        "run_id": evidence.run_id,
        "summary": evidence.summary(),
        "passed": len(evidence.passed),
        "not_passed": len(evidence.not_passed),
        "skipped": len(evidence.skipped),
        "tests": [{"test": t.id, "outcome": t.outcome} for t in evidence.tests],
        "unmatched": evidence.unmatched,
    }


def serialise_criteria(submission: Submission) -> list[dict[str, Any]]:
    """The rubric's criteria with their tags and evidence, for `GET .../review`."""
    evidence = for_submission(submission)
    return [
        {
            "name": c["name"],
            "tests": list(c.get("tests") or []),
            "test_evidence": serialise(evidence[c["name"]]) if c["name"] in evidence else None,
        }
        for c in rubric(submission)
    ]
