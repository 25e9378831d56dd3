"""What reviewers see about how a candidate worked, and the same, exactly, for the candidate.

That is: the AI policy the candidate was held to, the disclosure they chose to give, their
commit history against the cap, and the points to discuss in the interview. A similarity flag,
an integrity warning or a disclosure that conflicts with the policy is never a verdict: each
shows as "to discuss in the interview", a rejection that cites one needs a written reason
(outcomes.operations.decide), and the composer never hears of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..assignments.ai_policy import Policy
from ..candidates import disclosure as disclosures
from ..candidates import time_adjustments
from ..core.errors import CodeDeleted, NotFound
from ..git import browse
from ..git.browse import CommitInfo
from ..models import AiDisclosure, Invitation, Submission, User
from ..similarity import queries as similarity
from . import blind
from .code import repo_path
from .queries import identity_revealed, privileged

# The points a flag raises, by kind: what the interview should ask about, never what it means.
FLAGS = {
    "similarity": "Parts of the code resemble other code above this assignment's threshold",
    "integrity": "The test run found code that may reach into the test tool",
    "ai-disclosure": "The candidate disclosed AI assistants under a policy that forbids them",
}
ASK = {
    "similarity": "Ask the candidate to walk through the matched regions and how they wrote them.",
    "integrity": "Ask what the flagged code is for; the verdict itself was checked, not trusted.",
    "ai-disclosure": "Thank them for saying so, and ask what they used it for and what they "
                     "changed or checked themselves.",
}


@dataclass(frozen=True)
class Point:
    """One point "to discuss in the interview"."""

    kind: str
    detail: str

    @property
    def title(self) -> str:
        return FLAGS[self.kind]

    @property
    def ask(self) -> str:
        return ASK[self.kind]


@dataclass(frozen=True)
class Disclosure:
    """A disclosure as one viewer reads it: while review is blind, a reviewer gets the
    candidate's name, handles and address masked out of their words and transcript, as in
    History's commit summaries (review/blind.py). A copy, so nothing masked is ever stored."""

    used_tools: bool
    tools: str
    transcript: str
    transcript_name: str
    created_at: datetime
    erased_at: datetime | None


@dataclass
class Process:
    """The candidate's process as the page shows it."""

    policy: Policy
    disclosure: AiDisclosure | Disclosure | None
    points: list[Point] = field(default_factory=list)
    commits: list[CommitInfo] = field(default_factory=list)
    cap_minutes: int = 0


def discussion_points(submission: Submission,
                      disclosure: AiDisclosure | None = None) -> list[Point]:
    """The flags on this submission, each a point to discuss in the interview."""
    points: list[Point] = []
    check = similarity.check_for(submission)
    if check is not None and check.flagged:
        points.append(Point("similarity", f"top match {round(check.top_score * 100)}%, "
                                          f"threshold {round(check.threshold * 100)}%"))
    run = submission.latest_run
    if run is not None and run.finished and (run.altered or run.integrity_warnings):
        count = len(run.integrity_evidence if run.altered else run.integrity_warnings)
        what = "the report was altered" if run.altered else "warnings"
        points.append(Point("integrity", f"{what}: {count} place{'s' if count != 1 else ''}"))
    if disclosures.conflicts(submission.invitation, disclosure):
        points.append(Point("ai-disclosure", "the candidate's own disclosure"))
    return points


def for_reviewers(submission: Submission, viewer: User | None = None) -> Process:
    """What every review tab, the submission page and the kit show of the candidate's process
    (the commit history has its own tab), as `viewer` may read it (None: unmasked, for the
    services that only weigh the points)."""
    row = disclosures.for_submission(submission)
    return Process(disclosures.policy_for(submission.invitation), _as_read(row, submission, viewer),
                   discussion_points(submission, row))


def _as_read(row: AiDisclosure | None, submission: Submission,
             viewer: User | None) -> AiDisclosure | Disclosure | None:
    if row is None or viewer is None or privileged(viewer) or identity_revealed(submission):
        return row
    invitation = submission.invitation
    mask = blind.masker(invitation.candidate_name, invitation.candidate_email,
                        invitation.candidate_code)
    return Disclosure(row.used_tools, mask(row.tools), mask(row.transcript),
                      mask(row.transcript_name), row.created_at, row.erased_at)


def for_candidate(invitation: Invitation) -> Process:
    """What reviewers see about the candidate's process, for the candidate: the policy, their
    disclosure, and their commits with the time into their own work and whether each came
    within their cap. No flag is shown here (flags are for a conversation, not a verdict)."""
    submission = invitation.submission
    process = Process(disclosures.policy_for(invitation), disclosures.for_submission(submission),
                      cap_minutes=invitation.time_cap_minutes)
    if submission is not None:
        process.commits = _own_commits(submission)
    return process


def _own_commits(submission: Submission) -> list[CommitInfo]:
    """The same listing as the staff History tab, with the candidate's own names and times."""
    invitation = submission.invitation
    try:
        repo = repo_path(submission)
        commits = browse.history(repo, submission.commit_sha, invitation.starter_sha,
                                 invitation.started_at, invitation.time_cap)
    except (CodeDeleted, NotFound, browse.NotInRepository):
        return []
    time = time_adjustments.own_time(invitation)
    return [replace(c, after_start=time.duration(c.after_start))
            if c.after_start is not None else c for c in commits]


def serialise(process: Process) -> dict[str, Any]:
    return {
        "policy": process.policy.as_json(),
        "disclosure": disclosures.as_json(process.disclosure),
        "to_discuss": [{"kind": p.kind, "title": p.title, "detail": p.detail, "ask": p.ask}
                       for p in process.points],
    }
