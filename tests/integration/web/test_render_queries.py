"""Templates only render: the view fetches what a page shows and passes it in. Rendering any page
of any role, on the demo's data, runs no SQL statement: no template global, context processor or
lazy load reads the database from inside a template."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, render_template_string, template_rendered
from reciprocal.cli import main
from reciprocal.demo import DEMO_PASSWORD
from reciprocal.extensions import db
from reciprocal.models import Submission
from sqlalchemy import event, select, text

from tests.browser.test_accessibility import _pages


@contextmanager
def statements_while_rendering(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement run from the moment render_template asks the context processors for
    the page's context until the template is rendered."""
    found: list[str] = []
    rendering: list[bool] = []
    update_context = app.update_template_context

    def start(context: dict[str, Any]) -> None:
        rendering.append(True)
        update_context(context)

    def stop(_app: Flask, **_extra: Any) -> None:
        rendering.clear()

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if rendering:
            found.append(sql)

    app.update_template_context = start  # type: ignore[method-assign]
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    template_rendered.connect(stop, app)
    try:
        yield found
    finally:
        template_rendered.disconnect(stop, app)
        event.remove(engine, "before_cursor_execute", statement)
        del app.update_template_context


def test_the_counter_sees_a_query_run_while_rendering(app: Flask) -> None:
    with statements_while_rendering(app) as found, app.test_request_context("/"):
        render_template_string("{{ ask() }}", ask=lambda: db.session.execute(text("SELECT 1")))
        render_template_string("{{ 1 }}")
    assert found == ["SELECT 1"]


def every_page(app: Flask) -> dict[str, list[str]]:
    """The accessibility gate's pages of every role, and those it leaves out: the home and
    sign-in pages, a missing page, similarity, the interviewer's feedback, the reviewer's
    questions inbox, and the admin's view of the recruiter's pages."""
    pages = _pages(app)
    with app.app_context():
        submission = db.session.scalar(select(Submission.id).order_by(Submission.id))
    extra = {
        "anonymous": ["/", "/login", "/no-such-page", "/reciprocity"],
        "reviewer@example.com": ["/outcomes/questions", f"/submissions/{submission}/similarity"],
        "recruiter@example.com": [f"/submissions/{submission}/similarity",
                                  f"/outcomes/submissions/{submission}/interviewer-feedback"],
        "admin@example.com": ["/dashboard", "/queue", "/outcomes/pipeline", "/outcomes/health",
                              "/reports/funnel",
                              f"/submissions/{submission}",
                              f"/submissions/{submission}/similarity"],
    }
    for who, paths in extra.items():
        pages.setdefault(who, []).extend(paths)
    return pages


@pytest.fixture
def demo_app(app: Flask, redis_url: str) -> Flask:
    app.config["REDIS_URL"] = redis_url
    app.config["PUBLIC_REPORT"] = True
    seeded = app.test_cli_runner().invoke(main, ["demo"])
    assert seeded.exit_code == 0, seeded.output
    return app


def test_rendering_a_page_runs_no_query(demo_app: Flask) -> None:
    queried: dict[str, list[str]] = {}
    with statements_while_rendering(demo_app) as found:
        for who, paths in every_page(demo_app).items():
            client = demo_app.test_client()
            if who not in ("candidate", "anonymous"):
                signed_in = client.post("/login", data={"email": who, "password": DEMO_PASSWORD})
                assert signed_in.status_code == 302, who
            for path in paths:
                found.clear()
                answer = client.get(path)
                assert answer.status_code == (404 if "no-such" in path else 200), (who, path)
                if found:
                    queried[f"{who} {path}"] = list(found)
    assert not queried, "\n".join(f"{page}: {len(sqls)} statements, first: {sqls[0][:300]}"
                                  for page, sqls in queried.items())
