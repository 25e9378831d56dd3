"""An assignment's repository page in headless Chromium, as its author uses it: the pushed
commits' validations (a failed one says at which step and why), a validation's checks and log,
the publish button for the commit that passed, and the admin allowing a recruiter to author.
The worker's part is played through the same functions its HTTP calls reach (the system test
runs the real validation job)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from reciprocal.assignments import authoring, hosting
from reciprocal.extensions import db

from tests.support import factories
from tests.support.browser import violations
from tests.support.gitclient import git
from tests.support.paths import ROOT

SLUG = "customer-directory"


def _finish(validation_id: int, job_id: str, ok: bool) -> None:
    assert authoring.claim(validation_id, job_id) is not None
    authoring.append_log(validation_id, job_id, "09:00:01 running solution (python runner)\n"
                         "09:00:09 solution: failed, 3 passed, 9 failed (8 s)\n")
    authoring.record_result(validation_id, job_id, {"checks": [
        {"name": "environment builds", "ok": True, "detail": "built-in runner"},
        {"name": "solution passes every hidden test", "ok": ok,
         "detail": "12/12 passed in 8 s" if ok else
         "3/12 passed in 8 s\ntest_hidden_api.py::test_cities: AssertionError: [] != ['Oslo']"},
    ], "ids": ["test_hidden_api.py::test_cities"], "environment": None})
    db.session.commit()


def _shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    shutil.copy(tmp_path / name, Path("/tmp") / name)


def test_author_follows_validations_and_publishes(live_app: Any, page: Any, tmp_path: Path,
                                                  auth: Any) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "assignments" / SLUG, library / SLUG,
                    ignore=shutil.ignore_patterns("__pycache__"))
    live_app.app.config["ASSIGNMENTS_DIR"] = library
    with live_app.app.app_context():
        factories.library()
        admin = factories.staff("admin", "admin@example.com")
        factories.staff("recruiter", "rita@example.com")
        token = factories.api_token(admin)
    home, work = tmp_path / "home", tmp_path / "work"
    url = live_app.url.replace("http://", f"http://me:{token}@") + f"/git/library/{SLUG}.git"
    git("clone", "-q", url, "work", cwd=tmp_path, home=home)
    shas = []
    for text in ("Break the reference", "Fix the reference"):
        (work / "NOTES.md").write_text(text + "\n")
        git("add", "-A", cwd=work, home=home)
        git("commit", "-qm", text, cwd=work, home=home)
        git("push", "-q", "origin", "HEAD:draft", cwd=work, home=home)
        shas.append(git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip())
    with live_app.app.app_context():
        row = authoring.repository(SLUG)
        jobs = [(v.id, v.job_id) for v in reversed(authoring.validations_of(row))]
        assert authoring.claim(*jobs[1]) is not None  # the second one is still running

    auth.page(page, live_app.url, "admin@example.com")
    page.goto(f"{live_app.url}/library/{SLUG}/repository")
    assert "git clone" in page.inner_text("body") and "refreshes every 10 seconds" in \
        page.inner_text("#validations")
    with live_app.app.app_context():
        _finish(*jobs[0], ok=False)
    page.goto(f"{live_app.url}/library/{SLUG}/validations/{jobs[0][0]}")
    assert "Failed at: solution passes every hidden test" in page.inner_text("[role=alert]")
    assert "AssertionError: [] != ['Oslo']" in page.inner_text("body")
    assert "running solution" in page.inner_text("body")
    assert not violations(page)
    _shot(page, tmp_path, "authoring-validation.png")

    with live_app.app.app_context():
        _finish(jobs[1][0], jobs[1][1], ok=True)
    page.goto(f"{live_app.url}/library/{SLUG}/repository")
    assert "No validated commit is waiting" not in page.inner_text("#publish")
    assert not violations(page)
    _shot(page, tmp_path, "authoring-repository.png")
    page.get_by_role("button", name=f"Publish {shas[1][:10]} as the live version").click()
    assert "those invited before keep theirs" in page.inner_text("body")
    assert "No validated commit is waiting" in page.inner_text("#publish")
    assert shas[1][:10] in page.inner_text("#publications")
    with live_app.app.app_context():
        assert hosting.head(SLUG) == shas[1]

    page.goto(f"{live_app.url}/library/{SLUG}")
    panel = page.locator("#authoring")
    assert f"/git/library/{SLUG}.git" in panel.inner_text()
    panel.get_by_role("link", name=f"Validations, publishing and history of {SLUG}").click()
    page.wait_for_url(f"**/library/{SLUG}/repository")
    page.goto(f"{live_app.url}/library/{SLUG}")
    page.get_by_label("Slug of the new assignment").fill("Not a slug!")
    page.get_by_label("Slug of the new assignment").evaluate("e => e.removeAttribute('pattern')")
    page.get_by_role("button", name="Use as a starting point").click()
    assert "lowercase letters, digits and dashes" in page.inner_text("body")
    page.wait_for_url(f"**/library/{SLUG}")
    assert not violations(page)
    _shot(page, tmp_path, "authoring-library-assignment.png")

    page.goto(f"{live_app.url}/admin/users")
    page.get_by_role("button", name="Allow rita@example.com to author assignments").click()
    assert "rita@example.com may now author assignments" in page.inner_text("body")
    assert not violations(page)
    _shot(page, tmp_path, "authoring-users.png")
