"""The inverted index of fingerprints in the database (PostgreSQL and SQLite).

A lookup touches only the index entries of the hashes asked for (`ix_similarity_fingerprints_
scope_hash_document`, which holds the document id too, so counting per document reads no table
row), and boilerplate is read from `similarity_hash_counts` (one row per scope and hash), so
comparing a new submission costs in proportion to the fingerprints it shares, not to the number
of submissions indexed. Only the documents reported as matches have their lines read back.
Services only flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import (
    SimilarityDocument,
    SimilarityFingerprint,
    SimilarityHashCount,
    SimilarityMatch,
)
from .fingerprints import Fingerprint

CHUNK = 500  # hashes per IN (...): well under SQLite's variable limit


@dataclass(frozen=True)
class Posting:
    document_id: int
    hash: int
    path: str
    line_start: int
    line_end: int


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(values))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def add_document(kind: str, scope: int, prints: list[Fingerprint], *, label: str = "",
                 submission_id: int | None = None, assignment_version_id: int | None = None,
                 corpus: str | None = None) -> SimilarityDocument:
    """Index one document; a submission also counts towards its scope's boilerplate."""
    document = SimilarityDocument(
        kind=kind, scope=scope, submission_id=submission_id,
        assignment_version_id=assignment_version_id, corpus=corpus, label=label[:300],
        fingerprint_count=len({p.hash for p in prints}),
    )
    db.session.add(document)
    db.session.flush()
    if prints:
        db.session.execute(insert(SimilarityFingerprint), [
            {"document_id": document.id, "scope": scope, "hash": p.hash, "path": p.path[:500],
             "line_start": p.line_start, "line_end": p.line_end}
            for p in prints
        ])
    if kind == "submission":
        _count(scope, {p.hash for p in prints})
    return document


def _count(scope: int, hashes: set[int]) -> None:
    if not hashes:
        return
    dialect = db.session.get_bind().dialect.name
    table = SimilarityHashCount.__table__
    upsert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    statement = upsert.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.hash],
        set_={"documents": table.c.documents + 1},
    )
    rows = [{"scope": scope, "hash": h, "documents": 1} for h in sorted(hashes)]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(statement, rows[start : start + CHUNK])


def submission_count(scope: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(SimilarityDocument).where(
            SimilarityDocument.scope == scope,
            # a submission marked public still counts in its cohort (similarity.public)
            SimilarityDocument.kind.in_(("submission", "public")))
    ) or 0


def document_frequencies(scope: int, hashes: Iterable[int]) -> dict[int, int]:
    """How many submissions of the scope hold each hash (absent: none)."""
    found: dict[int, int] = {}
    for chunk in _chunks(hashes):
        rows = db.session.execute(
            select(SimilarityHashCount.hash, SimilarityHashCount.documents).where(
                SimilarityHashCount.scope == scope, SimilarityHashCount.hash.in_(chunk))
        )
        found.update({h: n for h, n in rows})
    return found


def known_documents(scopes: Iterable[int], kinds: Iterable[str]) -> set[int]:
    """The ids of the documents of these kinds in these scopes (the known solutions: a few)."""
    return set(db.session.scalars(select(SimilarityDocument.id).where(
        SimilarityDocument.scope.in_(sorted(set(scopes))),
        SimilarityDocument.kind.in_(sorted(set(kinds))))))


def shared_counts(scopes: Iterable[int], hashes: Iterable[int],
                  only: set[int] | None = None) -> dict[int, int]:
    """How many of these hashes each document of these scopes holds (only the documents in
    `only` when given), counted by the database (one row per document back, not one per
    occurrence: the occurrences of a hash common to many submissions are what grows with the
    index)."""
    if only is not None and not only:
        return {}
    scope_list = sorted(set(scopes))
    fp = SimilarityFingerprint
    counts: dict[int, int] = {}
    for chunk in _chunks(hashes):  # the chunks split the hashes: their counts add up
        query = (select(fp.document_id, func.count(fp.hash.distinct()))
                 .where(fp.scope.in_(scope_list), fp.hash.in_(chunk)))
        if only is not None:
            query = query.where(fp.document_id.in_(sorted(only)))
        rows = db.session.execute(query.group_by(fp.document_id))
        for document_id, count in rows:
            counts[document_id] = counts.get(document_id, 0) + count
    return counts


def postings(document_ids: Iterable[int], hashes: Iterable[int]) -> list[Posting]:
    """Every occurrence of these hashes in these documents (the matched regions' lines)."""
    wanted = sorted(set(document_ids))
    if not wanted:
        return []
    found: list[Posting] = []
    fp = SimilarityFingerprint
    for chunk in _chunks(hashes):
        query = select(fp.document_id, fp.hash, fp.path, fp.line_start, fp.line_end).where(
            fp.document_id.in_(wanted), fp.hash.in_(chunk))
        found.extend(Posting(*row) for row in db.session.execute(query))
    return found


def documents(ids: Iterable[int]) -> dict[int, SimilarityDocument]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session.scalars(select(SimilarityDocument).where(SimilarityDocument.id.in_(wanted)))
    return {d.id: d for d in rows}


def document_for_submission(submission_id: int) -> SimilarityDocument | None:
    return db.session.scalar(
        select(SimilarityDocument).where(SimilarityDocument.submission_id == submission_id))


def document_for_solution(version_id: int) -> SimilarityDocument | None:
    return db.session.scalar(select(SimilarityDocument).where(
        SimilarityDocument.assignment_version_id == version_id).order_by(
            SimilarityDocument.id).limit(1))


def drop_documents(ids: list[int]) -> None:
    """Remove documents with their fingerprints and the matches that point at them. Explicit
    deletes: SQLite enforces ON DELETE CASCADE only with its foreign-key pragma on."""
    if not ids:
        return
    db.session.execute(delete(SimilarityMatch).where(SimilarityMatch.other_document_id.in_(ids)))
    db.session.execute(delete(SimilarityFingerprint).where(
        SimilarityFingerprint.document_id.in_(ids)))
    db.session.execute(delete(SimilarityDocument).where(SimilarityDocument.id.in_(ids)))


def drop_submission_document(submission_id: int) -> list[int]:
    """Forget one submission's code: its document and fingerprints, the matches that point at
    it, and its share of the scope's boilerplate counts. Returns the submissions whose matches
    pointed at it (their scores are recomputed by the caller)."""
    document = document_for_submission(submission_id)
    if document is None:
        return []
    fp, counts = SimilarityFingerprint, SimilarityHashCount.__table__
    hashes = set(db.session.scalars(select(fp.hash).where(fp.document_id == document.id)))
    for chunk in _chunks(hashes):
        db.session.execute(
            update(counts).where(counts.c.scope == document.scope, counts.c.hash.in_(chunk))
            .values(documents=counts.c.documents - 1))
    db.session.execute(delete(counts).where(counts.c.scope == document.scope,
                                            counts.c.documents <= 0))
    affected = sorted(set(db.session.scalars(select(SimilarityMatch.submission_id).where(
        SimilarityMatch.other_document_id == document.id))))
    drop_documents([document.id])
    return affected


def drop_corpus(name: str) -> int:
    ids = list(db.session.scalars(
        select(SimilarityDocument.id).where(SimilarityDocument.corpus == name)))
    drop_documents(ids)
    return len(ids)
