"""How long the report pages take at 10,000 candidates (not part of the test suite).

Seeds a SQLite database with N invitations (default 10,000) straight through the tables: most
accepted and started, 80 % submitted, 60 % scored by two reviewers on four criteria, half
answered (some late), a third with ratings. Then prints the median server time (Flask test
client) of the funnel page, its CSV, the API and the public report uncached, next to a bare
baseline: one `SELECT count(*)` over the invitations.

    .venv/bin/python bench/report_pages.py [--candidates 10000] [--iterations 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from reciprocal import create_app
from reciprocal.extensions import db
from reciprocal.models import (
    CandidateFeedback,
    Decision,
    Invitation,
    Score,
    Scorecard,
    Submission,
    utcnow,
)
from reciprocal.reports import public
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support import factories
from tests.support.auth import post_login

CRITERIA = ("Correctness", "Code design", "Testing", "Communication")
LEVELS = ("mediocre", "good", "great")


def seed(count: int) -> None:
    rng = random.Random(7)
    first = factories.invitation().invitation
    reviewers = [factories.staff("reviewer").id for _ in range(6)]
    now = utcnow()
    invitations, submissions, cards, scores, decisions, ratings = [], [], [], [], [], []
    for n in range(1, count + 1):
        created = now - timedelta(days=rng.uniform(1, 85))
        started = created + timedelta(days=rng.uniform(0.2, 3))
        invitations.append({
            "id": 10_000_000 + n, "role_id": first.role_id, "assignment_id": first.assignment_id,
            "assignment_version_id": first.assignment_version_id,
            "candidate_name": f"Bench {n}", "candidate_email": f"b{n}@example.com",
            "candidate_code": f"B{n:07d}", "token_hash": f"{n:064d}", "time_cap_minutes": 240,
            "created_at": created, "start_by": created + timedelta(days=14),
            "terms_accepted_at": created + timedelta(hours=5), "started_at": started,
            "keep_on_file": False, "notes": ""})
        if n % 5 == 0:
            continue
        submitted = started + timedelta(hours=rng.uniform(1, 5))
        submissions.append({"id": n, "invitation_id": 10_000_000 + n, "commit_sha": "0" * 40,
                            "submitted_at": submitted,
                            "time_used_seconds": rng.randint(60, 300) * 60,
                            "late": False, "via": "portal"})
        if n % 5 in (1, 2, 3):
            for pair, reviewer in enumerate(rng.sample(reviewers, 2)):
                card_id = n * 2 + pair
                cards.append({"id": card_id, "submission_id": n, "reviewer_id": reviewer,
                              "recommendation": "yes", "summary": "", "created_at": submitted,
                              "submitted_at": submitted + timedelta(days=rng.uniform(0.5, 4))})
                scores.extend({"scorecard_id": card_id, "criterion": c,
                               "level": rng.choice(LEVELS), "evidence": ""} for c in CRITERIA)
        if n % 2 == 0 and n % 5 in (1, 2, 3):
            decided = submitted + timedelta(days=rng.uniform(1, 9))
            decisions.append({"submission_id": n, "outcome": rng.choice(("reject", "advance")),
                              "reason": "Python HTTP APIs", "decided_at": decided,
                              "sent_at": decided, "subject": "", "text": "", "html": "",
                              "edited": False, "tone_warnings": [], "cited_flags": []})
        if n % 3 == 0:
            ratings.append({"invitation_id": 10_000_000 + n, "assignment_id": first.assignment_id,
                            "stage": "decision", "clarity": rng.randint(1, 5),
                            "fairness": rng.randint(1, 5), "time_vs_cap": rng.randint(1, 5),
                            "text": "", "created_at": submitted + timedelta(days=2)})
    for model, rows in ((Invitation, invitations), (Submission, submissions),
                        (Scorecard, cards), (Score, scores), (Decision, decisions),
                        (CandidateFeedback, ratings)):
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(model.__table__), rows[start:start + 2000])
    db.session.commit()


def median_ms(fn: Any, iterations: int) -> float:
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reciprocal-bench-"))
    app = create_app({"DATA_DIR": str(tmp / "data"), "SECRET_KEY": "bench", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "WTF_CSRF_ENABLED": False, "PUBLIC_REPORT": True,
                      "PUBLIC_REPORT_CACHE_SECONDS": 3600})
    with app.app_context():
        upgrade(revision="heads")
        seed(args.candidates)
        factories.staff("recruiter", "bench@example.com")
        token = factories.api_token(factories.staff("recruiter", "bench-api@example.com"))
        invited = db.session.scalar(select(func.count(Invitation.id)))
    client = app.test_client()
    assert post_login(client, "bench@example.com").status_code == 302

    def get(path: str, **kwargs: Any) -> None:
        answer = client.get(path, **kwargs)
        assert answer.status_code == 200, (path, answer.status_code)

    def bare() -> None:
        with app.app_context():
            db.session.scalar(select(func.count(Invitation.id)))

    def public_page() -> None:
        public.forget()
        get("/reciprocity.json")

    print(f"{invited} invitations; median of {args.iterations} runs, server time")
    figures = {
        "funnel page": lambda: get("/reports/funnel"),
        "funnel CSV": lambda: get("/reports/funnel.csv"),
        "funnel API": lambda: get("/api/v1/reports/funnel",
                                  headers={"Authorization": f"Bearer {token}"}),
        "public report, uncached": public_page,
        "public report, cached": lambda: get("/reciprocity.json"),
        "baseline: SELECT count(*)": bare,
    }
    for name, fn in figures.items():
        print(f"  {name:28} {median_ms(fn, args.iterations):8.1f} ms")


if __name__ == "__main__":
    main()
