"""Measured on the demo pipeline (every candidate through the platform's own services, two
reviewers each with strengths, concerns and questions): every rejection names at least one
thing the team liked in words (not just a file and lines) and its one concrete reason, and no
concern or question of a reviewer reaches it."""

from __future__ import annotations

import re
from typing import Any

from reciprocal.cli import main
from reciprocal.demo_pipeline import REMARKS
from reciprocal.extensions import db
from reciprocal.models import Decision
from reciprocal.outcomes import tone
from sqlalchemy import select

# A file and lines, or the composer's generic sentence on a criterion: not the team's words.
_NOT_IN_WORDS = re.compile(r"^- (The code you wrote in|The approach you took in) |"
                           r"it was among the highest-scored|also scored well with every")


def test_every_demo_rejection_says_what_was_liked_in_words(app: Any, redis_url: str) -> None:
    app.config["REDIS_URL"] = redis_url
    seeded = app.test_cli_runner().invoke(main, ["demo"])
    assert seeded.exit_code == 0, seeded.output
    with app.app_context():
        rejections = list(db.session.scalars(select(Decision).where(Decision.outcome == "reject")))
        assert rejections
        for decision in rejections:
            liked = decision.text.split("What the team liked most:\n", 1)[1].split("\n\n", 1)[0]
            items = [line for line in liked.splitlines() if line.startswith("- ")]
            worded = [line for line in items if not _NOT_IN_WORDS.search(line)]
            assert worded, decision.text
            assert "The one reason: this role asks for" in decision.text
            for kind, body in REMARKS:
                if kind != "strength":
                    assert body[:30] not in decision.text
            assert tone.check(decision.text) == []
