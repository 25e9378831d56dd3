"""The Greenhouse Assessment Partner shapes, as pure functions: test ids, the send_test body,
the ids in a profile URL, the status answer and the response_error body."""

from __future__ import annotations

import base64

import pytest
from reciprocal.integrations.greenhouse import keys, protocol
from reciprocal.integrations.greenhouse.protocol import Progress

SEND = {
    "partner_test_id": "3:customer-directory",
    "candidate": {
        "first_name": "Harriet", "last_name": "Quinn", "preferred_name": "Hat",
        "resume_url": "https://example.org/resume", "phone_number": "123-456-7890",
        "email": "hq@example.org",
        "greenhouse_profile_url": "https://app.greenhouse.io/people/17681532?application_id=26234709",
    },
    "sent_by": "recruiter@example.org",
    "url": "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/12345",
}


def test_test_ids_round_trip_and_refuse_anything_else() -> None:
    assert protocol.test_id(3, "customer-directory") == "3:customer-directory"
    assert protocol.parse_test_id("3:customer-directory") == (3, "customer-directory")
    for bad in ("", "3", "x:customer-directory", "0:a", "3:", "3:../etc", "3:Upper", 3, None):
        assert protocol.parse_test_id(bad) is None  # type: ignore[arg-type]
    entry = protocol.test_entry(3, "customer-directory", "Backend (Platform): Directory")
    assert entry == {"partner_test_id": "3:customer-directory",
                     "partner_test_name": "Backend (Platform): Directory"}


def test_send_test_body_is_parsed_as_documented() -> None:
    sent = protocol.parse_send_test(SEND)
    assert sent.partner_test_id == "3:customer-directory"
    assert sent.url.endswith("/take_home_tests/12345")
    assert sent.sent_by == "recruiter@example.org"
    assert sent.candidate.full_name == "Harriet Quinn"
    assert sent.candidate.greeting_name == "Hat"
    no_preferred = {**SEND, "candidate": {**SEND["candidate"], "preferred_name": None}}
    assert protocol.parse_send_test(no_preferred).candidate.greeting_name == "Harriet"


@pytest.mark.parametrize(("body", "fragment"), [
    ([], "JSON object"),
    ({**SEND, "partner_test_id": None}, "partner_test_id is required"),
    ({**SEND, "partner_test_id": 12}, "partner_test_id must be a string"),
    ({**SEND, "url": "ftp://example.org/x"}, "url must be an http"),
    ({**SEND, "url": None}, "url is required"),
    ({**SEND, "candidate": "someone"}, "candidate is required"),
    ({**SEND, "candidate": {**SEND["candidate"], "email": ""}}, "candidate.email is required"),
    ({**SEND, "candidate": {**SEND["candidate"], "first_name": "x" * 500}}, "at most 200"),
])
def test_malformed_send_test_bodies_name_each_problem(body: object, fragment: str) -> None:
    with pytest.raises(protocol.Malformed) as raised:
        protocol.parse_send_test(body)
    assert fragment in str(raised.value)


def test_greenhouse_ids_come_from_the_profile_url() -> None:
    url = SEND["candidate"]["greenhouse_profile_url"]  # type: ignore[index]
    assert protocol.greenhouse_ids(url) == ("17681532", "26234709")
    assert protocol.greenhouse_ids("https://app.greenhouse.io/people/42") == ("42", None)
    assert protocol.greenhouse_ids("https://elsewhere.example/x?application_id=abc") == (None, None)
    assert protocol.greenhouse_ids("") == (None, None)


def test_status_follows_the_journey_and_completes_only_when_graded_and_reviewed() -> None:
    assert protocol.partner_status(Progress("invited")) == "sent"
    assert protocol.partner_status(Progress("started")) == "started"
    assert protocol.partner_status(Progress("expired")) == "expired"
    assert protocol.partner_status(Progress("revoked")) == "cancelled"
    assert protocol.partner_status(Progress("deleted")) == "withdrawn"
    assert protocol.partner_status(Progress("submitted")) == "submitted"
    graded = Progress("submitted", grading_finished=True, grading_status="passed",
                      tests_passed=9, tests_total=12, reviewers=2, scorecards=1)
    assert protocol.partner_status(graded) == "graded"
    reviewed_ungraded = Progress("submitted", reviewers=1, scorecards=1)
    assert protocol.partner_status(reviewed_ungraded) == "submitted"
    assert set(protocol.STATUSES) >= {"sent", "started", "submitted", "graded", "complete"}


