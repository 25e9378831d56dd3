"""The funnel report and the public reciprocity report in real Chromium: axe-core finds no
serious or critical violation, the charts are drawn, and a screenshot of each is kept in the
test's temporary directory for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reciprocal.reports import public

from tests.support import factories, report_fixture
from tests.support.browser import violations


def test_funnel_and_public_report_pages(live_app: Any, page: Any, auth: Any,
                                        tmp_path: Path) -> None:
    with live_app.app.app_context():
        history = report_fixture.build()
        factories.staff("recruiter", "reports@example.com")
        role_id = history["role"].id
    public.forget()
    live_app.app.config.update(PUBLIC_REPORT=True, PUBLIC_REPORT_MIN_COUNT=1,
                               PUBLIC_REPORT_COMPANY="Acme")
    page.set_viewport_size({"width": 1100, "height": 900})
    auth.page(page, live_app.url, "reports@example.com")
    answer = page.goto(f"{live_app.url}/reports/funnel?start=2026-11-01&end=2026-11-30"
                       f"&role={role_id}")
    assert answer is not None and answer.status == 200
    assert page.locator("svg.chart").count() == 4
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "funnel.png"), full_page=True)
    page.select_option("#role", "")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    assert "role=&" in page.url
    assert "Data Engineer" in page.locator("table").nth(1).inner_text()
    answer = page.goto(f"{live_app.url}/reciprocity")
    assert answer is not None and answer.status == 200
    assert page.locator("h1").inner_text() == "How Acme treats candidates"
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "reciprocity.png"), full_page=True)
    public.forget()
