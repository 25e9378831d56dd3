"""Self-identification stays apart from review: on the demo's data, with every candidate's
answer to a question whose options are words found nowhere else, no staff page (every page of
every role the render gate visits, bar the fairness report and the admin's question page) and
no staff API answer about a submission, an invitation or a role carries a question or an
answer."""

from __future__ import annotations

from flask import Flask
from reciprocal.candidates import self_id
from reciprocal.cli import main
from reciprocal.demo import DEMO_PASSWORD, DEMO_SELF_ID
from reciprocal.extensions import db
from reciprocal.models import Invitation, SelfIdentification, Submission, User
from sqlalchemy import select

from tests.integration.web.test_render_queries import every_page
from tests.support import factories

OPTIONS = ("Quokka heritage", "Narwhal lineage")
PROMPT = "Which marsupial-or-whale tradition do you follow?"
APART = ("/reports/fairness", "/admin/self-identification")


def _answered(app: Flask) -> tuple[list[int], list[int], dict[str, str]]:
    """Every invitation answers both the demo's question and ours; (submission ids, invitation
    ids, API tokens by role)."""
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
        self_id.add_question("heritage", PROMPT, "\n".join(OPTIONS), actor=admin)
        invitation_ids = list(db.session.scalars(select(Invitation.id)))
        for index, invitation_id in enumerate(invitation_ids):
            db.session.add(SelfIdentification(invitation_id=invitation_id,
                                              question_key="heritage",
                                              answer=OPTIONS[index % 2]))
        db.session.commit()
        tokens = {email: factories.api_token(db.session.scalar(
            select(User).where(User.email == email)))
            for email in ("admin@example.com", "reviewer@example.com")}
        submissions = list(db.session.scalars(select(Submission.id).order_by(Submission.id)))
    return submissions, invitation_ids, tokens


def _leaks(text: str) -> list[str]:
    words = (*OPTIONS, PROMPT, DEMO_SELF_ID[1], "Quokka", "Narwhal")
    return [word for word in words if word in text]


def test_no_staff_page_or_api_carries_self_identification(app: Flask, redis_url: str) -> None:
    app.config["REDIS_URL"] = redis_url
    seeded = app.test_cli_runner().invoke(main, ["demo"])
    assert seeded.exit_code == 0, seeded.output
    submissions, invitation_ids, tokens = _answered(app)
    found: dict[str, list[str]] = {}
    for who, paths in every_page(app).items():
        if who in ("candidate", "anonymous"):
            continue
        client = app.test_client()
        assert client.post("/login", data={"email": who, "password": DEMO_PASSWORD}
                           ).status_code == 302
        for path in paths:
            if path in APART:
                continue
            answer = client.get(path)
            if words := _leaks(answer.text):
                found[f"{who} {path}"] = words
    client = app.test_client()
    api = ["/api/v1/roles", "/api/v1/extension-requests",
           *(f"/api/v1/invitations/{i}" for i in invitation_ids[:10])]
    for sid in submissions[:8]:
        api += [f"/api/v1/submissions/{sid}{tail}" for tail in (
            "", "/files", "/review", "/interview-kit", "/snippets", "/similarity")]
    for email, token in tokens.items():
        for path in api:
            answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
            if words := _leaks(answer.text):
                found[f"{email} {path}"] = words
    assert not found, found
    with app.app_context():  # the check can see a leak: the answers are in the database
        assert db.session.scalar(select(SelfIdentification.answer).where(
            SelfIdentification.question_key == "heritage")) in OPTIONS
