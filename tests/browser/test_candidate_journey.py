"""A candidate's whole journey in a real browser, with a real git push in the middle."""

from __future__ import annotations

from pathlib import Path

from tests.support import factories
from tests.support.gitclient import git


def test_candidate_reads_accepts_starts_pushes_and_submits(live_app, page, tmp_path: Path) -> None:
    with live_app.app.app_context():
        new = factories.invitation()
        portal = new.portal_url
    page.goto(portal)
    # The whole process is visible before anything starts.
    assert page.get_by_role("heading", name="The whole process").is_visible()
    body = page.inner_text("body").lower()
    for text in ("60,000 to 80,000 EUR", "Follow-up interview", "Your code is yours",
                 "Great", "Mediocre", "We answer within"):
        assert text.lower() in body, text
    assert page.get_by_role("button", name="Start the clock").count() == 0

    page.get_by_label("I have read the process").check()
    page.get_by_role("button", name="Accept the terms").click()
    assert "You accepted these terms" in page.inner_text("body")
    page.get_by_role("button", name="Start the clock").click()
    assert "The clock is running" in page.inner_text("body")
    countdown = page.locator(".countdown-value")
    assert " h " in countdown.inner_text()  # the countdown script ran under the CSP nonce

    clone_command = page.locator("pre.command code").inner_text()
    assert clone_command.startswith("git clone http://127.0.0.1:")
    home = tmp_path / "home"
    git("clone", clone_command.split()[-1], "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    (work / "SOLUTION.md").write_text("done\n")
    git("add", "SOLUTION.md", cwd=work, home=home)
    git("commit", "-m", "Solve it", cwd=work, home=home)
    git("push", "origin", "HEAD:main", cwd=work, home=home)
    head = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()

    page.get_by_label("I used no AI assistant").check()
    page.get_by_label("My work on main is ready").check()
    page.get_by_role("button", name="Submit my work").click()
    status = page.inner_text("#status").lower()
    assert "submitted" in status and head[:12] in status
    assert "you will hear from us by" in status
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
