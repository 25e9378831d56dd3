"""In real headless Chromium: the photographs a run took of the candidate's pages, on the
reviewer's workspace and on the candidate's page, and the environment builds on the admin's
assignments page; every page axe-clean, every picture loaded."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from reciprocal.core import builds

from tests.support import factories
from tests.support import review as rs
from tests.support import screenshots as shots
from tests.support.browser import CHROMIUM, FLAGS, violations
from tests.support.services import require

DESIGN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slots</title>
<style>body{font:16px sans-serif;margin:0}header{background:#1d4ed8;color:#fff;padding:16px}
ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;padding:16px}
li{list-style:none;border:2px solid #1d4ed8;border-radius:8px;padding:12px}</style></head>
<body><header><h1>Choose a delivery slot</h1></header><ul>
<li>Mon 08:00</li><li>Mon 10:00</li><li>Tue 12:00</li><li>Wed 14:00</li></ul></body></html>"""
OUT = Path(os.environ.get("RECIPROCAL_TEST_SCREENSHOTS", "/tmp/reciprocal-page-shots"))


def _photographs(browser: Any) -> list[dict[str, Any]]:
    """The candidate's page as a run photographs it: real PNGs from Chromium at two widths."""
    taken = []
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 700})
        page.set_content(DESIGN)
        taken.append(shots.shot(f"home-{width}", width, page.screenshot(full_page=True)))
        page.close()
    return taken


def _wait_for_pictures(page: Any, count: int, deadline_seconds: float = 30) -> int:
    """How many of the page's photographs loaded, once ``count`` have or the deadline passed
    (the page's CSP allows no string predicate in the page itself, so the test polls)."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        loaded = page.evaluate("Array.from(document.querySelectorAll('ul.shots img'))"
                               ".filter(i => i.complete && i.naturalWidth > 0).length")
        if loaded >= count or time.monotonic() > deadline:
            return int(loaded)
        page.wait_for_timeout(200)


@pytest.mark.browser
def test_photographs_on_the_workspace_the_candidates_page_and_builds_on_the_admin_page(
        live_app: Any, tmp_path: Path, auth: Any, redis_conn: Any) -> None:
    require(os.path.exists(CHROMIUM), "chromium")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        taken = _photographs(browser)
        with live_app.app.app_context():
            sub, token = shots.submitted(tmp_path)
            shots.record_run(sub, taken)
            reviewer = rs.reviewer_on(sub, "rev@example.com")
            sid, email = sub.id, reviewer.email
        builds.record(redis_conn, "reciprocal-env-delivery-slots:0a1b2c3d4e5f", state="built",
                      slug="delivery-slots", worker="worker-1")
        builds.record(redis_conn, "reciprocal-env-room-bookings:9f8e7d6c5b4a", state="failed",
                      slug="room-bookings", worker="worker-2",
                      detail="Step 5/7 : RUN pip install -r /tmp/requirements.txt\n"
                             "ERROR: No matching distribution found for fastapi==0.0.1")

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        auth.page(page, live_app.url, email)
        page.goto(f"{live_app.url}/submissions/{sid}/changes")
        page.wait_for_selector("text=What the candidate built")
        page.locator("ul.shots").scroll_into_view_if_needed()  # the pictures load lazily
        assert _wait_for_pictures(page, 2) == 2
        assert violations(page) == []
        page.locator("aside.tests-aside").screenshot(path=str(OUT / "review-tests-aside.png"))

        candidate = browser.new_page(viewport={"width": 390, "height": 900})
        candidate.goto(f"{live_app.url}/c/{token}")
        candidate.wait_for_selector("text=Your pages, as our tests saw them")
        candidate.locator("ul.shots").scroll_into_view_if_needed()  # the pictures load lazily
        assert _wait_for_pictures(candidate, 2) == 2
        assert violations(candidate) == []
        candidate.locator("#status").screenshot(path=str(OUT / "candidate-status.png"))

        admin = browser.new_page(viewport={"width": 1280, "height": 900})
        auth.page(admin, live_app.url, _admin(live_app))
        admin.goto(f"{live_app.url}/admin/assignments")
        admin.wait_for_selector("#environment-builds")
        admin.click("#environment-builds summary")
        assert admin.locator("#environment-builds").get_by_text(
            "No matching distribution found").is_visible()
        assert violations(admin) == []
        admin.screenshot(path=str(OUT / "admin-assignments.png"))
        browser.close()


def _admin(live_app: Any) -> str:
    with live_app.app.app_context():
        return factories.staff("admin", "admin@example.com").email
