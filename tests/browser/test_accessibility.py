"""The accessibility gate: axe-core (axe-playwright-python) on every page of every role, with
the demo pipeline as data, must find no serious or critical violation (colour contrast
included); and a candidate completes the journey with the keyboard alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reciprocal.candidates import operations as invitations
from reciprocal.cli import main
from reciprocal.demo import DEMO_PASSWORD
from reciprocal.extensions import db
from reciprocal.models import (
    Decision,
    Invitation,
    ReviewAssignment,
    Role,
    Scorecard,
    Submission,
    User,
)
from sqlalchemy import select

from tests.support import factories
from tests.support.browser import violations
from tests.support.gitclient import git


def _pages(app: Any) -> dict[str, list[str]]:
    """Every page of every role, on the demo's data."""
    with app.app_context():
        reviewer = db.session.scalar(select(User).where(User.email == "reviewer@example.com"))
        mine = db.session.scalars(select(ReviewAssignment.submission_id).where(
            ReviewAssignment.reviewer_id == reviewer.id).order_by(ReviewAssignment.id)).all()
        scored = set(db.session.scalars(select(Scorecard.submission_id).where(
            Scorecard.reviewer_id == reviewer.id, Scorecard.submitted_at.is_not(None))))
        done = next(s for s in mine if s in scored)
        todo = next(s for s in mine if s not in scored)
        decided = db.session.scalar(select(Decision.submission_id).where(
            Decision.sent_at.is_not(None)))
        role = db.session.scalar(select(Role.id).order_by(Role.id))
        candidates = []
        for stage in ("invited", "started", "submitted", "decided"):
            query = select(Invitation).where(
                Invitation.candidate_email.like("%@candidates.example"))
            if stage == "invited":
                query = query.where(Invitation.started_at.is_(None))
            elif stage == "started":
                query = query.where(Invitation.started_at.is_not(None),
                                    ~Invitation.submission.has())
            elif stage == "submitted":
                query = query.where(Invitation.submission.has(Submission.id == todo))
            else:
                query = query.where(Invitation.submission.has(Submission.id == decided))
            invitation = db.session.scalars(query).first()
            new = invitations.reissue_link(invitation, actor=reviewer)
            candidates.append(new.portal_url.split("://", 1)[1].split("/", 1)[1])
        db.session.commit()
    review = []
    for sid in (done, todo):
        review += [f"/submissions/{sid}", f"/submissions/{sid}/code",
                   f"/submissions/{sid}/changes", f"/submissions/{sid}/changes?view=split",
                   f"/submissions/{sid}/history", f"/submissions/{sid}/review",
                   f"/submissions/{sid}/kit", f"/submissions/{sid}/snippets"]
    return {
        "candidate": [f"/{path}" for path in candidates],
        "reviewer@example.com": ["/queue", "/login/two-factor/setup", *review],
        "recruiter@example.com": [
            "/dashboard", "/invitations/new", "/roles/new", "/queue", "/outcomes/pipeline",
            f"/outcomes/roles/{role}/board", "/outcomes/health", "/outcomes/questions",
            "/reports/funnel",
            f"/roles/{role}/panel", f"/submissions/{decided}", f"/submissions/{decided}/review",
            f"/outcomes/submissions/{decided}/decision", f"/submissions/{todo}/changes",
            "/library", "/library?kind=bug-fix&stack=COBOL",
            "/library/customer-directory"],
        "admin@example.com": [
            "/admin/users", "/admin/assignments", "/admin/audit", "/admin/tokens", "/admin/sign-in",
            "/review/calibration", "/outcomes/webhooks", "/outcomes/outbox",
            "/outcomes/templates", "/library/customer-directory",
            "/library/room-bookings/repository", "/reports/fairness",
            "/admin/self-identification"],
    }


@pytest.mark.browser
@pytest.mark.timeout(900)  # every page of every role: minutes on a busy two-core machine
def test_every_page_of_every_role_passes_axe(live_app, browser, auth) -> None:
    seeded = live_app.app.test_cli_runner().invoke(main, ["demo"])
    assert seeded.exit_code == 0, seeded.output
    pages = _pages(live_app.app)
    found: dict[str, list[str]] = {}
    for who, paths in pages.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        if who != "candidate":
            auth.page(page, live_app.url, who, DEMO_PASSWORD)
        for path in paths:
            answer = page.goto(live_app.url + path)
            assert answer is not None and answer.status == 200, (who, path)
            page.wait_for_load_state("networkidle")
            file_link = page.locator("ul.file-tree a[href*='/code/']")
            problems = violations(page)
            if problems:
                found[f"{who} {path}"] = problems
            if path.endswith("/code") and file_link.count():
                page.goto(live_app.url + file_link.last.get_attribute("href"))
                page.wait_for_load_state("networkidle")
                if problems := violations(page):
                    found[f"{who} {page.url}"] = problems
        context.close()
    assert not found, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)


FOCUSED = """([selector, text]) => { const el = document.activeElement;
    return !!el && el.matches(selector) && (!text || el.textContent.includes(text)); }"""


def press_until(page: Any, selector: str, text: str = "", limit: int = 150) -> None:
    """Tab forward until the element matching `selector` (and holding `text`) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED, [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text}")


def submit_with_enter(page: Any) -> None:
    """Enter on the focused button, then wait for the page its form leads to (waiting for the
    load state alone can return before the navigation has begun, on the page still shown)."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_the_candidate_journey_with_the_keyboard_alone(live_app, page, tmp_path: Path) -> None:
    with live_app.app.app_context():
        portal = factories.invitation().portal_url
    page.goto(portal)
    press_until(page, "input[type=checkbox]")
    page.keyboard.press("Space")
    press_until(page, "button", "Accept the terms")
    submit_with_enter(page)
    assert "You accepted these terms" in page.inner_text("body")
    press_until(page, "button", "Start the clock")
    submit_with_enter(page)
    assert "The clock is running" in page.inner_text("body")

    clone = page.locator("pre.command code").inner_text().split()[-1]
    home = tmp_path / "home"
    git("clone", clone, "work", cwd=tmp_path, home=home)
    (tmp_path / "work" / "SOLUTION.md").write_text("done\n")
    git("add", "SOLUTION.md", cwd=tmp_path / "work", home=home)
    git("commit", "-m", "Solve it", cwd=tmp_path / "work", home=home)
    git("push", "origin", "HEAD:main", cwd=tmp_path / "work", home=home)

    page.reload()
    press_until(page, "input[name=ai_choice]")
    page.keyboard.press("Space")  # the first choice: "I used no AI assistant"
    press_until(page, "input[name=confirm]")
    page.keyboard.press("Space")
    press_until(page, "button", "Submit my work")
    submit_with_enter(page)
    assert "submitted" in page.inner_text("#status").lower()
