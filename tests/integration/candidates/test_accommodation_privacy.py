"""Reviewers never see an accommodation, not even as a raised time cap. They see the standard cap
(the assignment's, plus any extension, which is no secret), and the time used and each commit's time
into the work measured against the candidate's own cap and expressed on that standard cap; no clock
time from which the raised cap could be worked out. Recruiters and admins, who are told that an
accommodation applies, see the candidate's real cap and times.

The candidate here has +50% on the 3 h cap (4 h 30 min), used 4 h, and so used 8/9 of their
time: a reviewer reads 2 h 40 min of 3 h."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from reciprocal.candidates import operations as invitations
from reciprocal.candidates import time_adjustments
from reciprocal.extensions import db
from reciprocal.integrations.greenhouse import operations as greenhouse
from reciprocal.integrations.greenhouse import protocol
from reciprocal.models import Submission, User
from reciprocal.review import operations as review
from sqlalchemy import select

from tests.support import factories

RAISED = ("4 h 30", "270", "4 h 00", "4 h 0 min", "14400")  # the raised cap, the real time used


def _submitted(*, percent: int, extension: int = 0, hours: int = 4) -> int:
    """Accommodated before the start (when `percent`), extended after it, `hours` used (the
    last work uploaded then), submitted; the same reviewer assigned to every submission."""
    new = factories.invitation()
    invitation = new.invitation
    invitations.accept_terms(invitation)
    if percent:
        time_adjustments.request_accommodation(invitation, percent, "Dyslexia.")
    invitations.start(invitation)
    if extension:
        time_adjustments.grant(invitation, extension, "Our CI was down.",
                               actor=_user("recruiter", "rita@example.com"))
    invitation.started_at -= timedelta(hours=hours)
    invitation.deadline_at -= timedelta(hours=hours)
    db.session.commit()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("app.py", "print('done')\n")
    archive.seek(0)
    invitations.upload(invitation, archive, "work.zip")  # the server records its time
    submission = invitations.submit(invitation)
    review.assign_reviewer(submission, _user("reviewer", "rev@example.com"),
                           actor=_user("recruiter", "rita@example.com"))
    db.session.commit()
    return submission.id


def _user(role: str, email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email)) or factories.staff(role,
                                                                                         email)


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    with app.app_context():
        made = {"accommodated": _submitted(percent=50),
                "plain": _submitted(percent=0, hours=2),
                "extended": _submitted(percent=50, extension=30)}
        made["tokens"] = {"reviewer": factories.api_token(_user("reviewer", "rev@example.com")),
                          "recruiter": factories.api_token(_user("recruiter",
                                                                 "rita@example.com"))}
        return made


def _api(client: Any, world: dict, who: str, which: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/submissions/{world[which]}",
                        headers={"Authorization": f"Bearer {world['tokens'][who]}"})
    assert answer.status_code == 200, answer.text
    return answer.get_json()


def test_the_reviewer_api_gives_the_standard_cap_and_the_time_on_it(client, world) -> None:
    seen = _api(client, world, "reviewer", "accommodated")
    assert seen["time_cap_minutes"] == 180
    assert abs(seen["time_used_seconds"] - 160 * 60) <= 2  # 4 h of 4 h 30 is 2 h 40 of 3 h
    plain = _api(client, world, "reviewer", "plain")
    assert plain["time_cap_minutes"] == 180 and abs(plain["time_used_seconds"] - 2 * 3600) <= 2
    # An extension is no secret: it stays on the cap; the accommodation comes off it.
    extended = _api(client, world, "reviewer", "extended")
    assert extended["time_cap_minutes"] == 210
    assert abs(extended["time_used_seconds"] - 168 * 60) <= 2  # 240 * 210 / 300
    recruiter = _api(client, world, "recruiter", "accommodated")
    assert recruiter["time_cap_minutes"] == 270
    assert abs(recruiter["time_used_seconds"] - 4 * 3600) <= 2


def test_reviewer_pages_show_no_raised_cap_and_no_clock_time(client, world, auth) -> None:
    sid = world["accommodated"]
    auth.client(client, "rev@example.com")
    texts = {path: client.get(f"/submissions/{sid}{path}").get_data(as_text=True)
             for path in ("", "/history", "/code", "/review", "/kit", "/changes")}
    for path, text in texts.items():
        assert not any(raised in text for raised in RAISED), path
        assert "50%" not in text and "Dyslexia" not in text and "accommodation" not in text, path
    assert "2 h 40 min of 3 h 0 min" in texts[""]
    history = texts["/history"]
    assert "Time cap 3 h 0 min" in history
    assert "Clock started" not in history and not re.search(r"\d\d:\d\d", history)
    assert re.search(r"2 h (40|39) min <span class=\"tag\">upload</span>", history), history
    assert "as received" in history  # the claimed date, compared with the receipt only
    assert "after the cap" not in history  # 8/9 of the candidate's own time


def test_recruiters_see_the_real_cap_and_times(client, world, auth) -> None:
    auth.client(client, "rita@example.com")
    page = client.get(f"/submissions/{world['accommodated']}").get_data(as_text=True)
    assert "4 h 0 min of 4 h 30 min" in page
    history = client.get(f"/submissions/{world['accommodated']}/history").get_data(as_text=True)
    assert "time cap 4 h 30 min" in history and "Clock started" in history


def test_greenhouse_reads_the_time_on_the_standard_cap(app: Flask, world: dict) -> None:
    """The hiring team in Greenhouse (interviewers included) reads the same as reviewers."""
    with app.app_context():
        invitation = db.session.get(Submission, world["accommodated"]).invitation
        progress = greenhouse.progress(invitation)
    assert progress.time_used in ("2 h 40 min of 3 h", "2 h 39 min of 3 h")
    done = protocol.status_payload(replace(progress, reviewers=1, scorecards=1,
                                           grading_finished=True), "https://x/1")
    # A start time beside the submission time would give the real time used away.
    assert "Started At" not in done["metadata"]
    assert done["metadata"]["Time Used"] == progress.time_used
