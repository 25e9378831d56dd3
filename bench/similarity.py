"""Similarity check: the cost of one new submission as the index grows, and precision/recall.

    .venv/bin/python bench/similarity.py [--submissions 2000] [--database-url URL]

Builds 2,000 synthetic submissions of customer-directory in a fresh database (SQLite in a
temporary data directory by default; PostgreSQL with --database-url, an empty database): each is
the assignment's starter plus a random part of its reference solution's functions (which most
submissions share, as real ones do: the boilerplate rule takes them out) plus a few functions
of its own from a random statement generator. About 5% are planted copies of an earlier
submission with every identifier renamed, functions reordered and comments rewritten
(tests/support/disguise.py). Each submission goes through the platform's own
`similarity.operations.compare_and_index` (index lookup, boilerplate, matches, indexing) and a
commit, exactly what the RQ job does after reading the files from git. Files repeated verbatim
(the starter's) are fingerprinted once.

Prints, at 200 and at 2,000 indexed submissions, the median time to compare and index one new
submission, next to a bare baseline in the same run: comparing the same fingerprints with every
earlier submission's set in memory (what a scan without the index costs; it grows linearly).
Then the precision and recall of the flag (score >= the default threshold, top match = the
planted source) on the planted copies. Tokenizing is timed apart (it does not grow).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT))

from reciprocal import create_app  # noqa: E402 - after the path set-up above
from reciprocal.assignments import operations as assignments  # noqa: E402
from reciprocal.assignments.spec import DEFAULT_SIMILARITY_THRESHOLD  # noqa: E402
from reciprocal.candidates import roles  # noqa: E402
from reciprocal.extensions import db  # noqa: E402
from reciprocal.models import Invitation, SimilarityCheck, Submission  # noqa: E402
from reciprocal.similarity import operations  # noqa: E402
from reciprocal.similarity.confirm import Confirmation  # noqa: E402
from reciprocal.similarity.fingerprints import (  # noqa: E402
    Fingerprint,
    file_fingerprints,
    hashes,
)

from tests.support.disguise import disguise  # noqa: E402

SLUG = "customer-directory"
ASSIGNMENT = ROOT / "assignments" / SLUG
PLANTED_SHARE = 0.05
PROBES = 9  # submissions timed at each size: the median is printed
OPS = ("+", "-", "*", "//", "%")
CMPS = ("<", ">", "==", "!=", "<=", ">=")
BUILTINS = ("len", "sum", "min", "max", "sorted", "abs", "list", "set")


_CACHE: dict[tuple[str, str], list[Fingerprint]] = {}


def fingerprints(files: object) -> list[Fingerprint]:
    """The platform's fingerprints, memoized per file: synthetic submissions repeat the starter's
    files verbatim, and re-lexing them would only time Pygments over again."""
    result: list[Fingerprint] = []
    for path, text in sorted(files):  # type: ignore[call-overload]
        key = (path, text)
        if key not in _CACHE:
            _CACHE[key] = file_fingerprints(path, text)
        result.extend(_CACHE[key])
    return result


def python_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}


def _expr(rng: random.Random, names: list[str], depth: int = 0) -> str:
    pick = rng.random()
    if depth > 1 or pick < 0.3:
        return rng.choice(names) if rng.random() < 0.7 else str(rng.randrange(100))
    if pick < 0.55:
        args = ", ".join(_expr(rng, names, depth + 1) for _ in range(rng.randint(1, 2)))
        return f"{rng.choice(BUILTINS)}([{args}])"
    if pick < 0.7:
        return f"{rng.choice(names)}[{_expr(rng, names, depth + 1)}]"
    return f"({_expr(rng, names, depth + 1)} {rng.choice(OPS)} {_expr(rng, names, depth + 1)})"


def _statements(rng: random.Random, names: list[str], indent: str, count: int,
                depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(count):
        kind = rng.random()
        target = rng.choice(names)
        if depth < 2 and kind < 0.2:
            lines.append(f"{indent}if {_expr(rng, names)} {rng.choice(CMPS)} {_expr(rng, names)}:")
            lines += _statements(rng, names, indent + "    ", rng.randint(1, 3), depth + 1)
            if rng.random() < 0.5:
                lines.append(f"{indent}else:")
                lines += _statements(rng, names, indent + "    ", rng.randint(1, 2), depth + 1)
        elif depth < 2 and kind < 0.35:
            lines.append(f"{indent}for {target} in range({_expr(rng, names)}):")
            lines += _statements(rng, names, indent + "    ", rng.randint(1, 3), depth + 1)
        elif kind < 0.45:
            lines.append(f"{indent}{target}.append({_expr(rng, names)})")
        elif kind < 0.55:
            lines.append(f"{indent}{target} = [{_expr(rng, names)} for {target} in "
                         f"{rng.choice(names)} if {target}]")
        else:
            lines.append(f"{indent}{target} {rng.choice(OPS)}= {_expr(rng, names)}")
    return lines


def own_function(rng: random.Random, number: int) -> str:
    names = [f"v{i}" for i in range(rng.randint(3, 6))]
    body = _statements(rng, names, "    ", rng.randint(5, 10))
    return "\n".join([f"def helper_{number}({', '.join(names[:2])}):", *body,
                      f"    return {_expr(rng, names)}"]) + "\n"


def top_level_blocks(text: str) -> list[str]:
    return ["\n" + block if i else block for i, block in enumerate(text.split("\n\n\n"))]


def genuine(rng: random.Random, starter: dict[str, str], solution: dict[str, str]
            ) -> dict[str, str]:
    files = dict(starter)
    for path, text in solution.items():
        blocks = top_level_blocks(text)
        kept = [b for i, b in enumerate(blocks) if i == 0 or rng.random() < 0.4]
        files[path] = "\n\n".join(kept)
    extra = "\n\n".join(own_function(rng, n) for n in range(rng.randint(4, 8)))
    files["directory/extras.py"] = extra
    return files


def planted(rng: random.Random, source: dict[str, str]) -> dict[str, str]:
    seed = rng.randrange(10**6)
    return {path: disguise(path.rsplit("/", 1)[-1], text, seed=seed) if path.startswith(
        "directory/") else text for path, text in source.items()}


def seed_rows(count: int) -> list[int]:
    """Invitations and submissions as rows (no repositories: the bench feeds fingerprints)."""
    assignments.sync_folder(ASSIGNMENT)
    db.session.commit()
    assignment = assignments.get_by_slug(SLUG)
    role = roles.create_role({"title": "Bench", "team": "Bench", "salary_min": 1,
                              "salary_max": 2, "currency": "EUR", "mission": "Bench",
                              "requirements": ["x"], "stages": ["x"], "response_days": 5})
    db.session.flush()
    now = datetime.now(UTC)
    ids = []
    for n in range(count):
        invitation = Invitation(
            role_id=role.id, assignment_id=assignment.id,
            assignment_version_id=assignment.current_version_id, candidate_name=f"B {n}",
            candidate_email=f"b{n}@example.com", candidate_code=f"B{n:06d}",
            token_hash=os.urandom(16).hex(), time_cap_minutes=60, start_by=now + timedelta(1))
        db.session.add(invitation)
        db.session.flush()
        submission = Submission(invitation_id=invitation.id, commit_sha="0" * 40,
                                time_used_seconds=60)
        db.session.add(submission)
        db.session.flush()
        ids.append(submission.id)
    db.session.commit()
    return ids


def run(total: int, database_url: str | None) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="reciprocal-bench-similarity-"))
    config = {"DATA_DIR": str(data_dir), "SECRET_KEY": "bench",
              "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{data_dir / 'bench.db'}"}
    app = create_app(config)
    with app.app_context():
        from flask_migrate import upgrade  # the bench's own schema, as `db upgrade` makes it

        upgrade(revision="heads")
        rng = random.Random(15)
        starter_files = python_files(ASSIGNMENT / "starter")
        solution_files = python_files(ASSIGNMENT / "solution")
        starter = hashes(fingerprints(starter_files.items()))
        sizes = {200, total}
        ids = seed_rows(total + PROBES)
        memory: list[set[int]] = []
        sources: list[dict[str, str]] = []
        by_id: dict[int, dict[str, str]] = {}
        truth: dict[int, int] = {}  # planted submission index -> its source index
        flagged: dict[int, int | None] = {}
        db_times: dict[int, list[float]] = {size: [] for size in sizes}
        scan_times: dict[int, list[float]] = {size: [] for size in sizes}
        tokenize_times: list[float] = []
        started = time.perf_counter()
        for n in range(total + PROBES):
            probe = next((size for size in sizes if size <= n < size + PROBES), None)
            if n > 20 and rng.random() < PLANTED_SHARE:
                source = rng.randrange(n)
                files = planted(rng, sources[source])
                truth[n] = source
            else:
                files = genuine(rng, starter_files, solution_files)
            t0 = time.perf_counter()
            prints = fingerprints(files.items())
            tokenize_times.append(time.perf_counter() - t0)
            own = hashes(prints) - starter
            t0 = time.perf_counter()
            for other in memory:
                len(own & other) / max(len(own), 1)
            scan = time.perf_counter() - t0
            submission = db.session.get(Submission, ids[n])
            check = SimilarityCheck(submission_id=submission.id, status="queued",
                                    threshold=DEFAULT_SIMILARITY_THRESHOLD)
            db.session.add(check)
            db.session.flush()
            t0 = time.perf_counter()
            # The pairs at or above the threshold are confirmed by greedy string tiling, the
            # other side's files read from memory (the platform reads them from git).
            confirmation = Confirmation(sorted(files.items()), sorted(starter_files.items()),
                                        read=lambda doc: sorted(by_id[doc.submission_id].items())
                                        if doc.submission_id in by_id else [])
            matches = operations.compare_and_index(submission, prints, starter, check,
                                                   confirmation)
            db.session.commit()
            elapsed = time.perf_counter() - t0
            if probe is not None:
                db_times[probe].append(elapsed)
                scan_times[probe].append(scan)
            best = max((m for m in matches if m.other_submission_id), key=lambda m: m.score,
                       default=None)
            if best is not None and best.score >= DEFAULT_SIMILARITY_THRESHOLD:
                flagged[n] = ids.index(best.other_submission_id)
            memory.append(own)
            sources.append(files)
            by_id[ids[n]] = files
            db.session.expunge_all()
            if (n + 1) % 250 == 0:
                print(f"  indexed {n + 1} submissions ({time.perf_counter() - started:.0f} s)",
                      file=sys.stderr)
        report(total, total + PROBES, db_times, scan_times, tokenize_times, truth, flagged,
               db.engine.dialect.name)


def report(total: int, indexed: int, db_times: dict[int, list[float]],
           scan_times: dict[int, list[float]], tokenize_times: list[float],
           truth: dict[int, int], flagged: dict[int, int | None], dialect: str) -> None:
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}, {dialect}")
    print(f"submissions indexed: {indexed} ({len(truth)} planted copies)")
    print(f"tokenize + winnow one submission: median "
          f"{statistics.median(tokenize_times) * 1000:.1f} ms (does not grow with the index)")
    print(f"{'indexed before':>15} {'compare+index (DB)':>20} {'in-memory scan':>16} "
          f"{'ratio':>7}")
    for size in sorted(db_times):
        d, s = statistics.median(db_times[size]), statistics.median(scan_times[size])
        print(f"{size:>15} {d * 1000:>17.1f} ms {s * 1000:>13.2f} ms {d / s if s else 0:>7.1f}")
    small, large = sorted(db_times)
    growth = statistics.median(db_times[large]) / statistics.median(db_times[small])
    print(f"growth of compare+index from {small} to {large}: x{growth:.2f} "
          f"for x{large / small:.0f} submissions")
    tp = sum(1 for n, src in truth.items() if flagged.get(n) == src)
    fp = sum(1 for n, src in flagged.items() if truth.get(n) != src)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / len(truth) if truth else 1.0
    print(f"planted copies: precision {precision:.3f}, recall {recall:.3f} "
          f"(threshold {DEFAULT_SIMILARITY_THRESHOLD}, tp {tp}, fp {fp}, fn {len(truth) - tp})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    run(args.submissions, args.database_url)


if __name__ == "__main__":
    main()
