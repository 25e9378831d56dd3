"""Bad input in the candidate journey gets a clear error and loses nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from reciprocal.candidates import operations as invitations
from reciprocal.core import tokens
from reciprocal.core.errors import (
    AlreadyStarted,
    AlreadySubmitted,
    InvalidToken,
    InvitationExpired,
    InvitationRevoked,
    NotStarted,
    TermsNotAccepted,
)
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, utcnow
from reciprocal.outcomes import promises

from tests.support import factories

# In the PostgreSQL pass: the journey's state changes take row locks (a double start or submit).
pytestmark = pytest.mark.postgres


def test_token_is_unguessable_and_stored_hashed(ctx) -> None:
    new = factories.invitation()
    assert len(new.token) >= 43  # 32 random bytes, URL-safe base64
    assert new.invitation.token_hash == tokens.hash_token(new.token)
    assert new.token not in new.invitation.token_hash
    assert invitations.by_token(new.token).id == new.invitation.id


@pytest.mark.parametrize("bad", ["", "short", "A" * 43, "../../etc/passwd" + "x" * 40])
def test_wrong_token_is_refused(ctx, bad: str) -> None:
    factories.invitation()
    with pytest.raises(InvalidToken, match="not valid"):
        invitations.by_token(bad)


def test_revoked_token_is_refused(ctx) -> None:
    new = factories.invitation()
    invitations.revoke(new.invitation, actor=factories.staff("recruiter"))
    with pytest.raises(InvitationRevoked):
        invitations.by_token(new.token)


def test_reissued_link_replaces_the_old_one(ctx) -> None:
    new = factories.invitation()
    again = invitations.reissue_link(new.invitation, actor=factories.staff("recruiter"))
    with pytest.raises(InvalidToken):
        invitations.by_token(new.token)
    assert invitations.by_token(again.token).id == new.invitation.id


def test_start_needs_the_terms_first(ctx) -> None:
    new = factories.invitation()
    with pytest.raises(TermsNotAccepted, match="accept the ownership terms"):
        invitations.start(new.invitation)
    assert new.invitation.started_at is None


def test_expired_invitation_cannot_start(ctx) -> None:
    new = factories.invitation()
    invitations.accept_terms(new.invitation)
    new.invitation.start_by = utcnow() - timedelta(minutes=1)
    with pytest.raises(InvitationExpired, match="expired"):
        invitations.start(new.invitation)
    assert new.invitation.status == "expired"


def test_double_start_keeps_the_first_clock(ctx) -> None:
    new = factories.started()
    first_deadline = new.invitation.deadline_at
    with pytest.raises(AlreadyStarted):
        invitations.start(new.invitation)
    assert new.invitation.deadline_at == first_deadline


def test_submit_before_start_and_twice(ctx) -> None:
    new = factories.invitation()
    invitations.accept_terms(new.invitation)
    with pytest.raises(NotStarted):
        invitations.submit(new.invitation)
    invitations.start(new.invitation)
    submission = invitations.submit(new.invitation)
    db.session.commit()
    with pytest.raises(AlreadySubmitted):
        invitations.submit(new.invitation)
    assert new.invitation.submission.id == submission.id


def test_start_creates_repo_from_starter_with_ownership_terms(ctx) -> None:
    new = factories.started()
    invitation = new.invitation
    assert invitation.deadline_at - invitation.started_at == timedelta(
        minutes=invitation.time_cap_minutes
    )
    path = invitations.storage().path_for(invitation.id)
    import git

    repo = git.Repo(path)
    tree = repo.commit("refs/heads/main").tree
    names = {blob.path for blob in tree.traverse()}
    assert "OWNERSHIP.md" in names and "README.md" in names
    ownership = (tree / "OWNERSHIP.md").data_stream.read().decode()
    assert "You own the code" in ownership and invitation.role.title in ownership
    config = repo.config_reader()
    assert config.get_value("receive", "fsckObjects") is True
    assert config.get_value("http", "getanyfile") is False


def test_submission_records_time_used_and_lateness(ctx) -> None:
    new = factories.started()
    new.invitation.started_at = utcnow() - timedelta(hours=4)
    new.invitation.deadline_at = utcnow() - timedelta(hours=1)
    submission = invitations.submit(new.invitation)
    assert submission.late is True
    assert 4 * 3600 - 5 <= submission.time_used_seconds <= 4 * 3600 + 5
    assert promises.expected_answer_by(submission) > submission.submitted_at


def test_every_step_is_in_the_audit_log(ctx) -> None:
    new = factories.started()
    invitations.submit(new.invitation)
    db.session.commit()
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    for action in ("invitation.created", "candidate.accepted_terms", "candidate.started",
                   "candidate.submitted"):
        assert action in actions
    for event in db.session.query(AuditEvent):
        assert new.token not in str(event.details)


def test_business_days_skip_weekends(ctx) -> None:
    new = factories.started()
    submission = invitations.submit(new.invitation)
    from datetime import UTC, datetime

    submission.submitted_at = datetime(2026, 11, 20, 12, tzinfo=UTC)  # a Friday
    assert promises.expected_answer_by(submission).date().isoformat() == "2026-11-27"
