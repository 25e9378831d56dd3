"""Similarity against disguise: copies at the six Faidhi-Robinson levels and independent code.

    .venv/bin/python bench/disguise.py [--threshold 0.6]

Originals: the source files of the shipped assignments' solutions (Python, JavaScript,
TypeScript, Go; tests left out), the similarity samples (two independent solutions of one task
per language; the sample starter is left out, being the solution with its bodies removed),
and four Java programs of this bench's own (bench/disguise_samples). Each
original gets one copy per level (bench/disguise_levels.py: L1 comments and layout, L2
identifiers, L3 declarations, L4 method structure, L5 statements, L6 logic, each on top of the
one before). Positives: (original, its copy at level L). Negatives: every pair of files derived
from two different originals of the same language (the originals and their copies).

Two ways of judging a pair, both printed:
- pairwise: the platform's fingerprints and score of the pair alone (the higher direction);
- pipeline: every file a submission of one cohort, arriving one by one in a shuffled order
  through the platform's own `compare_and_index` (the common-code rule, known solutions first,
  the reported matches); a pair is found when a reported match between the two reaches the
  threshold on either side.
Prints recall per level, precision and F1 per level (a level's precision counts its copies found
against every independent pair flagged, as if the cohort held only that level's copies), the
overall precision, ROC-AUC (pairwise), and the median time to compare and index one submission
here (bench/similarity.py gives that time at 2,000 indexed).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from disguise_levels import LEVELS, disguised  # noqa: E402
from reciprocal import create_app  # noqa: E402 - after the path set-up above
from reciprocal.extensions import db  # noqa: E402
from reciprocal.models import SimilarityCheck, SimilarityMatch, Submission  # noqa: E402
from reciprocal.similarity import operations  # noqa: E402
from reciprocal.similarity.confirm import HOLD_SHARE, Confirmation, token_stream  # noqa: E402
from reciprocal.similarity.fingerprints import file_fingerprints, hashes  # noqa: E402
from reciprocal.similarity.languages import grammar_for  # noqa: E402
from reciprocal.similarity.scoring import score  # noqa: E402
from reciprocal.similarity.tiling import Stream, covered, tile  # noqa: E402
from similarity import ASSIGNMENT, genuine, python_files, seed_rows  # noqa: E402

SUFFIXES = {".py": "python", ".js": "javascript", ".ts": "typescript", ".go": "go",
            ".java": "java"}
MIN_FINGERPRINTS = 8  # originals with fewer (an __init__.py, a constant) are left out
Doc = tuple[str, str, str, str]  # language, original's name, level ("L0": original), text


def originals() -> list[tuple[str, str, str]]:
    found = []
    roots = [*sorted((ROOT / "assignments").glob("*/solution")),
             ROOT / "tests" / "unit" / "similarity" / "samples",
             ROOT / "bench" / "disguise_samples"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            language = SUFFIXES.get(path.suffix)
            parts = {p.lower() for p in path.relative_to(root).parts}
            if (language is None or any("test" in p for p in parts) or "node_modules" in parts
                    or path.name.startswith("starter")  # derived from a solution: not independent
                    or path.name.endswith((".test.js", ".spec.ts", ".d.ts"))):
                continue
            text = path.read_text(encoding="utf-8")
            if len(file_fingerprints(path.name, text)) >= MIN_FINGERPRINTS:
                found.append((language, f"{root.parent.name}/{path.name}", text))
    return found


def documents(seed: int) -> list[Doc]:
    docs: list[Doc] = []
    for n, (language, name, text) in enumerate(originals()):
        suffix = next(s for s, lang in SUFFIXES.items() if lang == language)
        docs.append((language, name, "L0", text))
        for level, copy in disguised(f"x{suffix}", text, seed + n).items():
            docs.append((language, name, level, copy))
    return docs


def labelled_pairs(docs: list[Doc]) -> dict[tuple[int, int], str]:
    """(i, j) -> its level for a positive, "independent" for a negative."""
    pairs: dict[tuple[int, int], str] = {}
    for i, j in combinations(range(len(docs)), 2):
        a, b = docs[i], docs[j]
        if a[0] != b[0]:
            continue
        if a[1] != b[1]:
            pairs[(i, j)] = "independent"
        elif "L0" in (a[2], b[2]):
            pairs[(i, j)] = b[2] if a[2] == "L0" else a[2]
    return pairs


def suffix_of(doc: Doc) -> str:
    return next(s for s, lang in SUFFIXES.items() if lang == doc[0])


def pairwise(docs: list[Doc], pairs: dict[tuple[int, int], str]) -> dict[tuple[int, int], float]:
    prints = [hashes(file_fingerprints(f"f{suffix_of(d)}", d[3])) for d in docs]
    return {(i, j): max(score(len(prints[i] & prints[j]), len(prints[i]), len(prints[j])),
                        score(len(prints[i] & prints[j]), len(prints[j]), len(prints[i])))
            for i, j in pairs}


def confirmed(docs: list[Doc], scores: dict[tuple[int, int], float],
              threshold: float) -> dict[tuple[int, int], float]:
    """The pairwise scores after the confirmation: a pair at or above the threshold whose
    greedy-string-tiling coverage (the larger of its two directions) is under HOLD_SHARE of its
    score does not hold up and scores 0."""
    streams: dict[int, Stream] = {}

    def side(n: int) -> Stream:
        if n not in streams:
            streams[n] = token_stream([(f"f{suffix_of(docs[n])}", docs[n][3])])
        return streams[n]

    result = dict(scores)
    for (i, j), value in scores.items():
        if value < threshold:
            continue
        a, b = side(i), side(j)
        coverage = max(len(covered(tile(a, b))) / max(len(a.texts), 1),
                       len(covered(tile(b, a))) / max(len(b.texts), 1))
        if coverage < HOLD_SHARE * value:
            result[(i, j)] = 0.0
    return result


def _confirmation(files: list[tuple[str, str]], starter: list[tuple[str, str]],
                  by_id: dict[int, list[tuple[str, str]]]) -> Confirmation:
    return Confirmation(files, starter, read=lambda doc: by_id.get(doc.submission_id or 0, []))


def pipeline(docs: list[Doc], seed: int,
             threshold: float) -> tuple[dict[tuple[int, int], float], list[float]]:
    """Every document a submission, in a shuffled order, through compare_and_index."""
    data_dir = Path(tempfile.mkdtemp(prefix="reciprocal-bench-disguise-"))
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'bench.db'}"})
    found: dict[tuple[int, int], float] = {}
    times: list[float] = []
    with app.app_context():
        from flask_migrate import upgrade  # the bench's own schema, as `db upgrade` makes it

        upgrade(revision="heads")
        ids = seed_rows(len(docs))
        order = list(range(len(docs)))
        random.Random(seed).shuffle(order)
        doc_of = {ids[slot]: n for slot, n in enumerate(order)}
        by_id = {ids[slot]: [(f"f{suffix_of(docs[n])}", docs[n][3])]
                 for slot, n in enumerate(order)}
        for slot, n in enumerate(order):
            submission = db.session.get(Submission, ids[slot])
            check = SimilarityCheck(submission_id=submission.id, status="queued",
                                    threshold=threshold)
            db.session.add(check)
            db.session.flush()
            prints = file_fingerprints(f"f{suffix_of(docs[n])}", docs[n][3])
            t0 = time.perf_counter()
            operations.compare_and_index(submission, prints, set(), check,
                                         _confirmation(by_id[ids[slot]], [], by_id))
            db.session.commit()
            times.append(time.perf_counter() - t0)
            db.session.expunge_all()
        for match in db.session.scalars(db.select(SimilarityMatch)):
            if match.other_submission_id is None:
                continue
            i, j = sorted((doc_of[match.submission_id], doc_of[match.other_submission_id]))
            found[(i, j)] = max(found.get((i, j), 0.0), match.score, match.other_score)
    return found, times


def one_task(seed: int, genuine_count: int, copied: int, threshold: float) -> None:
    """One task's cohort, as the platform sees it: customer-directory submissions from
    bench/similarity.py's generator (the starter, a random part of the solution, functions of
    their own), and for `copied` of them one later copy at each level; all arrive in a shuffled
    order (a copy after its source) through compare_and_index with the starter removed."""
    rng = random.Random(seed)
    starter_files = python_files(ASSIGNMENT / "starter")
    solution_files = python_files(ASSIGNMENT / "solution")
    cohort: list[tuple[dict[str, str], int | None, str]] = [
        (genuine(rng, starter_files, solution_files), None, "genuine")
        for _ in range(genuine_count)]
    for source in range(copied):
        levels: dict[str, dict[str, str]] = {level: {} for level in LEVELS}
        for path, text in cohort[source][0].items():
            copies = disguised(path, text, seed + source) if path.startswith("directory/") \
                else dict.fromkeys(LEVELS, text)
            for level in LEVELS:
                levels[level][path] = copies[level]
        cohort += [(files, source, level) for level, files in levels.items()]
    order = list(range(genuine_count))
    rng.shuffle(order)
    for n in range(genuine_count, len(cohort)):  # each copy somewhere after its source
        after = order.index(cohort[n][1]) + 1  # type: ignore[arg-type]
        order.insert(rng.randint(after, len(order)), n)
    starter = hashes(p for path, text in starter_files.items()
                     for p in file_fingerprints(path, text))
    data_dir = Path(tempfile.mkdtemp(prefix="reciprocal-bench-disguise-"))
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'bench.db'}"})
    with app.app_context():
        from flask_migrate import upgrade  # the bench's own schema, as `db upgrade` makes it

        upgrade(revision="heads")
        ids = seed_rows(len(cohort))
        doc_of: dict[int, int] = {}
        by_id = {ids[slot]: sorted(cohort[n][0].items()) for slot, n in enumerate(order)}
        for slot, n in enumerate(order):
            submission = db.session.get(Submission, ids[slot])
            doc_of[submission.id] = n
            check = SimilarityCheck(submission_id=submission.id, status="queued",
                                    threshold=threshold)
            db.session.add(check)
            db.session.flush()
            prints = [p for path, text in sorted(cohort[n][0].items())
                      for p in file_fingerprints(path, text)]
            operations.compare_and_index(submission, prints, starter, check, _confirmation(
                by_id[ids[slot]], sorted(starter_files.items()), by_id))
            db.session.commit()
            db.session.expunge_all()
        flagged = {tuple(sorted((doc_of[m.submission_id], doc_of[m.other_submission_id])))
                   for m in db.session.scalars(db.select(SimilarityMatch))
                   if m.other_submission_id and max(m.score, m.other_score) >= threshold}
    false_flags = sum(1 for a, b in flagged if b < genuine_count)
    print(f"\none task (customer-directory, {genuine_count} submissions of their own, "
          f"{copied} of them copied at each level, {len(cohort)} in all, arrival order, "
          f"starter and common-code rule): pairs of two own submissions flagged: {false_flags} "
          f"of {genuine_count * (genuine_count - 1) // 2}")
    for level in LEVELS:
        copies = [n for n in range(genuine_count, len(cohort)) if cohort[n][2] == level]
        found = sum(1 for n in copies if (cohort[n][1], n) in flagged)
        print(f"  {level}: recall {found / len(copies):.2f} ({found} of {len(copies)})")


def auc(positives: list[float], negatives: list[float]) -> float:
    """ROC-AUC as the Mann-Whitney probability that a positive outscores a negative."""
    if not positives or not negatives:
        return float("nan")
    ranked = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        average = (i + j + 1) / 2
        rank_sum += average * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def report(title: str, pairs: dict[tuple[int, int], str], scores: dict[tuple[int, int], float],
           threshold: float, docs: list[Doc]) -> None:
    flagged = {p for p, s in scores.items() if s >= threshold}
    negatives = [p for p, label in pairs.items() if label == "independent"]
    fp = sum(1 for p in negatives if p in flagged)
    print(f"\n{title}: threshold {threshold}, {len(negatives)} independent pairs, "
          f"{fp} flagged ({fp / max(len(negatives), 1):.1%})")
    print(f"{'level':>6} {'pairs':>6} {'recall':>7} {'precision':>10} {'F1':>6} "
          f"{'median score':>13}  missed by language")
    all_tp = 0
    for level in LEVELS:
        positives = [p for p, label in pairs.items() if label == level]
        tp = sum(1 for p in positives if p in flagged)
        all_tp += tp
        recall = tp / len(positives)
        precision = tp / (tp + fp) if tp + fp else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        missed: dict[str, int] = {}
        for p in positives:
            if p not in flagged:
                missed[docs[p[0]][0]] = missed.get(docs[p[0]][0], 0) + 1
        median = statistics.median(scores.get(p, 0.0) for p in positives)
        print(f"{level:>6} {len(positives):>6} {recall:>7.2f} {precision:>10.2f} {f1:>6.2f} "
              f"{median:>13.2f}  {missed or '-'}")
    precision = all_tp / (all_tp + fp) if all_tp + fp else 1.0
    print(f"overall precision {precision:.3f}")
    if title.startswith("pairwise"):
        pos = [scores.get(p, 0.0) for p, label in pairs.items() if label != "independent"]
        neg = [scores.get(p, 0.0) for p in negatives]
        print(f"ROC-AUC {auc(pos, neg):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--genuine", type=int, default=60)
    parser.add_argument("--copied", type=int, default=10)
    parser.add_argument("--one-task-only", action="store_true")
    args = parser.parse_args()
    if args.one_task_only:
        one_task(args.seed, args.genuine, args.copied, args.threshold)
        return
    docs = documents(args.seed)
    pairs = labelled_pairs(docs)
    languages = sorted({d[0] for d in docs})
    print(f"documents: {len(docs)} ({len(docs) // 7} originals x 7) in {', '.join(languages)}; "
          f"grammars: {', '.join(sorted({grammar_for('f' + suffix_of(d)).name for d in docs}))}")
    scores = pairwise(docs, pairs)
    report("pairwise", pairs, scores, args.threshold, docs)
    report("pairwise, confirmed by greedy string tiling", pairs,
           confirmed(docs, scores, args.threshold), args.threshold, docs)
    found, times = pipeline(docs, args.seed, args.threshold)
    report("pipeline (arrival order, common-code rule, reported matches)", pairs, found,
           args.threshold, docs)
    print(f"\ncompare+index one submission at up to {len(docs)} indexed: median "
          f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
    one_task(args.seed, args.genuine, args.copied, args.threshold)


if __name__ == "__main__":
    main()
