"""The shapes of Greenhouse's Assessment Partner API, as pure functions (no database, no app).

Greenhouse calls four partner endpoints: `list_tests` (a JSON array of
`{"partner_test_id", "partner_test_name"}`), `send_test` (a test id, a candidate, the sender and
the URL to PATCH once the test is done; answered with `{"partner_interview_id"}`),
`test_status?partner_interview_id=` (`partner_status`, `partner_profile_url`, `partner_score`,
`metadata`; only "complete" means anything to Greenhouse, which stops polling there) and
`response_error` (Greenhouse reporting an answer of ours it could not use). Properties without a
value are sent as null. docs/integrations.md describes the mapping in prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

COMPLETE = "complete"
# Every partner_status this side answers, in the order a test goes through them.
STATUSES = ("sent", "started", "submitted", "graded", COMPLETE, "expired", "cancelled", "withdrawn")

TEST_ID_RE = re.compile(r"^(?P<role>[1-9][0-9]{0,9}):(?P<slug>[a-z0-9][a-z0-9-]{0,99})$")
PROFILE_PEOPLE_RE = re.compile(r"/people/(?P<candidate>[0-9]{1,20})(?:/|$)")
MAX_TEXT = 200
MAX_URL = 2000


class Malformed(ValueError):
    """A request body that does not follow the documented shape; `errors` lists each problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# Tests -------------------------------------------------------------------------------------


def test_id(role_id: int, assignment_slug: str) -> str:
    """A test is one role's take-home on one assignment: stable for as long as both exist."""
    return f"{role_id}:{assignment_slug}"


def parse_test_id(value: str) -> tuple[int, str] | None:
    """(role id, assignment slug) of a partner_test_id, or None when it is not one of ours."""
    found = TEST_ID_RE.match(value) if isinstance(value, str) else None
    if found is None:
        return None
    return int(found["role"]), found["slug"]


def test_name(role_title: str, team: str, assignment_title: str, ai: str = "") -> str:
    """The name Greenhouse shows; its list_tests carries only an id and a name, so the AI
    policy (`ai`, a short label) rides in the name."""
    name = f"{role_title} ({team}): {assignment_title}"
    return f"{name} · {ai}" if ai else name


def test_entry(role_id: int, slug: str, name: str) -> dict[str, str]:
    return {"partner_test_id": test_id(role_id, slug), "partner_test_name": name}


# send_test ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentCandidate:
    first_name: str
    last_name: str
    preferred_name: str
    email: str
    phone_number: str
    greenhouse_profile_url: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def greeting_name(self) -> str:
        return self.preferred_name or self.first_name


@dataclass(frozen=True)
class SendTest:
    partner_test_id: str
    candidate: SentCandidate
    url: str
    sent_by: str = ""


def _text(data: dict[str, Any], key: str, errors: list[str], *, where: str = "",
          required: bool = True, limit: int = MAX_TEXT) -> str:
    name = f"{where}{key}"
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(f"{name} is required")
        return ""
    if not isinstance(value, str):
        errors.append(f"{name} must be a string")
        return ""
    if len(value) > limit:
        errors.append(f"{name} must be at most {limit} characters")
        return ""
    return value.strip()


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_send_test(body: Any) -> SendTest:
    """The send_test body, checked field by field; Malformed lists every problem at once.

    preferred_name is documented as always present but may be null or empty: the first name is
    used then. The resume, phone number and other extra properties are not needed to invite."""
    if not isinstance(body, dict):
        raise Malformed(["the body must be a JSON object"])
    errors: list[str] = []
    test = _text(body, "partner_test_id", errors)
    url = _text(body, "url", errors, limit=MAX_URL)
    if url and not is_http_url(url):
        errors.append("url must be an http:// or https:// URL")
    sent_by = _text(body, "sent_by", errors, required=False, limit=254)
    raw = body.get("candidate")
    if not isinstance(raw, dict):
        errors.append("candidate is required and must be an object")
        raise Malformed(errors)
    where = "candidate."
    candidate = SentCandidate(
        first_name=_text(raw, "first_name", errors, where=where),
        last_name=_text(raw, "last_name", errors, where=where),
        preferred_name=_text(raw, "preferred_name", errors, where=where, required=False),
        email=_text(raw, "email", errors, where=where, limit=254),
        phone_number=_text(raw, "phone_number", errors, where=where, required=False),
        greenhouse_profile_url=_text(raw, "greenhouse_profile_url", errors, where=where,
                                     required=False, limit=MAX_URL),
    )
    if errors:
        raise Malformed(errors)
    return SendTest(partner_test_id=test, candidate=candidate, url=url, sent_by=sent_by)


