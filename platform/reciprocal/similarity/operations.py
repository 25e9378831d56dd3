"""Comparing a new submission with everything indexed before it, and storing what matched.

After grading, `on_grading_completed` queues one check per submission (queue `similarity`). The
job reads the submission's files from the object database (never checked out, never run),
fingerprints them and removes the starter's fingerprints. It compares what is left with the known
solutions first (the reference solutions and the admin's corpora), before the common-code
filter, so a leaked solution is found however many candidates copied it; then removes the
assignment's boilerplate (code found in more than BOILERPLATE_SHARE of the submissions) and
compares the rest with the earlier submissions of every version of the assignment. It stores one
match per document it shares code with, each with why (`reasons`), then indexes the submission
for the ones after it. Services only flush; the job commits.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from ..assignments.operations import version_dir
from ..assignments.spec import DEFAULT_SIMILARITY_THRESHOLD, AssignmentInvalid, load_spec
from ..core.queue_names import SIMILARITY
from ..core.queues import enqueue_after_commit
from ..core.reconcile import requeue_lost
from ..extensions import db
from ..models import (
    GradingRun,
    SimilarityCheck,
    SimilarityDocument,
    SimilarityMatch,
    Submission,
    utcnow,
)
from ..models.similarity import GLOBAL_SCOPE
from . import index
from .confirm import Confirmation
from .fingerprints import Fingerprint, fingerprints
from .reasons import KNOWN_KINDS, common_hashes, explanation
from .scoring import MIN_FINGERPRINTS, Pair, regions, score
from .texts import folder_files, submission_files

log = logging.getLogger(__name__)
JOB_TIMEOUT = 600
BOILERPLATE_SHARE = 0.3  # a fingerprint in more than this share of submissions is boilerplate
BOILERPLATE_MIN_SUBMISSIONS = 10  # below this, no fingerprint counts as boilerplate
MIN_REPORTED_SCORE = 0.05  # smaller overlaps are noise and not stored
MAX_MATCHES = 20
PAIRS_PER_HASH = 4  # region pairs kept per shared hash (a repeated line would multiply them)


def on_grading_completed(run: GradingRun, **_: object) -> None:
    """Receiver of `grading_completed`: one check per submission, queued after the commit. A
    regrade finds the check already there and queues nothing."""
    existing = db.session.scalar(
        select(SimilarityCheck).where(SimilarityCheck.submission_id == run.submission_id))
    if existing is not None:
        return
    check = SimilarityCheck(submission_id=run.submission_id, status="queued")
    db.session.add(check)
    db.session.flush()
    queue_check(check)


def queue_check(check: SimilarityCheck) -> None:
    check.rq_job_id = f"similarity-{check.id}-{int(utcnow().timestamp())}"
    enqueue_after_commit(SIMILARITY, "reciprocal.similarity.tasks.check", check.id,
                         job_id=check.rq_job_id, timeout=JOB_TIMEOUT)


def reconcile(older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Give a fresh job to queued checks whose job was lost (Redis down at commit, a worker
    killed); run by the maintenance process."""
    waiting = select(SimilarityCheck).where(
        SimilarityCheck.status == "queued", SimilarityCheck.queued_at < utcnow() - older_than)
    return requeue_lost(waiting, queue_check)


def threshold_for(folder: Path) -> float:
    try:
        return load_spec(folder).similarity_threshold
    except AssignmentInvalid:
        return DEFAULT_SIMILARITY_THRESHOLD


KNOWN_FOLDERS = (("solution", "reference solution"), ("wrong", "wrong solution"))


def _solution_document(submission: Submission, starter: set[int]) -> None:
    """Index the reference solution of the submission's version, and its wrong solution when
    it has one, once, on first use: both are known solutions (compared before the
    common-code rule)."""
    version = submission.invitation.assignment_version
    if index.document_for_solution(version.id) is not None:
        return
    for folder, label in KNOWN_FOLDERS:
        root = version_dir(version) / folder
        if folder != "solution" and not root.is_dir():
            continue
        prints = [p for p in fingerprints(folder_files(root)) if p.hash not in starter]
        index.add_document("solution", submission.invitation.assignment_id, prints,
                           label=f"{label} {version.content_hash[:12]}",
                           assignment_version_id=version.id)


def run_check(check_id: int) -> SimilarityCheck | None:
    """The job's work; idempotent (a check that is done is left alone)."""
    check = db.session.get(SimilarityCheck, check_id)
    if check is None or check.status == "done":
        return check
    submission = db.session.get(Submission, check.submission_id)
    assert submission is not None  # the foreign key guarantees it
    invitation = submission.invitation
    folder = version_dir(invitation.assignment_version)
    check.threshold = threshold_for(folder)
    files = submission_files(submission)
    starter_files = folder_files(folder / "starter")
    starter = {p.hash for p in fingerprints(starter_files)}
    _solution_document(submission, starter)
    compare_and_index(submission, fingerprints(files), starter, check,
                      Confirmation(files, starter_files))
    return check


