"""The similarity page in Chromium as a reviewer and as a recruiter: the other candidate named
by code, their code side by side for the recruiter only, the reviewer reading what is shared
from this submission's side, each match saying why (a known solution, the shared functions,
the share of own code, the common structure); axe finds nothing serious on either."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import violations
from tests.support.similarity import (
    SOLUTION,
    copy_of,
    decided_original_and_its_copy,
    match_between,
    renamed,
)

SHOTS = Path(os.environ.get("RECIPROCAL_SCREENSHOTS", "/tmp"))


@pytest.mark.browser
def test_the_similarity_page_as_each_role_would_read_it(live_app, browser,
                                                        tmp_path: Path, auth) -> None:
    app = live_app.app
    with app.app_context():
        ids, code = decided_original_and_its_copy(
            tmp_path, copy_of(tmp_path, "b", SOLUTION, renamed))
    path = f"/submissions/{ids[1]}/similarity?match={match_between(app, ids[1], ids[0])}#regions"
    for email, sides in (("rev@example.com", 1), ("rita@example.com", 2)):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        auth.page(page, live_app.url, email)
        answer = page.goto(live_app.url + path)
        assert answer is not None and answer.status == 200
        page.wait_for_load_state("networkidle")
        first = page.locator("#regions .side-by-side").first
        assert first.locator(".side").count() == sides
        assert page.locator("#regions").inner_text().count("Ada") == 0
        assert code in page.locator("#regions h2").inner_text()
        why = page.locator(".similarity-matches .match-why")
        reasons = " ".join(why.all_inner_texts())
        assert "matches a known solution" in reasons and "Shared code in" in reasons
        assert "of this submission's own code" in reasons
        page.locator(".similarity-matches").screenshot(
            path=str(SHOTS / f"similarity-why-{email.split('@')[0]}.png"))
        page.screenshot(path=str(SHOTS / f"similarity-{email.split('@')[0]}.png"),
                        full_page=False)
        assert violations(page) == [], email
        context.close()
