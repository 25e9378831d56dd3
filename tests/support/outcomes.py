"""Building reviewed submissions and a real SMTP server for the outcome tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.models import Submission
from reciprocal.review import operations as review

from tests.support import factories
from tests.support.services import free_port


@dataclass
class Inbox:
    """What arrived at the SMTP server, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.arrived.set()
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def body_of(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return part.get_content()  # type: ignore[no-any-return]


def submitted(**kwargs: Any) -> tuple[Submission, str]:
    """A submitted invitation (the starter commit) and its candidate token."""
    new = factories.started()
    submission = invitations.submit(new.invitation)
    db.session.commit()
    return submission, new.token


def reviewed(**kwargs: Any) -> tuple[Submission, str]:
    """A submission two reviewers commented on and scored (strengths, a question, a concern)."""
    submission, token = submitted()
    first = factories.staff("reviewer")
    second = factories.staff("reviewer")
    recruiter = factories.staff("recruiter")
    for reviewer in (first, second):
        review.assign_reviewer(submission, reviewer, actor=recruiter)
    strength = review.add_comment(
        submission,
        first,
        path="directory/parser.py",
        line_start=1,
        line_end=3,
        kind="strength",
        body="Neat: `parse_rows()` handles the BOM before anything else.",
    )
    review.add_comment(
        submission, second, path="directory/index.py", line_start=2, kind="question",
        body="Why a dict of lists here rather than sorting on read?",
    )
    review.add_comment(
        submission, second, path="directory/index.py", line_start=1, kind="concern",
        body="This is sloppy and would break on duplicates.",
    )
    levels = {
        first.id: {"Correctness": "great", "Code design": "good", "Testing": "mediocre",
                   "Communication": "good"},
        second.id: {"Correctness": "great", "Code design": "great", "Testing": "mediocre",
                    "Communication": "mediocre"},
    }
    for reviewer in (first, second):
        scores = {
            name: review.ScoreInput(level=level, evidence=f"evidence for {name}")
            for name, level in levels[reviewer.id].items()
        }
        if reviewer is first:
            scores["Correctness"] = review.ScoreInput(level="great", comment_id=strength.id)
        review.save_scorecard(submission, reviewer, scores, recommendation="no", submit=True)
    db.session.commit()
    return submission, token
