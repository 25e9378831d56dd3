"""Similarity between submissions: the fingerprint index, each submission's check, its matches,
and the requests to a candidate to explain a match (evidence for a person, never a verdict)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow
from .user import User

GLOBAL_SCOPE = 0  # the scope of corpora that apply to every assignment


class SimilarityDocument(Model):
    """One indexed body of code: a submission, an assignment version's reference solution, or
    one named corpus entry. `scope` is the assignment id (GLOBAL_SCOPE for global corpora)."""

    __tablename__ = "similarity_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # submission | solution | corpus | public
    scope: Mapped[int] = mapped_column(index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), unique=True)
    assignment_version_id: Mapped[int | None] = mapped_column(
        # Named here: the convention's name would pass PostgreSQL's 63-character limit.
        # Indexed, not unique: a version has its reference solution and its wrong solution.
        ForeignKey("assignment_versions.id", name="fk_similarity_documents_version"), index=True)
    corpus: Mapped[str | None] = mapped_column(String(100), index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    fingerprint_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SimilarityFingerprint(Model):
    """The inverted index: one winnowed fingerprint of one document, found by (scope, hash)."""

    __tablename__ = "similarity_fingerprints"
    # The document id is in the index so that counting shared hashes per document reads no
    # table rows (similarity.index.shared_counts).
    __table_args__ = (Index("ix_similarity_fingerprints_scope_hash_document", "scope", "hash",
                            "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("similarity_documents.id", ondelete="CASCADE"), index=True)
    scope: Mapped[int]
    hash: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(String(500))
    line_start: Mapped[int]
    line_end: Mapped[int]


class SimilarityHashCount(Model):
    """How many submissions of a scope hold a fingerprint: boilerplate is read from here in one
    lookup per new fingerprint, never by counting the index."""

    __tablename__ = "similarity_hash_counts"

    scope: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    documents: Mapped[int] = mapped_column(default=0)


class SimilarityCheck(Model):
    """One submission's comparison: queued after grading, done once its matches are stored."""

    __tablename__ = "similarity_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued|done|failed
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    threshold: Mapped[float] = mapped_column(Float, default=0.0)
    top_score: Mapped[float] = mapped_column(Float, default=0.0)
    fingerprint_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def flagged(self) -> bool:
        return self.status == "done" and self.top_score >= self.threshold > 0


class SimilarityMatch(Model):
    """A new submission against one earlier document. `score` is the new side's share, and
    `other_score` the other side's, so the pair is listed on both submissions."""

    __tablename__ = "similarity_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    other_document_id: Mapped[int] = mapped_column(
        ForeignKey("similarity_documents.id", ondelete="CASCADE"), index=True)
    other_submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id"), index=True)
    source: Mapped[str] = mapped_column(String(120))  # submission | solution | corpus:<name>
    score: Mapped[float] = mapped_column(Float)
    other_score: Mapped[float] = mapped_column(Float)
    shared: Mapped[int]
    regions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Why the pair is alike (operations.explain): a known solution or not, the shared
    # functions, the share of own code, the share of the shared code common to the cohort.
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExplanationRequest(Model):
    """Staff ask the candidate to explain a match; the candidate answers from the portal."""

    __tablename__ = "similarity_explanations"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id])
