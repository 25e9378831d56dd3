"""Reads of the similarity domain: a submission's check and its matches seen from its side.

A pair is stored once, on the newer submission; the older one lists it too, with the other
side's score and the regions turned round."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..core.errors import NotFound
from ..extensions import db
from ..models import (
    Invitation,
    SimilarityCheck,
    SimilarityDocument,
    SimilarityMatch,
    Submission,
    User,
)
from ..review.queries import privileged
from .reasons import sentence


@dataclass(frozen=True)
class MatchView:
    id: int
    source: str
    score: float
    shared: int
    regions: list[dict[str, Any]]
    other_submission: Submission | None
    other_document: SimilarityDocument
    explanation: dict[str, Any]

    @property
    def why(self) -> str:
        return sentence(self.explanation)


def label(match: MatchView) -> str:
    """What the other side of a match is called: another submission by its candidate code only
    (never a name, whoever looks and whatever that candidate's state), the reference
    solution, or the corpus entry."""
    if match.other_submission is not None:
        code = match.other_submission.invitation.candidate_code
        return f"{code} (known public)" if match.other_document.kind == "public" else code
    if match.source == "solution":
        return "Wrong solution" if match.other_document.label.startswith("wrong") \
            else "Reference solution"
    return match.other_document.label


def shows_other_code(match: MatchView, viewer: User) -> bool:
    """Another candidate's code is for recruiters and admins; a reviewer reads what is shared
    from this submission's side. The reference solution and corpora are nobody's."""
    return match.other_submission is None or privileged(viewer)


def explanation_for(match: MatchView, viewer: User) -> dict[str, Any]:
    """The stored explanation, its tiles' side in another candidate's code only for those who
    may read that code."""
    why = match.explanation
    if not why.get("tiles") or shows_other_code(match, viewer):
        return why
    return {**why, "tiles": [{**region_for(match, t, viewer), "tokens": t.get("tokens")}
                             for t in why["tiles"]]}


def region_for(match: MatchView, region: dict[str, Any], viewer: User) -> dict[str, Any]:
    """A matched region as this viewer may see it: where it is in the other candidate's code
    only for those who may read that code, otherwise how long it is there."""
    if shows_other_code(match, viewer):
        return region
    first, last = region["other_lines"]
    return {"path": region["path"], "lines": region["lines"], "other_line_count": last - first + 1}


def check_for(submission: Submission) -> SimilarityCheck | None:
    return db.session.scalar(
        select(SimilarityCheck).where(SimilarityCheck.submission_id == submission.id))


def _turned(regions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"path": r["other_path"], "lines": r["other_lines"], "other_path": r["path"],
             "other_lines": r["lines"]} for r in regions]


def _turned_why(match: SimilarityMatch) -> dict[str, Any]:
    """The older side's reasons: its share and the cohort's; the functions named are the
    newer submission's, so they are not repeated here."""
    why = match.explanation or {}
    if not why:
        return {}
    return {"known": False, "functions": [], "own_share": match.other_score,
            "common_share": why.get("common_share")}


def matches_for(submission: Submission) -> list[MatchView]:
    """Every match of this submission, in either direction, highest score first."""
    rows = db.session.scalars(
        select(SimilarityMatch).where(or_(SimilarityMatch.submission_id == submission.id,
                                          SimilarityMatch.other_submission_id == submission.id))
    ).all()
    newer_ids = {m.submission_id for m in rows if m.submission_id != submission.id}
    other_ids = {m.other_submission_id for m in rows if m.other_submission_id} | newer_ids
    others = {s.id: s for s in db.session.scalars(
        select(Submission).options(selectinload(Submission.invitation).selectinload(
            Invitation.assignment)).where(Submission.id.in_(other_ids)))}
    own_docs = {d.submission_id: d for d in db.session.scalars(
        select(SimilarityDocument).where(SimilarityDocument.submission_id.in_(newer_ids)))}
    docs = {d.id: d for d in db.session.scalars(select(SimilarityDocument).where(
        SimilarityDocument.id.in_({m.other_document_id for m in rows})))}
    views = []
    for m in rows:
        if m.submission_id == submission.id:
            other = others.get(m.other_submission_id) if m.other_submission_id else None
            views.append(MatchView(m.id, m.source, m.score, m.shared, m.regions, other,
                                   docs[m.other_document_id], m.explanation or {}))
        elif m.submission_id in own_docs:
            views.append(MatchView(m.id, "submission", m.other_score, m.shared,
                                   _turned(m.regions), others.get(m.submission_id),
                                   own_docs[m.submission_id], _turned_why(m)))
    return sorted(views, key=lambda v: (-v.score, v.id))


def match_for(submission: Submission, match_id: int) -> MatchView:
    for view in matches_for(submission):
        if view.id == match_id:
            return view
    raise NotFound(f"no match {match_id} for this submission")


def flagged(submission_ids: Iterable[int]) -> dict[int, SimilarityCheck]:
    """The checks above their threshold among these submissions (for badges, one query)."""
    ids = sorted(set(submission_ids))
    if not ids:
        return {}
    rows = db.session.scalars(select(SimilarityCheck).where(
        SimilarityCheck.submission_id.in_(ids), SimilarityCheck.status == "done"))
    return {c.submission_id: c for c in rows if c.flagged}
