"""Demo data for `make run`: staff accounts, a role, the assignment library, invitations, and
(reciprocal.demo_pipeline) a pipeline of candidates at every stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from . import demo_pipeline
from .accounts import operations as users
from .assignments import operations as assignments
from .candidates import operations as invitations
from .candidates import roles, self_id
from .extensions import db
from .models import Invitation, Role, SelfIdentification, User

DEMO_PASSWORD = "reciprocal-demo"  # noqa: S105 - printed for the local demo only
DEMO_USERS = (
    ("admin@example.com", "admin", "Ada Admin"),
    ("recruiter@example.com", "recruiter", "Rita Recruiter"),
    ("reviewer@example.com", "reviewer", "Ravi Reviewer"),
    ("reviewer2@example.com", "reviewer", "Rosa Reviewer"),
    ("reviewer3@example.com", "reviewer", "Theo Reviewer"),
)
DEMO_ROLE = {
    "title": "Backend Engineer",
    "team": "Payments Platform",
    "salary_min": 68000,
    "salary_max": 84000,
    "currency": "EUR",
    "mission": "In your first year you will own our customer data services end to end: make "
    "imports from partners reliable, keep the APIs fast, and help two new engineers grow.",
    "requirements": [
        "Demonstrable experience designing HTTP APIs in Python",
        "Experience turning messy real-world data into reliable records",
        "Writing tests that document behaviour",
    ],
    "stages": [
        "Take-home assignment (you choose when to start)",
        "Two engineers review your code",
        "A 60-minute conversation about your code",
        "Meet the team and ask us anything",
        "Decision, with reasons, within 5 business days",
    ],
    "response_days": 5,
}
DEMO_SELF_ID = ("experience", "How many years have you worked as a software engineer?",
                ("Under 3 years", "3 to 10 years", "Over 10 years"))


@dataclass
class DemoReport:
    users: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    pipeline: demo_pipeline.Seeded = field(default_factory=demo_pipeline.Seeded)


def load_demo() -> DemoReport:
    """Idempotent: existing demo rows are kept; new invitation links are made each time."""
    report = DemoReport()
    for email, role, name in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            users.create_user(email, role, DEMO_PASSWORD, name=name)
        report.users.append((email, role))
    assignments.sync_all()
    role = db.session.scalar(select(Role).where(Role.title == DEMO_ROLE["title"]))
    if role is None:
        role = roles.create_role(dict(DEMO_ROLE))
    recruiter = users.get_by_email("recruiter@example.com")
    library = assignments.list_assignments()
    for name, email in (
        ("Sam Candidate", "sam@example.com"),
        ("Alex Candidate", "alex@example.com"),
    ):
        if not library:
            break
        slug = (
            "customer-directory"
            if any(a.slug == "customer-directory" for a in library)
            else library[0].slug
        )
        existing = db.session.scalar(select(Invitation).where(Invitation.candidate_email == email))
        if existing is not None and existing.revoked_at is None:
            new = invitations.reissue_link(existing, actor=recruiter)
        else:
            new = invitations.invite(slug, role.id, name, email, actor=recruiter)
        report.links.append((name, new.portal_url, new.git_url))
    reviewers = [users.get_by_email(email) for email, kind, _ in DEMO_USERS if kind == "reviewer"]
    if role is not None and library:
        report.pipeline = demo_pipeline.seed(role, recruiter, reviewers)
    _self_identification(users.get_by_email("admin@example.com"))
    return report


def _self_identification(admin: User) -> None:
    """One voluntary question, answered by the pipeline's candidates in turn (a demo
    candidate's own page leaves it for them to answer), so the fairness report has figures."""
    key, prompt, options = DEMO_SELF_ID
    if not any(q.key == key for q in self_id.questions()):
        self_id.add_question(key, prompt, "\n".join(options), actor=admin)
    answered = select(SelfIdentification.invitation_id)
    pending = db.session.scalars(
        select(Invitation.id).where(Invitation.candidate_email.like(
            f"%@{demo_pipeline.EMAIL_DOMAIN}"), Invitation.id.not_in(answered))
        .order_by(Invitation.id))
    choices = [*options, self_id.PREFER_NOT]
    for index, invitation_id in enumerate(pending.all()):
        db.session.add(SelfIdentification(invitation_id=invitation_id, question_key=key,
                                          answer=choices[index % len(choices)]))
