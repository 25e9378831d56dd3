"""Similarity checks on the database (SQLite here, PostgreSQL with the `postgres` mark): real
submissions committed to real repositories, the check job's function run for each, the index, the
matches in both directions, the API's access rules, corpora, the explain round trip."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from reciprocal.core.errors import Forbidden
from reciprocal.extensions import db
from reciprocal.models import (
    SimilarityCheck,
    SimilarityFingerprint,
    SimilarityMatch,
    Submission,
    User,
)
from reciprocal.models.similarity import GLOBAL_SCOPE
from reciprocal.review import operations as review
from reciprocal.similarity import corpus, explain, index, operations, tasks
from reciprocal.similarity.fingerprints import Fingerprint
from sqlalchemy import func, select

from tests.support import factories
from tests.support.disguise import disguise
from tests.support.similarity import (
    SAMPLES,
    SOLUTION,
    STARTER,
    TOKENS,
    checked,
    copy_of,
    decided_original_and_its_copy,
    match_between,
    renamed,
    submit_tree,
)

# In the PostgreSQL pass: the index is an upsert and its matches are queries over it.
pytestmark = pytest.mark.postgres


def _small_change(tree: Path) -> None:
    target = tree / "directory" / "parser.py"
    target.write_text(target.read_text() + "\n\ndef helper(value):\n    return value.strip()\n")


def _similarity(client: Any, token: str, sub_id: int) -> Any:
    return client.get(f"/api/v1/submissions/{sub_id}/similarity",
                      headers={"Authorization": f"Bearer {token}"})


def test_arenamed_copy_matches_its_original_in_both_directions(app: Any, client: Any,
                                                                tmp_path: Path) -> None:
    with app.app_context():
        original = submit_tree(tmp_path, "Ada Original", copy_of(tmp_path, "a", SOLUTION))
        copy = submit_tree(tmp_path, "Cy Copier", copy_of(tmp_path, "b", SOLUTION, renamed))
        starter = submit_tree(tmp_path, "Sol Starter",
                              copy_of(tmp_path, "c", STARTER, _small_change))
        first = checked(original)
        for sub in (copy, starter):
            checked(sub)
        recruiter = factories.staff("recruiter")
        token = factories.api_token(recruiter)
        ids = original.id, copy.id, starter.id
        original_code = original.invitation.candidate_code
        assert first.threshold == 0.6

    body = _similarity(client, token, ids[1]).get_json()
    assert body["status"] == "done" and body["flagged"] is True
    top = body["matches"][0]
    assert top["source"] in ("submission", "solution") and top["score"] >= 0.8
    by_id = {m["submission_id"]: m for m in body["matches"]}
    assert by_id[ids[0]]["score"] >= 0.8 and by_id[ids[0]]["regions"]
    region = by_id[ids[0]]["regions"][0]
    assert set(region) == {"path", "lines", "other_path", "other_lines"}
    assert region["path"].startswith("directory/") and len(region["lines"]) == 2
    # Confirmed pairwise by greedy string tiling: most of the copy is long shared runs, and
    # the tiles are regions on both sides.
    why = by_id[ids[0]]["explanation"]
    assert why["tiled_coverage"] >= 0.8 and why["min_match"] == 12
    assert why["tiles"][0]["path"].startswith("directory/") and why["tiles"][0]["tokens"] >= 12
    assert "Confirmed by greedy string tiling" in by_id[ids[0]]["why"]
    assert [m["score"] for m in body["matches"]] == sorted(
        (m["score"] for m in body["matches"]), reverse=True)
    # The earlier submission lists the pair too, and is flagged with it.
    earlier = _similarity(client, token, ids[0]).get_json()
    assert any(m["submission_id"] == ids[1] and m["score"] >= 0.8 for m in earlier["matches"])
    assert earlier["flagged"] is True
    # The starter plus a small change: nothing notable against anyone.
    low = _similarity(client, token, ids[2]).get_json()
    assert low["status"] == "done" and low["flagged"] is False
    assert all(m["score"] < 0.1 for m in low["matches"])

    # A reviewer sees only what they are assigned; the other side by candidate code only.
    with app.app_context():
        reviewer = factories.staff("reviewer")
        review.assign_reviewer(db.session.get(Submission, ids[1]), reviewer,
                               actor=factories.staff("recruiter"))
        db.session.commit()
        reviewer_token = factories.api_token(reviewer)
    assert _similarity(client, reviewer_token, ids[0]).status_code == 404
    assert _similarity(client, reviewer_token, 10_000).status_code == 404
    seen = _similarity(client, reviewer_token, ids[1])
    assert seen.status_code == 200
    other = next(m for m in seen.get_json()["matches"] if m["submission_id"] == ids[0])
    assert other["candidate"] == original_code
    assert all(set(t) == {"path", "lines", "other_line_count", "tokens"}
               for t in other["explanation"]["tiles"])
    assert "Ada" not in seen.get_data(as_text=True)


def test_pending_until_the_check_has_run_and_a_regrade_queues_nothing(app: Any, client: Any,
                                                                      tmp_path: Path) -> None:
    with app.app_context():
        sub = submit_tree(tmp_path, "Pat Pending", copy_of(tmp_path, "a", SOLUTION))
        token = factories.api_token(factories.staff("admin"))
        sub_id = sub.id
    assert _similarity(client, token, sub_id).get_json() == {
        "status": "pending", "threshold": None, "flagged": False, "matches": []}
    with app.app_context():
        check = checked(db.session.get(Submission, sub_id))
        operations.on_grading_completed(SimpleNamespace(submission_id=sub_id))  # type: ignore[arg-type]
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SimilarityCheck)) == 1
        assert tasks.check(check.id) == "done"  # idempotent
    assert _similarity(client, token, sub_id).get_json()["status"] == "done"


def test_a_corpus_entry_is_matched_and_shown(app: Any, client: Any, tmp_path: Path, auth) -> None:
    public = tmp_path / "public"
    (public / "gist-1").mkdir(parents=True)
    shutil.copyfile(SAMPLES / "orders_a.py", public / "gist-1" / "orders.py")
    (public / "unrelated.py").write_text((SAMPLES / "orders_b.py").read_text())

    def add_orders(tree: Path) -> None:
        (tree / "directory" / "orders.py").write_text(
            disguise("orders.py", (SAMPLES / "orders_a.py").read_text(), seed=5))

    with app.app_context():
        assert corpus.add("public-gists", public) == 2
        assert corpus.listing() == [("public-gists", 2)]
        sub = submit_tree(tmp_path, "Cora Corpus", copy_of(tmp_path, "s", STARTER, add_orders))
        checked(sub)
        user = factories.staff("recruiter")
        token = factories.api_token(user)
        sub_id, email = sub.id, user.email
    matches = _similarity(client, token, sub_id).get_json()["matches"]
    hit = next(m for m in matches if m["source"] == "corpus:public-gists")
    assert hit["submission_id"] is None and hit["score"] >= 0.8
    assert hit["known_solution"] is True and hit["why"].startswith("Matches a known solution.")
    assert hit["regions"][0]["other_path"] == "orders.py"

    auth.client(client, email)
    page = client.get(f"/submissions/{sub_id}/similarity")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "How to read a match" in html and "public-gists/gist-1" in html
    assert "matches a known solution" in html
    assert 'class="side-by-side"' in html and 'class="marked"' in html


def _compared(tmp_path: Path, name: str, prints: list[Fingerprint]) -> SimilarityCheck:
    sub = submit_tree(tmp_path, name, copy_of(tmp_path, name.split()[0], STARTER))
    check = SimilarityCheck(submission_id=sub.id, status="queued", threshold=0.6)
    db.session.add(check)
    db.session.flush()
    operations.compare_and_index(sub, prints, set(), check)
    db.session.commit()
    return check


def test_boilerplate_is_not_counted_but_a_leaked_solution_always_is(app: Any,
                                                                    tmp_path: Path) -> None:
    """Code in most submissions is boilerplate between them; known solutions are compared
    before that filter, so a leaked one is found however many candidates copied it. And a
    verbatim copy of a short submission scores 1.0 (the floor never exceeds the other side)."""
    with app.app_context():
        common = [Fingerprint(10_000 + i, "common.py", i, i, "solve") for i in range(40)]
        index.add_document("corpus", GLOBAL_SCOPE, common, label="public/leak", corpus="public")
        db.session.commit()
        subs = [_compared(tmp_path, f"Bo{n} Plate", common + [
            Fingerprint(n * 1000 + i, "own.py", i, i) for i in range(30)])
            for n in range(operations.BOILERPLATE_MIN_SUBMISSIONS + 2)]
        # Early submissions match each other on the common code; once it is in most
        # submissions, it is boilerplate and the last one shares nothing with anyone else.
        assert subs[1].top_score > 0.5 and subs[-1].fingerprint_count == 30
        matches = db.session.scalars(select(SimilarityMatch).where(
            SimilarityMatch.submission_id == subs[-1].submission_id)).all()
        assert [(m.source, round(m.score, 2)) for m in matches] == [("corpus:public", 0.57)]
        why = matches[0].explanation
        assert why["known"] is True and why["functions"] == ["solve"]
        assert why["common_share"] == 1.0  # every earlier submission has it
        indexed = db.session.scalar(select(func.count()).select_from(SimilarityFingerprint))
        assert indexed == len(subs) * 70 + 40

        short = [Fingerprint(70_000 + i, "short.py", i, i) for i in range(3)]
        _compared(tmp_path, "Sh0 Ort", short)
        copy = _compared(tmp_path, "Sh1 Ort", short)
        assert copy.top_score == 1.0 and copy.flagged


def test_a_copy_of_the_wrong_solution_matches_it_as_a_known_solution(app: Any,
                                                                     tmp_path: Path) -> None:
    wrong = SOLUTION.parents[1] / "room-bookings" / "wrong"
    with app.app_context():
        sub = submit_tree(tmp_path, "Wr Ong", copy_of(tmp_path, "w", wrong), "room-bookings")
        checked(sub)
        matches = db.session.scalars(select(SimilarityMatch).where(
            SimilarityMatch.submission_id == sub.id).order_by(SimilarityMatch.score.desc())).all()
        docs = index.documents(m.other_document_id for m in matches)
        labels = {docs[m.other_document_id].label.split()[0]: m for m in matches}
        assert set(labels) == {"wrong", "reference"}
        assert labels["wrong"].score == 1.0 and labels["wrong"].explanation["known"] is True


def test_ask_the_candidate_to_explain_and_the_answer_from_the_portal(app: Any, client: Any,
                                                                    tmp_path: Path, auth) -> None:
    with app.app_context():
        sub = submit_tree(tmp_path, "Ex Plain", copy_of(tmp_path, "a", SOLUTION))
        checked(sub)
        recruiter = factories.staff("recruiter")
        reviewer = factories.staff("reviewer")
        sub_id, token, email = sub.id, TOKENS[sub.id], recruiter.email
        with pytest.raises(Forbidden):
            explain.ask(sub, "Why?", actor=reviewer)
        db.session.rollback()
    auth.client(client, email)
    asked = client.post(f"/submissions/{sub_id}/similarity/explain",
                        data={"body": "How did you write the parser?"})
    assert asked.status_code == 302
    client.post("/logout")  # the candidate reads their portal
    portal = client.get(f"/c/{token}").get_data(as_text=True)
    assert "How did you write the parser?" in portal and 'id="explain"' in portal
    with app.app_context():
        request_id = explain.requests_for(db.session.get(Submission, sub_id))[0].id
    answered = client.post(f"/c/{token}/explanations/{request_id}",
                           data={"answer": "I followed the Python csv docs."})
    assert answered.status_code == 302
    again = client.post(f"/c/{token}/explanations/{request_id}", data={"answer": "twice"})
    assert again.status_code == 409
    assert client.post(f"/c/{token}/explanations/{request_id + 99}",
                       data={"answer": "x"}).status_code == 404
    auth.client(client, email)
    page = client.get(f"/submissions/{sub_id}/similarity").get_data(as_text=True)
    assert "I followed the Python csv docs." in page and "The candidate answered" in page


def test_deleting_a_candidates_code_forgets_everything_derived_from_it(app: Any, client: Any,
                                                                       tmp_path: Path) -> None:
    """Fingerprints, boilerplate counts and matches are derived from the code: when the code
    goes (the candidate's request, or the retention period), they go too, and the flags of the
    submissions it matched are recomputed from what remains."""
    from reciprocal.candidates import rights
    from reciprocal.models import SimilarityDocument, SimilarityHashCount, SimilarityMatch

    with app.app_context():
        original = submit_tree(tmp_path, "Ada Original", copy_of(tmp_path, "a", SOLUTION))
        copy = submit_tree(tmp_path, "Cy Copier", copy_of(tmp_path, "b", SOLUTION, renamed))
        for sub in (original, copy):
            checked(sub)
        ids = original.id, copy.id
        copy_document = db.session.scalar(select(SimilarityDocument.id).where(
            SimilarityDocument.submission_id == copy.id))
        counts_before = dict(db.session.execute(
            select(SimilarityHashCount.hash, SimilarityHashCount.documents)).all())
        assert max(counts_before.values()) == 2
        token = factories.api_token(factories.staff("recruiter"))
    assert _similarity(client, token, ids[0]).get_json()["flagged"] is True

    with app.app_context():
        rights.erase_code(db.session.get(Submission, ids[1]).invitation, by="candidate")
        db.session.commit()
        gone = db.session.get(Submission, ids[1])
        assert db.session.scalar(select(SimilarityDocument).where(
            SimilarityDocument.submission_id == gone.id)) is None
        assert db.session.scalar(select(func.count()).select_from(SimilarityMatch).where(
            (SimilarityMatch.submission_id == gone.id)
            | (SimilarityMatch.other_submission_id == gone.id))) == 0
        counts_after = dict(db.session.execute(
            select(SimilarityHashCount.hash, SimilarityHashCount.documents)).all())
        assert max(counts_after.values()) == 1 and len(counts_after) <= len(counts_before)
        assert db.session.scalar(select(func.count()).select_from(SimilarityFingerprint).where(
            SimilarityFingerprint.document_id == copy_document)) == 0

    deleted = _similarity(client, token, ids[1]).get_json()
    assert deleted["matches"] == [] and deleted["flagged"] is False
    # The original matched only the deleted copy and the reference solution it is.
    remaining = _similarity(client, token, ids[0]).get_json()
    assert all(m["submission_id"] != ids[1] for m in remaining["matches"])
    assert remaining["flagged"] is (any(m["score"] >= remaining["threshold"]
                                        for m in remaining["matches"]))


def _only_in(original: Submission, copy_tree: Path, regions: list[dict[str, Any]]) -> set[str]:
    """Words of the original's matched lines that the copy's code does not contain."""
    import re

    copy_text = "\n".join(p.read_text() for p in copy_tree.rglob("*.py"))
    words: set[str] = set()
    for region in regions:
        lines = (SOLUTION / region["other_path"]).read_text().splitlines()
        first, last = region["other_lines"]
        for line in lines[first - 1:last]:
            words |= set(re.findall(r"\b[a-z_]{6,}\b", line))
    return {w for w in words if not re.search(rf"\b{w}\b", copy_text)}


def test_reviewers_see_what_is_shared_never_the_other_candidates_code_or_name(
        app: Any, client: Any, tmp_path: Path, auth) -> None:
    """Whatever the other candidate's state (their decision sent, so reviewers could learn
    their name elsewhere), the page and the API name them by candidate code only; recruiters
    and admins see the other candidate's code side by side, reviewers what is shared, on
    this submission's side only."""
    copy_tree = copy_of(tmp_path, "b", SOLUTION, renamed)
    with app.app_context():
        ids, code = decided_original_and_its_copy(tmp_path, copy_tree)
        tokens = {who: factories.api_token(db.session.scalar(select(User).where(
            User.email == email))) for who, email in (("recruiter", "rita@example.com"),
                                                      ("reviewer", "rev@example.com"))}
        original = db.session.get(Submission, ids[0])

    seen = {who: _similarity(client, token, ids[1]).get_json() for who, token in tokens.items()}
    for who, body in seen.items():
        match = next(m for m in body["matches"] if m["submission_id"] == ids[0])
        assert match["candidate"] == code, who
        assert "Ada" not in str(body) and "Original" not in str(body), who
    by_recruiter = next(m for m in seen["recruiter"]["matches"] if m["submission_id"] == ids[0])
    by_reviewer = next(m for m in seen["reviewer"]["matches"] if m["submission_id"] == ids[0])
    assert set(by_recruiter["regions"][0]) == {"path", "lines", "other_path", "other_lines"}
    assert [set(r) for r in by_reviewer["regions"]] == [
        {"path", "lines", "other_line_count"}] * len(by_recruiter["regions"])
    first = by_recruiter["regions"][0]
    assert by_reviewer["regions"][0]["other_line_count"] == (
        first["other_lines"][1] - first["other_lines"][0] + 1)
    # The reference solution is not a candidate: its side stays visible to reviewers.
    solution = next(m for m in seen["reviewer"]["matches"] if m["source"] == "solution")
    assert "other_path" in solution["regions"][0]

    with app.app_context():
        hidden = _only_in(original, copy_tree, by_recruiter["regions"][:12])
    assert hidden, "the test needs words only the other candidate's code has"
    match_id = match_between(app, ids[1], ids[0])
    pages = {}
    for email in ("rita@example.com", "rev@example.com"):
        auth.client(client, email)
        page = client.get(f"/submissions/{ids[1]}/similarity?match={match_id}")
        assert page.status_code == 200
        pages[email] = page.get_data(as_text=True)
    recruiter_page, reviewer_page = pages["rita@example.com"], pages["rev@example.com"]
    for html in (recruiter_page, reviewer_page):
        assert "Ada" not in html and "Original" not in html and code in html
    assert any(f">{word}<" in recruiter_page for word in hidden)
    assert recruiter_page.count('class="side"') == 2 * min(12, len(by_recruiter["regions"]))
    assert not [word for word in hidden if f">{word}<" in reviewer_page]
    assert reviewer_page.count('class="side"') == min(12, len(by_recruiter["regions"]))
    assert 'class="marked"' in reviewer_page and "shown to recruiters" in reviewer_page
