"""The assignment library in Chromium as a recruiter: the list with its figures, the filters
used through the form (a shareable address, a clear empty state, the reset link) and one
assignment's page as the candidate will see it; axe finds nothing serious on any of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reciprocal.extensions import db

from tests.support import factories
from tests.support.browser import violations
from tests.support.library import graded, submitted_after

SHOTS = Path(os.environ.get("RECIPROCAL_SCREENSHOTS", "/tmp"))


@pytest.mark.browser
def test_a_recruiter_browses_filters_and_opens_an_assignment(live_app, browser, auth) -> None:
    with live_app.app.app_context():
        factories.library()
        role = factories.role()
        for minutes, status in ((95, "passed"), (130, "failed"), (170, "passed")):
            sub = submitted_after(role, minutes)
            graded(sub, status, 4 if status == "passed" else 3, 0 if status == "passed" else 1)
        factories.staff("recruiter", "rita@example.com")
        db.session.remove()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    auth.page(page, live_app.url, "rita@example.com")

    page.get_by_role("link", name="Library").click()
    page.wait_for_url("**/library")
    cards = page.locator(".library-card")
    everything = cards.count()
    assert everything >= 5
    directory = cards.filter(has_text="Customer directory")
    assert "3 candidates" in directory.inner_text() and "67 %" in directory.inner_text()
    page.screenshot(path=str(SHOTS / "library-list.png"), full_page=True)
    assert violations(page) == []

    page.select_option("#filter-kind", "bug-fix")
    page.click("text=Show assignments")
    page.wait_for_url("**/library?*kind=bug-fix*")
    assert 0 < cards.count() < everything
    assert all("Bug fix" in text for text in cards.all_inner_texts())
    page.select_option("#filter-stack", "Go")  # no bug fix is written in Go
    page.click("text=Show assignments")
    page.wait_for_url("**stack=Go**")
    assert cards.count() == 0
    assert page.get_by_role("heading", name="No assignment matches").is_visible()
    page.screenshot(path=str(SHOTS / "library-no-match.png"), full_page=True)
    assert violations(page) == []
    page.get_by_role("link", name="reset the filters", exact=True).click()
    page.wait_for_url("**/library")
    assert cards.count() == everything

    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(SHOTS / "library-list-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Customer directory").click()
    page.wait_for_url("**/library/customer-directory")
    assert page.get_by_role("heading", name="The assignment: Customer directory").is_visible()
    readme = page.locator(".readme")
    assert readme.locator("h3", has_text="Customer directory").count() == 1
    assert readme.locator("pre code").count() >= 1
    assert page.locator(".starter-files li", has_text="directory/parser.py").count() == 1
    assert page.locator("#authoring").count() == 0  # a recruiter is no assignment author
    assert page.get_by_role("button", name="Use as a starting point").count() == 0
    page.screenshot(path=str(SHOTS / "library-assignment.png"), full_page=True)
    page.screenshot(path=str(SHOTS / "library-assignment-top.png"))
    readme.screenshot(path=str(SHOTS / "library-assignment-readme.png"))
    assert violations(page) == []
    context.close()
