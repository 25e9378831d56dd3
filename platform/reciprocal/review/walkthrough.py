"""The interview kit's walkthrough: a plan for walking through the candidate's own code, and one
small change for them to make live.

The regions (review/regions.py picks them) are the largest changed functions against the
starter, the code around each failing tagged hidden test, and every follow-up question comment
the viewer may see, merged in file order, each with its code from the submitted commit. The
change is a reviewer's comment of kind "change" (to ask for in the interview): the first in
file order, the others offered as alternatives. Everything is read from the submitted commit
and the review's records; nothing is asked of the candidate in advance beyond what the
invitation to the interview says (outcomes/composer.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import CodeDeleted, NotFound
from ..models import ReviewComment, Submission
from . import code as code_browser
from . import criterion_evidence
from . import regions as picking

FAILURES_SHOWN = 5


@dataclass
class RegionView:
    region: picking.Region
    code: list[tuple[int, str]]
    more_lines: int = 0  # lines of the region past MAX_REGION_LINES, not shown


@dataclass
class ChangeRequest:
    comment: ReviewComment
    author: str
    context: list[tuple[int, str]]


@dataclass
class Plan:
    regions: list[RegionView] = field(default_factory=list)
    change: ChangeRequest | None = None
    other_changes: list[ChangeRequest] = field(default_factory=list)
    notice: str = ""
    # Failing tagged tests whose failure names no line of the candidate's code.
    unplaced_failures: list[str] = field(default_factory=list)


class _Files:
    """The submitted commit's text files, each read once (None: not a text file)."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.cache: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self.cache:
            try:
                view = code_browser.read_file(self.submission, path)
            except NotFound:
                view = None
            self.cache[path] = view.text.splitlines() if view and view.kind == "text" else None
        return self.cache[path]


def _function_regions(submission: Submission, files: _Files) -> list[picking.Region]:
    changed: dict[str, tuple[list[str], set[int]]] = {}
    for diff in code_browser.changes(submission).files:
        if diff.change == "deleted" or diff.collapsed or not diff.lines:
            continue
        added = {line.new for line in diff.lines if line.kind == "add" and line.new}
        lines = files.lines(diff.path)
        if added and lines is not None:
            changed[diff.path] = (lines, added)
    result = []
    for pick in picking.changed_functions(changed):
        what = (f"Largest changed function {pick.span.name}" if pick.span.name
                else "Largest block of new lines")
        result.append(picking.Region(pick.path, pick.span.start, pick.span.end, [picking.Reason(
            "function", f"{what}: {pick.changed} line{'s' if pick.changed != 1 else ''} "
            "added against the starter")]))
    return result


def _failure_regions(submission: Submission, files: _Files, paths: list[str]
                     ) -> tuple[list[picking.Region], list[str]]:
    run = submission.latest_run
    messages = {t.id: t.message or "" for t in run.tests} if run is not None else {}
    failing: dict[int | None, tuple[str, list[str]]] = {}
    for evidence in criterion_evidence.for_submission(submission).values():
        if evidence.state != "ready":
            continue
        for test in evidence.not_passed:
            failing.setdefault(test.result_id, (test.id, []))[1].append(evidence.criterion)
    result: list[picking.Region] = []
    unplaced: list[str] = []
    for result_id, (test_id, criteria) in list(failing.items())[:FAILURES_SHOWN]:
        label = f"Failing hidden test {test_id} (tagged for {', '.join(criteria)})"
        found = picking.failure_location(messages.get(result_id, ""), paths)
        lines = files.lines(found[0]) if found else None
        if found is None or lines is None or found[1] > len(lines):
            unplaced.append(label)
            continue
        span = picking.around(lines, found[1])
        result.append(picking.Region(found[0], span.start, span.end, [picking.Reason(
            "failure", f"{label}: its failure points at line {found[1]}", result_id)],
            {found[1]}))
    return result, unplaced


def _question_regions(questions: list[ReviewComment]) -> list[picking.Region]:
    return [picking.Region(
        c.path, max(1, c.line_start - picking.AROUND), c.line_end + picking.AROUND,
        [picking.Reason("question", f"Follow-up question: {c.body}", c.id)],
        set(range(c.line_start, c.line_end + 1))) for c in questions]


def _view(region: picking.Region, lines: list[str]) -> RegionView:
    region.end = min(region.end, len(lines))
    last = min(region.end, region.start + picking.MAX_REGION_LINES - 1)
    code = [(n, lines[n - 1]) for n in range(region.start, last + 1)]
    return RegionView(region, code, region.end - last)


def build(submission: Submission, comments: list[ReviewComment]) -> Plan:
    """The plan from the comments the viewer may see (the kit's own list)."""
    roots = [c for c in comments if c.parent_id is None]
    changes = [ChangeRequest(c, c.author.display_name, []) for c in roots if c.kind == "change"]
    plan = Plan()
    try:
        files = _Files(submission)
        paths = [e.path for e in code_browser.tree(submission).entries if e.kind == "file"]
        found = _function_regions(submission, files)
        failures, plan.unplaced_failures = _failure_regions(submission, files, paths)
        found += failures
        found += _question_regions([c for c in roots if c.kind == "question"])
        for region in picking.merge(found):
            lines = files.lines(region.path)
            if lines:
                plan.regions.append(_view(region, lines))
        for change in changes:
            change.context = code_browser.context(
                submission, change.comment.path, change.comment.commit_sha,
                change.comment.line_start, change.comment.line_end)
    except CodeDeleted:
        plan.notice = "The candidate deleted this code, so there is no code to walk through."
    except NotFound:
        plan.notice = "The repository of this submission is gone."
    if changes:
        plan.change, plan.other_changes = changes[0], changes[1:]
    return plan


def _change_json(change: ChangeRequest) -> dict[str, Any]:
    c = change.comment
    return {"comment_id": c.id, "path": c.path, "line_start": c.line_start,
            "line_end": c.line_end, "body": c.body, "author": change.author,
            "context": [{"line": n, "text": t} for n, t in change.context]}


def serialise(plan: Plan) -> dict[str, Any]:
    """The kit API's `walkthrough`."""
    return {
        "regions": [{
            "path": v.region.path,
            "line_start": v.region.start,
            "line_end": v.region.end,
            "reasons": [{"kind": r.kind, "text": r.text,
                         **({"comment_id": r.ref} if r.kind == "question" else {}),
                         **({"test_result_id": r.ref} if r.kind == "failure" else {})}
                        for r in v.region.reasons],
            "focus": sorted(v.region.focus),
            "code": [{"line": n, "text": t} for n, t in v.code],
            "more_lines": v.more_lines,
        } for v in plan.regions],
        "change": _change_json(plan.change) if plan.change else None,
        "other_changes": [_change_json(c) for c in plan.other_changes],
        "unplaced_failures": plan.unplaced_failures,
        "notice": plan.notice,
    }
