"""The assignment library's pages through the Flask test client, on the real database with rows
made by the real services: who may open them, the filters, the figures (candidates, median
time, pass rate) and what an assignment's page shows and keeps back."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from reciprocal.assignments import library
from reciprocal.assignments.operations import version_dir
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import Assignment
from sqlalchemy import event, func, select

from tests.support import factories
from tests.support.library import graded, submitted_after

pytestmark = pytest.mark.postgres  # the figures are aggregate queries


def test_only_recruiters_and_admins_open_the_library(app: Flask, ctx: Flask, auth: Any) -> None:
    factories.library()
    candidate = factories.invitation()
    client = app.test_client()
    for path in ("/library", "/library/customer-directory"):
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], path
    # A candidate holds a link, not an account: their session and their token open no staff
    # page.
    assert client.get(f"/c/{candidate.token}").status_code == 200
    for path in ("/library", "/library/customer-directory"):
        refused = client.get(path, headers={"Authorization": f"Bearer {candidate.token}"})
        assert refused.status_code == 302 and "/login" in refused.headers["Location"], path
    auth.client(client, "reviewer")
    assert client.get("/library").status_code == 403
    assert client.get("/library/customer-directory").status_code == 403
    assert "/library" not in client.get("/queue").text  # no link where it is refused
    for role in ("recruiter", "admin"):
        auth.client(client, role)
        assert client.get("/library").status_code == 200, role
        assert client.get("/library/customer-directory").status_code == 200, role
        assert 'href="/library"' in client.get("/library").text, role
    assert client.get("/library/no-such-assignment").status_code == 404


def test_filters_narrow_the_list_and_count_each_option(app: Flask, ctx: Flask,
                                                        auth: Any) -> None:
    factories.library()
    titles = {a.slug: a.title for a in db.session.scalars(select(Assignment))}
    client = app.test_client()
    auth.client(client, "recruiter")
    everything = client.get("/library").text
    assert all(title in everything for title in titles.values())
    assert f"{len(titles)} assignments." in everything

    python = client.get("/library?stack=python").text  # any technology, any case
    assert "Customer directory" in python and "Access log digest" not in python
    bug_fixes = client.get("/library?kind=bug-fix&cap=2h").text
    assert "Invoicing" in bug_fixes and "Customer directory" not in bug_fixes
    assert "1 of" in bug_fixes and "Reset the filters" in bug_fixes
    # Each option's count is what choosing it would show, the other filters kept.
    assert '<option value="bug-fix" selected>Bug fix (1)</option>' in bug_fixes
    skill = client.get("/library?skill=Testing").text
    assert "Access log digest" in skill and "Invoicing" not in skill

    nothing = client.get("/library?stack=COBOL&kind=greenfield").text
    assert "No assignment matches" in nothing and 'href="/library"' in nothing
    assert '<option value="COBOL" selected>COBOL (0)</option>' in nothing
    # A made-up time cap or kind is no filter at all.
    assert f"{len(titles)} assignments." in client.get("/library?cap=9h&kind=x").text


def test_the_figures_count_candidates_median_time_and_pass_rate(app: Flask, ctx: Flask,
                                                                 auth: Any) -> None:
    factories.library()
    role = factories.role()
    passed = submitted_after(role, 60)
    failed = submitted_after(role, 100)
    timed_out = submitted_after(role, 200)
    submitted_after(role, 140)  # submitted, not graded yet
    factories.started(role=role, email="working@example.com")  # started, not submitted
    factories.invitation(role=role, email="invited@example.com")  # never started
    graded(passed, "passed", 3)
    graded(failed, "failed", 2, 1)
    graded(timed_out, "timed_out", 0)
    # The latest run is the result: a re-grade that passes turns a failure into a pass.
    grading.request_run(failed, requested_by=factories.staff("recruiter"))
    db.session.commit()
    graded(failed, "passed", 3)

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", count)
    figures = library.statistics_by_assignment()
    event.remove(db.engine, "before_cursor_execute", count)
    directory = db.session.scalar(select(Assignment).where(
        Assignment.slug == "customer-directory"))
    stats = figures[directory.id]
    assert len(statements) == 2  # whatever the number of assignments and rows
    assert (stats.started, stats.submitted, stats.graded, stats.passed) == (5, 4, 3, 2)
    assert stats.median_seconds == pytest.approx(120 * 60, abs=60)  # of 60, 100, 140, 200
    assert stats.pass_rate == pytest.approx(2 / 3)
    assert all(a == directory.id for a in figures)  # unused assignments: no row, no figures

    client = app.test_client()
    auth.client(client, "recruiter")
    page = client.get("/library/customer-directory").text
    assert "5 candidates" in page and "<dd>2 h</dd>" in page
    assert "67 %" in page and "of 3 graded" in page
    listing = client.get("/library").text
    others = db.session.scalar(select(func.count(Assignment.id))) - 1
    assert listing.count("Not taken by any candidate yet") == others
    assert listing.count("5 candidates") == 1
    assert "How the figures are counted" in listing


def test_an_assignment_page_shows_what_the_candidate_sees(app: Flask, ctx: Flask,
                                                          auth: Any) -> None:
    factories.library()
    directory = db.session.scalar(select(Assignment).where(
        Assignment.slug == "customer-directory"))
    client = app.test_client()
    auth.client(client, "recruiter")
    page = client.get("/library/customer-directory").text
    assert "The assignment: Customer directory" in page  # the candidate page's own part
    assert "How your work will be evaluated" in page
    for criterion in directory.rubric:
        assert criterion["name"] in page
    assert "<h3>Customer directory</h3>" in page  # the README, rendered
    assert "<pre><code>GET /customers?city=Lisbon" in page
    assert "directory/parser.py" in page and "README.md" in page  # the starter's files
    assert directory.current_version.content_hash[:12] in page
    # Recruiters neither copy nor see the reviewers' test tags or the repository (they are no
    # assignment authors); nothing hidden is listed.
    assert "Use as a starting point" not in page and "Rubric for reviewers" not in page
    assert 'id="authoring"' not in page and "/git/library/" not in page
    assert "tests/test_hidden" not in page and "solution/" not in page

    auth.client(client, "admin")
    admin = client.get("/library/customer-directory").text
    assert "Rubric for reviewers" in admin and "Use as a starting point" in admin
    assert 'action="/library/customer-directory/copy"' in admin
    assert "/git/library/customer-directory.git" in admin
    assert 'href="/library/customer-directory/repository"' in admin
    assert 'name="csrf_token"' in admin and 'name="slug"' in admin and 'name="title"' in admin
    tagged = [tag for c in directory.rubric for tag in c.get("tests", [])]
    assert all(tag in admin for tag in tagged)
    assert 'href="/library/customer-directory"' in client.get("/admin/assignments").text


def test_a_readme_is_escaped_never_passed_through(app: Flask, ctx: Flask, auth: Any) -> None:
    factories.library()
    directory = db.session.scalar(select(Assignment).where(
        Assignment.slug == "customer-directory"))
    readme = version_dir(directory.current_version) / "starter" / "README.md"
    readme.write_text("# Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n")
    client = app.test_client()
    auth.client(client, "recruiter")
    page = client.get("/library/customer-directory").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
