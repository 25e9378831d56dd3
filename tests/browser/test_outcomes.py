"""In real headless Chromium: a recruiter rejects a reviewed candidate, edits the composer's
draft and sends it; the SMTP server (aiosmtpd) receives it; the candidate's portal shows the
outcome and takes their feedback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reciprocal.extensions import db
from reciprocal.models import CandidateFeedback
from rq import Queue, SimpleWorker

from tests.support import factories
from tests.support.apps import LiveServer, make_app
from tests.support.browser import CHROMIUM, FLAGS
from tests.support.outcomes import body_of, reviewed, smtp_server
from tests.support.services import free_port, require


@pytest.mark.browser
def test_recruiter_rejects_edits_sends_and_candidate_answers(
    migrated, tmp_path: Path, redis_url, redis_conn, auth) -> None:
    require(os.path.exists(CHROMIUM), "chromium")
    from playwright.sync_api import sync_playwright

    with smtp_server() as (inbox, smtp_port):
        port = free_port()
        app = make_app(
            migrated,
            tmp_path / "data",
            BASE_URL=f"http://127.0.0.1:{port}",
            REDIS_URL=redis_url,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=smtp_port,
        )
        server = LiveServer(app, port).start()
        mail_queue = Queue("mail", connection=redis_conn)
        try:
            with app.app_context():
                submission, token = reviewed()
                factories.staff("recruiter", "rec@example.com")
                sid = submission.id
                SimpleWorker([mail_queue], connection=redis_conn).work(burst=True)
            assert len(inbox.wait(1)) == 1  # the acknowledgment on submission

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page()
                errors: list[str] = []
                # Console errors (CSP violations, scripts) fail the test; the browser's own
                # favicon probe is a 404 page-level listeners do not see, so responses are
                # checked separately.
                page.on(
                    "console",
                    lambda m: errors.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None,
                )
                page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
                auth.page(page, server.url, "rec@example.com")
                page.goto(f"{server.url}/outcomes/submissions/{sid}/decision")
                page.check("input[name=outcome][value=reject]")
                page.select_option("#reason", "Python HTTP APIs")
                page.click("button:has-text('Draft the message')")
                page.wait_for_selector("#draft")
                draft = page.input_value("#text")
                assert "parse_rows" in draft and "python HTTP APIs" in draft
                edited = draft.replace("With our thanks", "Edited by hand.\n\nWith our thanks")
                page.fill("#text", edited)
                page.click("button:has-text('Send to')")
                page.wait_for_selector("text=on its way")

                with app.app_context():
                    SimpleWorker([mail_queue], connection=redis_conn).work(burst=True)
                arrived = inbox.wait(2)[1]
                assert arrived["To"] == "sam@example.com"
                assert "Edited by hand." in body_of(arrived)
                assert "python HTTP APIs" in body_of(arrived, "html")

                page.goto(f"{server.url}/c/{token}")
                assert page.locator("#outcome").is_visible()
                assert "Edited by hand." in page.inner_text("#outcome")
                for name, value in (("clarity", "5"), ("fairness", "4"), ("time_vs_cap", "3")):
                    page.check(f"input[name={name}][value='{value}']")
                page.fill("textarea[name=text]", "Quick and kind, thank you.")
                page.click("button:has-text('Send feedback')")
                page.wait_for_selector("text=Thank you for telling us how it went.")
                assert not errors, errors
                browser.close()
            with app.app_context():
                rows = db.session.scalars(db.select(CandidateFeedback)).all()
                assert [(r.clarity, r.fairness, r.time_vs_cap, r.text) for r in rows] == [
                    (5, 4, 3, "Quick and kind, thank you.")
                ]
        finally:
            server.stop()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
