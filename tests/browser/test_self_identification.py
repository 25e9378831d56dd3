"""The voluntary self-identification form and the fairness report in real Chromium: a
candidate answers, then changes to "Prefer not to say"; an admin reads the report with its
flagged ratio and its "too few to compare" cells, and the question page. axe-core finds no
serious or critical violation on any of them; a screenshot of each is kept in the test's
temporary directory for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reciprocal.candidates import self_id
from reciprocal.extensions import db
from reciprocal.models import SelfIdentification

from tests.support import factories, report_fixture
from tests.support.browser import violations

ANSWERS = {"A": "Group X", "C": "Group X", "B": "Group Y", "D": "Group Y"}


def test_the_form_and_the_fairness_report(live_app: Any, page: Any, auth: Any,
                                          tmp_path: Path) -> None:
    with live_app.app.app_context():
        history = report_fixture.build()
        admin = factories.staff("admin", "fair@example.com")
        self_id.add_question("group", "Which group are you in?", "Group X\nGroup Y", actor=admin)
        for letter, answer in ANSWERS.items():
            db.session.add(SelfIdentification(invitation_id=history["invitations"][letter].id,
                                              question_key="group", answer=answer))
        db.session.commit()
        portal = factories.invitation(name="Fay Candidate", email="fay@example.com").portal_url
    live_app.app.config["FAIRNESS_MIN_COUNT"] = 2
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(portal)
    form = page.locator("#self-id")
    assert "Reviewers never see your answers" in form.inner_text()
    form.get_by_label("Group Y").check()
    form.get_by_role("button", name="Save my answers").click()
    assert "Your answers are saved" in page.inner_text("body")
    assert page.locator("#self-id").get_by_label("Group Y").is_checked()
    page.locator("#self-id").get_by_label(self_id.PREFER_NOT).check()
    page.locator("#self-id").get_by_role("button", name="Save my answers").click()
    assert page.locator("#self-id").get_by_label(self_id.PREFER_NOT).is_checked()
    assert violations(page) == []
    page.locator("#self-id").screenshot(path=str(tmp_path / "portal-form.png"))

    auth.page(page, live_app.url, "fair@example.com")
    answer = page.goto(f"{live_app.url}/reports/fairness?start=2026-11-01&end=2026-11-30")
    assert answer is not None and answer.status == 200
    assert page.locator("tr.flagged").count() == 2  # started: Y; Code design: X
    assert "too few to compare" in page.inner_text("main")
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "fairness.png"), full_page=True)
    answer = page.goto(f"{live_app.url}/admin/self-identification")
    assert answer is not None and answer.status == 200
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "questions.png"), full_page=True)
