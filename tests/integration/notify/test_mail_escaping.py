"""Candidate text never reaches a mail's HTML unescaped: the platform's messages are all
templates rendered by notify.templates (tests/unit/notify/test_mail_templates.py renders each with
hostile values), and the one function that stores a message refuses HTML that is not Markup."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup
from reciprocal.extensions import db
from reciprocal.notify import mail
from reciprocal.notify.templates import MESSAGES
from reciprocal.outcomes.composer import DEFAULT_TEMPLATES

from tests.support.paths import ROOT

PLATFORM = ROOT / "platform" / "reciprocal"


def test_html_that_is_not_markup_is_refused(ctx) -> None:
    with pytest.raises(TypeError):
        mail.queue_message("a@example.com", "s", "t", "<p>Eve <script></p>", kind="x")
    stored = mail.queue_message("a@example.com", "s", "t", Markup("<p>{}</p>").format("<b>"),
                                kind="x")
    db.session.commit()
    assert stored.html == "<p>&lt;b&gt;</p>"
    assert mail.queue_message("a@example.com", "s", "t", "", kind="x").html == ""


def test_every_message_the_platform_sends_is_a_rendered_template() -> None:
    """Outside notify/mail.py, messages go through mail.send(kind) (a registered template) or
    are the composer's templates (acknowledgment, decision)."""
    sent: set[str] = set()
    direct: list[str] = []
    for path in PLATFORM.rglob("*.py"):
        source = path.read_text()
        sent |= set(re.findall(r'mail\.send\(\s*"([a-z_]+)"', source))
        if path.name != "mail.py":
            direct += [f"{path.relative_to(PLATFORM)}: {kind}" for kind in re.findall(
                r'queue_message\(.*?kind="([a-z_]+)"', source, re.DOTALL)]
    assert sent and sent <= set(MESSAGES), sent - set(MESSAGES)
    assert set(MESSAGES) <= sent, f"registered but never sent: {set(MESSAGES) - sent}"
    assert sorted(direct) == ["outcomes/operations.py: acknowledgment",
                              "outcomes/operations.py: decision"], direct
    assert "acknowledgment" in DEFAULT_TEMPLATES
