"""Accommodations and extensions in headless Chromium: a candidate asks for an accommodation before
starting and for more time while the clock runs; a recruiter approves the request on the dashboard
in one click; the candidate's page shows the new deadline. Each page is checked with axe and
photographed."""

from __future__ import annotations

from pathlib import Path

from tests.support import factories
from tests.support.browser import violations


def test_candidate_asks_for_time_and_a_recruiter_approves(live_app, page, tmp_path: Path,
                                                          auth) -> None:
    with live_app.app.app_context():
        new = factories.invitation()
        factories.staff("recruiter", "rec@example.com")
        portal, standard = new.portal_url, new.invitation.time_cap_minutes
    page.goto(portal)
    page.get_by_label("I have read the process").check()
    page.get_by_role("button", name="Accept the terms").click()

    page.get_by_label("50% more time").check()
    page.get_by_label("Another arrangement, in your words").fill("Short breaks every hour.")
    page.get_by_role("button", name="Save my accommodation").click()
    body = page.inner_text("body")
    assert "Your accommodation applies" in body and "Reviewers never see it" in body
    cap = standard * 3 // 2
    assert f"{cap // 60} h {cap % 60:02d} min" in page.inner_text("#your-time")
    assert not violations(page)
    page.screenshot(path=str(tmp_path / "accommodation.png"), full_page=True)

    page.get_by_role("button", name="Start the clock").click()
    page.get_by_label("Extra minutes").fill("45")
    page.get_by_label("Why (a sentence is enough)").fill("My internet dropped for a while.")
    page.get_by_role("button", name="Ask for more time").click()
    assert "Your request is sent" in page.inner_text("body")
    assert "pending" in page.inner_text("#your-time")

    staff = page.context.browser.new_page()
    auth.page(staff, live_app.url, "rec@example.com")
    staff.goto(f"{live_app.url}/dashboard")
    requests = staff.locator("#time-requests")
    assert "45 more minutes" in requests.inner_text()
    assert "+50% time" in staff.inner_text("body")
    assert not violations(staff)
    staff.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    staff.get_by_label("Your reason for the candidate").fill("Of course, take the time.")
    requests.get_by_role("button", name="Approve").click()
    assert "Answered; the candidate is emailed." in staff.inner_text("body")
    assert staff.locator("#time-requests").count() == 0

    page.reload()
    assert "granted" in page.inner_text("#your-time")
    total = cap + 45
    assert f"{total // 60} h {total % 60:02d} min" in page.inner_text("#your-time")
    page.screenshot(path=str(tmp_path / "granted.png"), full_page=True)
    print("screenshots:", tmp_path)


def test_the_caps_read_clearly_on_the_candidates_page(live_app, page) -> None:
    """Questions and accommodation changes are capped per invitation; the page says how many
    are left, and at the cap says so in place of the form."""
    import os

    from reciprocal.candidates import questions, time_adjustments

    shots = Path(os.environ.get("RECIPROCAL_SCREENSHOTS", "/tmp"))
    with live_app.app.app_context():
        new = factories.invitation()
        portal = new.portal_url
    page.goto(portal)
    page.get_by_label("I have read the process").check()
    page.get_by_role("button", name="Accept the terms").click()
    assert f"You can set it {time_adjustments.MAX_ACCOMMODATION_CHANGES} times" in page.inner_text(
        "#your-time")
    for n in range(time_adjustments.MAX_ACCOMMODATION_CHANGES):
        page.get_by_label(("25% more time", "50% more time")[n % 2]).check()
        page.get_by_role("button", name="Save my accommodation").click()
    mine = page.inner_text("#your-time")
    assert "you cannot change it again here" in mine and "Save my accommodation" not in mine
    assert not violations(page)
    page.locator("#your-time").screenshot(path=str(shots / "accommodation-cap.png"))

    page.get_by_role("button", name="Start the clock").click()
    for n in range(questions.MAX_QUESTIONS - 1):
        page.get_by_label("Something unclear?").fill(f"Question {n}?")
        page.get_by_role("button", name="Send the question").click()
    assert "(1 left)" in page.inner_text("#questions")
    page.get_by_label("Something unclear?").fill("The last one?")
    page.get_by_role("button", name="Send the question").click()
    asked = page.inner_text("#questions")
    assert f"You have asked {questions.MAX_QUESTIONS} questions" in asked
    assert "Send the question" not in asked
    assert not violations(page)
    page.locator("#questions").screenshot(path=str(shots / "questions-cap.png"))
