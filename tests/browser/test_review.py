"""A reviewer in real headless Chromium: comment on lines, score the rubric, open the kit."""

from __future__ import annotations

import os

import pytest
from reciprocal.extensions import db
from reciprocal.review import snippets

from tests.support import review as rs
from tests.support.browser import CHROMIUM, FLAGS
from tests.support.services import require


@pytest.mark.browser
def test_reviewer_comments_scores_and_opens_the_kit(live_app, tmp_path, auth) -> None:
    require(os.path.exists(CHROMIUM), "chromium")
    from playwright.sync_api import sync_playwright

    with live_app.app.app_context():
        sub = rs.submission(tmp_path)
        reviewer = rs.reviewer_on(sub, "rev@example.com")
        sid, email = sub.id, reviewer.email
        criteria = len(sub.invitation.assignment.rubric)
        snippets.create(sub.invitation.assignment_id, reviewer, title="Small functions",
                        kind="strength", body="Small functions with clear names.")
        db.session.commit()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        auth.page(page, live_app.url, email)
        page.goto(f"{live_app.url}/submissions/{sid}")
        page.click("a.button:has-text('Code')")
        page.click("a:has-text('app.py')")

        page.click("a[data-line='1']")
        assert page.locator("tr.inline-form-row form.comment-form").is_visible()
        page.select_option("#kind", "strength")
        page.fill("#body", "Clear, small functions.")
        page.click("button:has-text('Add comment')")
        page.wait_for_selector("text=Clear, small functions.")

        # A snippet from the comment library goes into the box and is edited there.
        page.click("a[data-line='4']")
        page.select_option("#snippet_id", label="Small functions")
        assert page.input_value("#body") == "Small functions with clear names."
        assert page.input_value("#kind") == "strength"
        page.locator("#body").press("End")
        page.locator("#body").type(" f2 reads like the brief.")
        page.click("button:has-text('Add comment')")
        page.wait_for_selector("text=Small functions with clear names. f2 reads like the brief.")

        page.click("a[data-line='7']")
        page.click("a[data-line='8']", modifiers=["Shift"])
        assert page.input_value("#line_start") == "7" and page.input_value("#line_end") == "8"
        page.select_option("#kind", "question")
        page.fill("#body", "Why does f3 add three?")
        page.click("button:has-text('Add comment')")
        page.wait_for_selector("text=Why does f3 add three?")

        page.click("nav.review-tabs a:has-text('Scorecard')")
        for i in range(criteria):
            page.check(f"input[name=level-{i}][value=good]")
            page.fill(f"#evidence-{i}", "Seen in src/app.py")
        page.select_option("#recommendation", "yes")
        page.click("button:has-text('Submit scorecard')")
        page.wait_for_selector("text=Scorecard submitted.")

        page.click("nav.review-tabs a:has-text('Interview kit')")
        question = page.locator("article.kit-question")
        assert "Why does f3 add three?" in question.inner_text()
        assert "return x + 3" in question.locator("table.kit-context").inner_text()
        assert not [e for e in errors if "Content Security Policy" in e], errors
        browser.close()