def greenhouse_ids(profile_url: str) -> tuple[str | None, str | None]:
    """(candidate id, application id) from a Greenhouse profile URL such as
    https://app.greenhouse.io/people/17681532?application_id=26234709; None where absent."""
    if not profile_url:
        return None, None
    parts = urlsplit(profile_url)
    people = PROFILE_PEOPLE_RE.search(parts.path)
    application = parse_qs(parts.query).get("application_id", [""])[0]
    return (
        people["candidate"] if people else None,
        application if application.isdigit() and len(application) <= 20 else None,
    )


# test_status -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """What the status answer is made from: the invitation's state, its grading and review."""

    invitation_status: str  # invited | started | submitted | expired | revoked | deleted
    grading_finished: bool = False
    grading_status: str = ""
    # clean | flagged | altered | unchecked: an altered report's counts are no score
    integrity: str = ""
    tests_passed: int = 0
    tests_total: int = 0
    scorecards: int = 0
    reviewers: int = 0
    recommendations: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    reviewer_summaries: tuple[str, ...] = ()
    decision: str = ""
    submitted_at: str = ""
    time_used: str = ""
    late: bool = False

    @property
    def reviewed(self) -> bool:
        return self.reviewers > 0 and self.scorecards >= self.reviewers


def partner_status(progress: Progress) -> str:
    """Complete once the submission is graded and every assigned reviewer has scored it."""
    state = progress.invitation_status
    if state == "submitted":
        if progress.grading_finished and progress.reviewed:
            return COMPLETE
        return "graded" if progress.grading_finished else "submitted"
    return {"invited": "sent", "started": "started", "expired": "expired",
            "revoked": "cancelled", "deleted": "withdrawn"}.get(state, "sent")


ALTERED = ("no score: the submission altered the test report, so its counts are not a "
           "result")


def score(progress: Progress) -> int | None:
    """The share of hidden tests passed, 0 to 100: the same for every reviewer, so Greenhouse
    can filter on it; the reviewers' judgement travels in the metadata. None when no test ran
    or when the submission altered the report (the summary says so)."""
    if progress.integrity == "altered" or progress.tests_total <= 0:
        return None
    return round(100 * progress.tests_passed / progress.tests_total)


def _counts(values: tuple[str, ...]) -> str:
    seen: dict[str, int] = {}
    for value in values:
        seen[value] = seen.get(value, 0) + 1
    return ", ".join(f"{name.replace('_', ' ')}: {count}" for name, count in seen.items())


def _tests_passed(progress: Progress) -> str:
    if progress.integrity == "altered":
        return ALTERED
    return f"{progress.tests_passed} of {progress.tests_total}"


def summary(progress: Progress) -> str:
    if progress.integrity == "altered":
        parts = ["Hidden tests: the submission altered the test report, so they give no score; "
                 "the reviewers' judgement below is the result."]
    else:
        parts = [f"{progress.tests_passed} of {progress.tests_total} hidden tests passed"
                 f" ({progress.grading_status.replace('_', ' ')})."]
    if progress.recommendations:
        parts.append(f"Reviewers recommend {_counts(progress.recommendations)}.")
    parts.extend(text.strip() for text in progress.reviewer_summaries if text.strip())
    return " ".join(parts)[:2000]


def status_payload(progress: Progress, profile_url: str) -> dict[str, Any]:
    """The test_status answer: score, profile URL and metadata only once complete."""
    status = partner_status(progress)
    if status != COMPLETE:
        return {"partner_status": status, "partner_profile_url": None,
                "partner_score": None, "metadata": None}
    metadata: dict[str, str | int | bool] = {
        "Summary": summary(progress),
        "Tests Passed": _tests_passed(progress),
        "Test Integrity": progress.integrity or "not graded",
        "Scorecards": f"{progress.scorecards} of {progress.reviewers}",
        "Rubric Levels": _counts(progress.levels) or "none",
        "Decision": progress.decision or "not decided yet",
        "Submitted At": progress.submitted_at,
        "Time Used": progress.time_used,
        "Late": progress.late,
    }
    return {"partner_status": COMPLETE, "partner_profile_url": profile_url,
            "partner_score": score(progress), "metadata": metadata}


# response_error ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseError:
    api_call: str
    errors: tuple[str, ...]
    partner_test_id: str = ""
    partner_interview_id: str = ""
    candidate_email: str = ""


def parse_response_error(body: Any) -> ResponseError:
    """Greenhouse always sends api_call and errors; the rest when it has them."""
    if not isinstance(body, dict):
        raise Malformed(["the body must be a JSON object"])
    problems: list[str] = []
    api_call = _text(body, "api_call", problems)
    errors = body.get("errors")
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        problems.append("errors is required and must be an array of strings")
        errors = []
    optional = {key: _text(body, key, problems, required=False, limit=254)
                for key in ("partner_test_id", "partner_interview_id", "candidate_email")}
    if problems:
        raise Malformed(problems)
    return ResponseError(api_call=api_call, errors=tuple(e[:1000] for e in errors[:50]),
                         **optional)
