"""Benchmark of the reviewer's pages on a big submission (not part of the test suite).

Builds a submission of 2,000 files (about 40 MB, some large) through the services, then prints
the median server time (Flask test client) of the file tree page, a 2,000-line file page and the
changes view, and the ratio of the changes view to `git diff --stat` plus `git diff` of the same
two commits run directly.  Usage: .venv/bin/python bench/review_pages.py [iterations]
"""

from __future__ import annotations

import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import git
from flask_migrate import upgrade
from reciprocal import create_app
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git import repos
from reciprocal.review import operations as review
from reciprocal.web.rendering import highlight

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support import factories

FILES = 2000
BIG_FILES = 10
BIG_BYTES = 1_000_000
SMALL_BYTES = 15_000


def build_tree(root: Path) -> None:
    line = "    value = compute(index, 'text')  # padding to look like code\n"
    for n in range(FILES - BIG_FILES - 1):
        folder = root / f"pkg{n % 40:02d}" / f"sub{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        body = f"def f{n}(index):\n" + line * (SMALL_BYTES // len(line))
        (folder / f"mod{n}.py").write_text(body)
    for n in range(BIG_FILES):
        (root / f"data{n}.csv").write_text(f"{n},row,value\n" * (BIG_BYTES // 14))
    (root / "big.py").write_text("".join(f"x{n} = {n}  # line {n}\n" for n in range(2000)))


def median_ms(fn, iterations: int) -> float:
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    tmp = Path(tempfile.mkdtemp(prefix="reciprocal-bench-"))
    app = create_app(
        {
            "DATA_DIR": str(tmp / "data"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(revision="heads")
        new = factories.started()
        tree = tmp / "tree"
        tree.mkdir()
        build_tree(tree)
        repo_path = invitations.storage().path_for(new.invitation.id)
        repos.commit_directory(
            repo_path, tree, "Big submission", author=git.Actor("Bench", "b@example.com")
        )
        sub = invitations.submit(new.invitation)
        reviewer = factories.staff("reviewer", "bench@example.com")
        # Reviewers assign no one: an admin puts the bench reviewer on it.
        review.assign_reviewer(sub, reviewer, actor=factories.staff("admin", "ad@example.com"))
        db.session.commit()
        sid, head, starter = sub.id, sub.commit_sha, sub.invitation.starter_sha
    size = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
    shutil.rmtree(tree)

    client = app.test_client()
    # As serve's web workers do once the app is loaded (gunicorn_conf.post_worker_init):
    # what the set-up made stays out of the cyclic collector's walks.
    gc.collect()
    gc.freeze()
    client.post("/login", data={"email": "bench@example.com", "password": factories.PASSWORD})

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results = {
        "tree page": median_ms(lambda: get(f"/submissions/{sid}/code"), iterations),
        "2,000-line file page": median_ms(
            lambda: get(f"/submissions/{sid}/code/big.py"), iterations
        ),
        "file page, cold cache": median_ms(
            lambda: (
                highlight.highlighted.cache_clear(),
                get(f"/submissions/{sid}/code/big.py"),
            ),
            iterations,
        ),
        "changes view": median_ms(lambda: get(f"/submissions/{sid}/changes"), iterations),
    }

    def raw_git() -> None:
        for args in (["diff", "--stat", starter, head], ["diff", starter, head]):
            subprocess.run(
                ["git", "--git-dir", str(repo_path), *args], check=True, capture_output=True
            )

    baseline = median_ms(raw_git, iterations)
    print(
        f"machine: {platform.platform()}, nproc {os.cpu_count()}, python {sys.version.split()[0]}"
    )
    print(f"submission: {FILES} files, {size / 1e6:.1f} MB, {iterations} iterations (median)")
    for name, value in results.items():
        print(f"  {name:<22} {value:8.1f} ms")
    print(f"  git diff --stat + diff {baseline:8.1f} ms")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"  changes / git ratio    {results['changes view'] / baseline:8.2f}x")


if __name__ == "__main__":
    main()
