"""A candidate's question reaches staff without the asker's name, is answered by mail, and
becomes an answer in the FAQ every candidate reads."""

from __future__ import annotations

from reciprocal.extensions import db
from reciprocal.models import Message

from tests.support import factories


def test_questions_become_faq_without_the_askers_name(client, ctx, auth) -> None:
    asker = factories.started()
    factories.staff("recruiter", "notified@example.com")
    response = client.post(
        f"/c/{asker.token}/questions", data={"body": "May I use <script>sqlite</script>?"}
    )
    assert response.status_code == 302
    notice = db.session.scalar(db.select(Message).where(Message.kind == "staff_digest"))
    assert notice.to == "notified@example.com" and "sqlite" in notice.text
    assert "Sam Candidate" not in notice.text  # blind: the candidate code, not the name
    auth.client(client, "recruiter")
    inbox = client.get("/outcomes/questions").get_data(as_text=True)
    assert "&lt;script&gt;sqlite&lt;/script&gt;" in inbox
    from reciprocal.models import Question

    question = db.session.scalar(db.select(Question))
    client.post(
        f"/outcomes/questions/{question.id}/answer",
        data={"body": "Yes, the standard library is fine.", "for_everyone": "yes"},
    )
    answer_mail = db.session.scalar(db.select(Message).where(Message.kind == "answer"))
    assert answer_mail.to == "sam@example.com" and "standard library" in answer_mail.text
    other = factories.invitation(name="Alex Other", email="alex@example.com")
    page = client.get(f"/c/{other.token}").get_data(as_text=True)
    assert "Yes, the standard library is fine." in page
    assert "Sam Candidate" not in page
