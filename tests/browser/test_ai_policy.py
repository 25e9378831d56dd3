"""AI assistants in Chromium: each policy on the candidate's page before the terms, the submit
form with a transcript, what the candidate then sees reviewers see, the review tabs and the kit
with the points to discuss. Every page is checked with axe; screenshots are kept for a look."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from reciprocal.candidates import disclosure, roles
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db

from tests.support import factories
from tests.support.browser import violations

SHOTS = Path("/tmp")
TRANSCRIPT = "# Session\n\n**Me:** how do I strip a BOM?\n\n<script>alert('x')</script>\n"


def _shot(page: Any, tmp_path: Path, name: str, part: str | None = None) -> None:
    """Keep a full-page screenshot (or of the `part` selector) under the test's folder and a
    copy in /tmp to look at."""
    target = tmp_path / f"ai-policy-{name}.png"
    if part:
        page.locator(part).first.screenshot(path=str(target))
    else:
        page.screenshot(path=str(target), full_page=True)
    shutil.copy(target, SHOTS / target.name)


@pytest.mark.parametrize(("slug", "use", "label"), [
    ("invoice-bugfix", "forbidden", "AI assistants are not allowed"),
    ("customer-directory", "allowed-with-disclosure", "AI assistants are allowed: say what you"),
    ("shipping-labels-idempotency", "expected", "AI assistants are expected"),
])
def test_each_policy_is_read_before_the_terms(live_app, page, tmp_path: Path, slug: str,
                                              use: str, label: str) -> None:
    with live_app.app.app_context():
        portal = factories.invitation(slug).portal_url
    page.goto(portal)
    policy = page.locator("#ai-policy")
    assert policy.locator(f"[data-ai-use='{use}']").is_visible()
    assert label in policy.inner_text()
    assert "Nothing else is recorded" in policy.inner_text()
    # The policy comes before the terms the candidate accepts.
    boxes = page.evaluate("""() => ['#ai-policy', '#terms'].map(
        s => document.querySelector(s).getBoundingClientRect().top)""")
    assert boxes[0] < boxes[1]
    assert page.get_by_text("I have read the process, the AI policy").is_visible()
    assert violations(page) == []
    _shot(page, tmp_path, f"candidate-{use}")

    page.get_by_label("I have read the process").check()
    page.get_by_role("button", name="Accept the terms").click()
    assert "You accepted these terms" in page.inner_text("body")


def test_the_submit_form_takes_a_transcript_and_shows_what_reviewers_see(
        live_app, page, tmp_path: Path) -> None:
    with live_app.app.app_context():
        portal = factories.started().portal_url
    page.goto(portal + "#submit")
    reminder = page.locator(".ai-policy-reminder")
    assert "AI assistants are allowed" in reminder.inner_text()
    page.get_by_label("I used AI assistants").check()
    page.get_by_label("which tools, and for what").fill(
        "Copilot autocomplete; a chat assistant explained BOMs. I wrote the parser <b>myself</b>.")
    transcript = tmp_path / "session.md"
    transcript.write_text(TRANSCRIPT)
    page.get_by_label("A transcript, if you like").set_input_files(str(transcript))
    page.locator("#submit").scroll_into_view_if_needed()
    assert violations(page) == []
    _shot(page, tmp_path, "submit-form")
    _shot(page, tmp_path, "submit-form-part", ".submit-form")
    page.get_by_label("My work on main is ready").check()
    page.get_by_role("button", name="Submit my work").click()

    seen = page.locator("#process")
    seen.wait_for()
    text = seen.inner_text()
    assert "What reviewers see about how you worked" in text
    assert "no keystrokes, pastes, tab switches or webcam" in text
    assert "I wrote the parser <b>myself</b>." in text  # escaped, shown as typed
    assert "starter, made by Reciprocal" in text
    seen.locator("summary", has_text="Transcript: session.md").click()
    assert "<script>alert('x')</script>" in seen.locator(".ai-transcript pre").inner_text()
    assert page.evaluate("() => window.__xss === undefined")
    assert violations(page) == []
    _shot(page, tmp_path, "candidate-after-submit")
    _shot(page, tmp_path, "candidate-after-submit-part", "#process")


def _forbidden_but_disclosed(app: Any) -> int:
    with app.app_context():
        new = factories.started("invoice-bugfix")
        given = disclosure.parse("used", "A chat assistant suggested the Decimal rounding.",
                                 TRANSCRIPT, "chat.md", max_bytes=65536, required=True)
        submission = invitations.submit(new.invitation, given=given)
        db.session.commit()
        return submission.id


def test_reviewers_see_the_policy_the_disclosure_and_the_points_to_discuss(
        live_app, page, auth, tmp_path: Path) -> None:
    sid = _forbidden_but_disclosed(live_app.app)
    with live_app.app.app_context():
        factories.library()  # the admin's list below shows every shipped assignment's policy
        factories.staff("admin", "admin-ai@example.com")
    auth.page(page, live_app.url, "admin-ai@example.com")

    page.goto(f"{live_app.url}/submissions/{sid}")
    discuss = page.locator(".to-discuss")
    assert "To discuss in the interview" in discuss.inner_text()
    assert "never a decision on its own" in discuss.inner_text()
    assert discuss.locator("[data-flag='ai-disclosure']").is_visible()
    assert violations(page) == []
    _shot(page, tmp_path, "submission")

    for tab in ("code", "changes", "history", "review", "similarity"):
        page.goto(f"{live_app.url}/submissions/{sid}/{tab}")
        block = page.locator(".ai-process")
        assert "AI assistants are not allowed" in block.inner_text(), tab
        assert "suggested the Decimal rounding" in block.inner_text(), tab
        assert violations(page) == [], tab
    block = page.locator(".ai-process")
    block.locator("summary", has_text="Transcript: chat.md").click()
    assert "<script>alert('x')</script>" in block.locator("pre").inner_text()
    _shot(page, tmp_path, "review-tab")
    _shot(page, tmp_path, "review-tab-part", ".ai-process")

    page.goto(f"{live_app.url}/submissions/{sid}/kit")
    assert "To discuss in the interview" in page.locator(".to-discuss").inner_text()
    assert "AI assistants are not allowed" in page.locator(".ai-process").inner_text()
    assert violations(page) == []
    _shot(page, tmp_path, "kit")
    _shot(page, tmp_path, "kit-part", ".to-discuss")

    page.goto(f"{live_app.url}/outcomes/submissions/{sid}/decision")
    assert page.get_by_label("The candidate disclosed AI assistants").is_visible()
    assert violations(page) == []
    _shot(page, tmp_path, "decision")
    _shot(page, tmp_path, "decision-part", ".cite-flags")

    page.goto(f"{live_app.url}/admin/assignments")
    forbidden = page.locator(".ai-policy-cell[data-ai-use='forbidden']")
    assert forbidden.count() == 1 and "no AI assistants" in forbidden.inner_text()
    assert page.locator(".ai-policy-cell[data-ai-use='expected']").count() == 2
    assert violations(page) == []
    _shot(page, tmp_path, "library")


def test_a_role_overrides_the_policy_from_its_form(live_app, page, auth,
                                                   tmp_path: Path) -> None:
    with live_app.app.app_context():
        factories.library()
        factories.staff("recruiter", "recruiter-ai@example.com")
    auth.page(page, live_app.url, "recruiter-ai@example.com")
    page.goto(f"{live_app.url}/roles/new")
    for label, value in (("Title", "Platform Engineer"), ("Team", "Core"), ("From", "50000"),
                         ("To", "70000"), ("Mission of the role", "Keep the lights on."),
                         ("Requirements", "Python")):
        page.get_by_label(label, exact=label in ("Title", "Team", "From", "To")).fill(value)
    page.get_by_label("Policy for this role").select_option("expected")
    page.get_by_label("In your words").fill("Autocomplete yes, generating whole modules no.")
    assert violations(page) == []
    _shot(page, tmp_path, "role-form")
    page.get_by_role("button", name="Create role").click()
    assert "Role Platform Engineer created" in page.inner_text("body")
    with live_app.app.app_context():
        portal = factories.invitation(role=roles.find_role("Platform Engineer")).portal_url
    page.goto(portal)
    policy = page.locator("#ai-policy")
    assert "AI assistants are expected" in policy.inner_text()
    assert "generating whole modules no" in policy.inner_text()