def test_an_incomplete_status_carries_nulls() -> None:
    answer = protocol.status_payload(Progress("started"), "https://r.example/submissions/1")
    assert answer == {"partner_status": "started", "partner_profile_url": None,
                      "partner_score": None, "metadata": None}


def test_the_complete_status_has_score_profile_and_flat_metadata() -> None:
    done = Progress("submitted", grading_finished=True, grading_status="failed",
                    tests_passed=9, tests_total=12, reviewers=2, scorecards=2,
                    recommendations=("yes", "strong_yes"), levels=("good", "great", "good"),
                    reviewer_summaries=("Clear code.", " "), decision="advance (sent)",
                    time_used="2 h 5 min of 4 h")
    answer = protocol.status_payload(done, "https://r.example/submissions/7")
    assert answer["partner_status"] == "complete"
    assert answer["partner_profile_url"] == "https://r.example/submissions/7"
    assert answer["partner_score"] == 75
    metadata = answer["metadata"]
    assert all(isinstance(v, str | int | float | bool) for v in metadata.values())
    assert metadata["Tests Passed"] == "9 of 12"
    assert metadata["Rubric Levels"] == "good: 2, great: 1"
    assert "Reviewers recommend yes: 1, strong yes: 1." in metadata["Summary"]
    assert metadata["Summary"].endswith("Clear code.")
    assert protocol.score(Progress("submitted")) is None


def test_an_altered_report_gives_no_score_and_the_metadata_says_why() -> None:
    altered = Progress("submitted", grading_finished=True, grading_status="error",
                       integrity="altered", reviewers=1, scorecards=1,
                       recommendations=("no",), reviewer_summaries=("Forged the report.",))
    answer = protocol.status_payload(altered, "https://r.example/submissions/8")
    assert answer["partner_status"] == "complete" and answer["partner_score"] is None
    metadata = answer["metadata"]
    assert metadata["Test Integrity"] == "altered"
    assert metadata["Tests Passed"].startswith("no score: the submission altered the test report")
    assert metadata["Summary"].startswith("Hidden tests: the submission altered the test report")
    assert metadata["Summary"].endswith("Forged the report.")
    # Even with counts given, an altered report scores nothing.
    assert protocol.score(Progress("submitted", integrity="altered", tests_passed=9,
                                   tests_total=10)) is None
    assert protocol.score(Progress("submitted", integrity="flagged", tests_passed=9,
                                   tests_total=10)) == 90


def test_response_error_bodies() -> None:
    report = protocol.parse_response_error({
        "api_call": "test_status", "errors": ["partner_profile_url is missing"],
        "partner_test_id": "3:customer-directory", "partner_interview_id": "gh-1",
        "candidate_email": "hq@example.org"})
    assert report.api_call == "test_status" and report.errors == ("partner_profile_url is missing",)
    for bad in ({"errors": []}, {"api_call": "list_tests", "errors": "x"}, "text"):
        with pytest.raises(protocol.Malformed):
            protocol.parse_response_error(bad)


def test_basic_username_is_the_key_and_the_password_is_ignored() -> None:
    encoded = base64.b64encode(b"rgh_abc_def:").decode()
    assert keys.basic_username(f"Basic {encoded}") == "rgh_abc_def"
    with_password = base64.b64encode(b"rgh_abc_def:whatever").decode()
    assert keys.basic_username(f"basic {with_password}") == "rgh_abc_def"
    for bad in (None, "", "Bearer x", "Basic !!!", "Basic " + base64.b64encode(b":pw").decode()):
        assert keys.basic_username(bad) is None
