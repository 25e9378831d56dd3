"""Messages to candidates: stored first, then sent over SMTP by a job on the `mail` queue.

Without RECIPROCAL_SMTP_HOST a message goes to the outbox (status `outbox`) that admins read in
the UI: never dropped. A failed send is recorded (status `failed`, the error, the attempt count)
and retried by RQ with backoff; admins can also retry from the outbox.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from flask import current_app
from markupsafe import Markup
from rq import Retry
from sqlalchemy import select

from ..core import audit, queues
from ..core.errors import Conflict, NotFound
from ..core.reconcile import requeue_lost
from ..extensions import db
from ..models import Message, User, utcnow
from . import templates

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = [30, 120, 600, 1800]
SMTP_TIMEOUT = 20


class MailDeliveryFailed(Exception):
    """Raised by the job so that RQ schedules the next attempt."""


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send(kind: str, to: str, *, invitation_id: int | None = None, **context: Any) -> Message:
    """Render the platform's message `kind` (notify.templates.MESSAGES) and queue it."""
    subject, text, html = templates.render(templates.MESSAGES[kind], context)
    return queue_message(to, subject, text, html, kind=kind, invitation_id=invitation_id)


def queue_message(
    to: str, subject: str, text: str, html: Markup | str, *, kind: str,
    invitation_id: int | None = None,
) -> Message:
    """Store a message and schedule its sending after the commit (or keep it in the outbox).

    An HTML part must be Markup (what notify.templates renders, or built from escaped parts):
    a plain string is refused, so candidate text cannot reach a mail's HTML unescaped."""
    if html and not isinstance(html, Markup):
        raise TypeError("a message's HTML part must be Markup: render it with notify.templates")
    message = Message(
        to=to,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        invitation_id=invitation_id,
        status="queued" if smtp_configured() else "outbox",
    )
    db.session.add(message)
    db.session.flush()
    if message.status == "queued":
        _schedule(message)
    return message


def _schedule(message: Message) -> None:
    message.rq_job_id = f"mail-{message.id}-{message.attempts}"
    queues.enqueue_after_commit(
        queues.MAIL,
        "reciprocal.notify.tasks.send_message",
        message.id,
        job_id=message.rq_job_id,
        timeout=SMTP_TIMEOUT * 3,
        retry=Retry(max=MAX_ATTEMPTS - 1, interval=BACKOFF_SECONDS),
    )


def reconcile(older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Re-enqueue queued messages whose job was lost (Redis down at commit or restarted)."""
    waiting = select(Message).where(
        Message.status == "queued", Message.created_at < utcnow() - older_than
    )
    return requeue_lost(waiting, _schedule)


def build_email(message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"reciprocal-{message.id}")
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    return email


def deliver(message_id: int) -> Message:
    """One attempt to send over SMTP; records the outcome on the row (the caller commits)."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(f"no message {message_id}")
    if message.status == "sent":
        return message
    if not smtp_configured():
        message.status = "outbox"
        return message
    cfg = current_app.config
    message.attempts += 1
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=SMTP_TIMEOUT) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(build_email(message))
    except (OSError, smtplib.SMTPException) as exc:
        message.status = "failed"
        message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        return message
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = ""
    return message


def retry(message: Message, *, actor: User) -> Message:
    """Send a failed or outbox message again now (for example after SMTP was configured)."""
    if message.status == "sent":
        raise Conflict("this message was already sent")
    if not smtp_configured():
        raise Conflict("no SMTP server is configured: the message stays in the outbox")
    message.status = "queued"
    _schedule(message)
    audit.record("message.retried", actor=actor, subject=message)
    return message


def get(message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(f"no message {message_id}")
    return message


def listing(limit: int = 200) -> list[Message]:
    return list(
        db.session.scalars(select(Message).order_by(Message.id.desc()).limit(limit))
    )