def compare_and_index(submission: Submission, prints: list[Fingerprint], starter: set[int],
                      check: SimilarityCheck,
                      confirmation: Confirmation | None = None) -> list[SimilarityMatch]:
    """Compare one submission's fingerprints with the index, store its matches, then index it.
    Split from run_check so the benchmark and tests can feed fingerprints directly; with a
    `confirmation` (the files), the matches at or above the threshold are confirmed by greedy
    string tiling and those that do not hold up are dropped (`confirm`)."""
    scope = submission.invitation.assignment_id
    own_prints = [p for p in prints if p.hash not in starter]
    every = {p.hash for p in own_prints}
    earlier = index.submission_count(scope)
    frequencies = index.document_frequencies(scope, every) if earlier else {}
    own = set(every)
    if earlier >= BOILERPLATE_MIN_SUBMISSIONS:
        limit = BOILERPLATE_SHARE * earlier
        own -= {h for h, n in frequencies.items() if n > limit}
    previous = index.document_for_submission(submission.id)
    if previous is not None:  # a check run again after a crash between index and commit
        index.drop_documents([previous.id])
    known = index.known_documents((scope, GLOBAL_SCOPE), KNOWN_KINDS)
    common = common_hashes(frequencies, earlier)
    # Known solutions first, with every fingerprint of the candidate's own: no common-code rule.
    matches = _matches(submission, own_prints, every, index.shared_counts(
        (scope, GLOBAL_SCOPE), every, only=known), common)
    others = {d: n for d, n in index.shared_counts((scope, GLOBAL_SCOPE), own).items()
              if d not in known}
    matches += _matches(submission, own_prints, own, others, common)
    if confirmation is not None:
        matches = confirmation.apply(matches, check.threshold)
    index.add_document("submission", scope, own_prints, submission_id=submission.id,
                       label=submission.invitation.candidate_code)
    check.status = "done"
    check.fingerprint_count = len(own)
    check.top_score = max([check.top_score] + [m.score for m in matches])
    check.finished_at = utcnow()
    check.error = ""
    _raise_others(matches)
    db.session.flush()
    return matches


def _matches(submission: Submission, own_prints: list[Fingerprint], own: set[int],
             counts: dict[int, int], common: set[int] | None) -> list[SimilarityMatch]:
    """The documents sharing the most of `own`, scored from counts the database made; only
    the reported ones (at most MAX_MATCHES, score >= MIN_REPORTED_SCORE) have their shared
    lines read back, to build the matched regions and say why they are alike."""
    if not own or not counts:
        return []
    sizes: dict[int, int | None] = dict.fromkeys(counts)
    if len(own) < MIN_FINGERPRINTS:  # a small submission: the other side's size matters
        sizes.update({d: doc.fingerprint_count for d, doc in index.documents(counts).items()})
    scored = sorted(((score(n, len(own), sizes[doc_id]), doc_id)
                     for doc_id, n in counts.items()), reverse=True)
    reported = [(value, doc_id) for value, doc_id in scored[:MAX_MATCHES]
                if value >= MIN_REPORTED_SCORE]
    if not reported:
        return []
    by_hash: dict[int, list[Fingerprint]] = defaultdict(list)
    for p in own_prints:
        if p.hash in own:
            by_hash[p.hash].append(p)
    pairs: dict[int, list[Pair]] = defaultdict(list)
    shared: dict[int, set[int]] = defaultdict(set)
    for posting in index.postings([doc_id for _value, doc_id in reported], own):
        shared[posting.document_id].add(posting.hash)
        for mine in by_hash[posting.hash][:PAIRS_PER_HASH]:
            pairs[posting.document_id].append(
                (mine.path, mine.line_start, mine.line_end,
                 posting.path, posting.line_start, posting.line_end))
    docs = index.documents(doc_id for _value, doc_id in reported)
    matches = []
    for value, doc_id in reported:
        doc = docs[doc_id]
        match = SimilarityMatch(
            submission_id=submission.id, other_document_id=doc_id,
            other_submission_id=doc.submission_id, source=source_of(doc), score=value,
            other_score=score(counts[doc_id], doc.fingerprint_count, len(own)),
            shared=counts[doc_id],
            regions=[r.as_json() for r in regions(pairs[doc_id])],
            explanation=explanation(doc.kind, shared[doc_id], own_prints, value, common),
        )
        db.session.add(match)
        matches.append(match)
    return matches


def source_of(doc: SimilarityDocument) -> str:
    return f"corpus:{doc.corpus}" if doc.kind == "corpus" else doc.kind


def _raise_others(matches: list[SimilarityMatch]) -> None:
    """The earlier submission of a pair shows the match too: its top score rises with it."""
    ids = {m.other_submission_id: m.other_score for m in matches if m.other_submission_id}
    if not ids:
        return
    for other in db.session.scalars(
            select(SimilarityCheck).where(SimilarityCheck.submission_id.in_(ids))):
        other.top_score = max(other.top_score, ids[other.submission_id])


def forget_submission(submission: Submission) -> None:
    """The candidate's code was deleted (at their request or after the retention period), so
    nothing derived from it stays: its fingerprints and boilerplate counts, its own matches,
    and other submissions' matches against it. The others' top scores, and so their flags, are
    recomputed from what remains; this submission's check says why it has no matches."""
    earlier = set(db.session.scalars(select(SimilarityMatch.other_submission_id).where(
        SimilarityMatch.submission_id == submission.id,
        SimilarityMatch.other_submission_id.is_not(None))))
    later = index.drop_submission_document(submission.id)
    db.session.execute(delete(SimilarityMatch).where(
        SimilarityMatch.submission_id == submission.id))
    own = db.session.scalar(select(SimilarityCheck).where(
        SimilarityCheck.submission_id == submission.id))
    if own is not None:
        own.top_score, own.fingerprint_count = 0.0, 0
        own.error = "the candidate's code was deleted, and with it what was compared"
    for check in db.session.scalars(select(SimilarityCheck).where(
            SimilarityCheck.submission_id.in_(earlier | set(later)))):
        check.top_score = _top_score(check.submission_id)


def _top_score(submission_id: int) -> float:
    """The highest share of a submission in any of its matches, in either direction."""
    as_new = db.session.scalar(select(func.max(SimilarityMatch.score))
                               .where(SimilarityMatch.submission_id == submission_id))
    as_other = db.session.scalar(select(func.max(SimilarityMatch.other_score))
                                 .where(SimilarityMatch.other_submission_id == submission_id))
    return max(as_new or 0.0, as_other or 0.0)
