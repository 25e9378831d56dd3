"""Assignments authored as code, with the app served on loopback, the real git client, Redis and
the database: seeding from the folder, who may clone and push, pushes queued for validation,
the worker API's hold on a validation, publishing refused until a commit passed, copies. The
validation job itself (Docker) runs in tests/system/test_assignment_authoring.py."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import requests
from reciprocal.assignments import authoring, hosting
from reciprocal.assignments import operations as library
from reciprocal.extensions import db
from reciprocal.models import (
    AssignmentPublication,
    AssignmentRepository,
    AssignmentValidation,
)
from rq.job import Job

from tests.support import factories
from tests.support.gitclient import git
from tests.support.paths import ROOT

SLUG = "customer-directory"
WORKER = {"Authorization": "Bearer test-worker-token-" + "x" * 20}


def _seeded(live_app: Any, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The library synced from a folder of one assignment; tokens of an admin, a reviewer and
    a recruiter an admin allowed to author."""
    root = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments" / SLUG, root / SLUG,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with live_app.app.app_context():
        report = library.sync_all(root)
        db.session.commit()
        assert report.added == [SLUG]
        author = factories.staff("recruiter", "author@example.com")
        author.can_author_assignments = True
        db.session.commit()
        tokens = {"admin": factories.api_token(factories.staff("admin")),
                  "reviewer": factories.api_token(factories.staff("reviewer")),
                  "author": factories.api_token(author)}
    return root, tokens


def _url(live_app: Any, token: str) -> str:
    return live_app.url.replace("http://", f"http://me:{token}@") + f"/git/library/{SLUG}.git"


def _commit_change(work: Path, home: Path, text: str) -> str:
    readme = work / "starter" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    git("commit", "-qam", text, cwd=work, home=home)
    return git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()


def _finish(live_app: Any, validation_id: int, job_id: str, ok: bool) -> None:
    """What a worker reports, through the worker API (the job's own run is the system test's)."""
    base = f"{live_app.url}/api/v1/worker/assignment-validations/{validation_id}"
    assert requests.post(f"{base}/claim", json={"job_id": job_id}, headers=WORKER,
                         timeout=30).status_code == 200
    checks = [{"name": "environment builds", "ok": True, "detail": "built-in runner"},
              {"name": "solution passes every hidden test", "ok": ok,
               "detail": "12/12 passed" if ok else "3/12 passed\ntest_x: AssertionError"}]
    posted = requests.post(f"{base}/result", headers=WORKER, timeout=30, json={
        "job_id": job_id, "result": {"checks": checks, "ids": ["a::b"], "environment": None}})
    assert posted.status_code == 200, posted.text


def test_sync_seeds_the_repository_and_leaves_it_alone_once_published(live_app: Any,
                                                                     tmp_path: Path) -> None:
    root, tokens = _seeded(live_app, tmp_path)
    with live_app.app.app_context():
        first = hosting.head(SLUG)
        assert first is not None and hosting.log(SLUG)[0].title.startswith("Sync")
        assert library.sync_all(root).unchanged == [SLUG]
        assert hosting.head(SLUG) == first  # the same content: no new commit
        (root / SLUG / "starter" / "NOTES.md").write_text("A note.\n")
        assert library.sync_all(root).updated == [SLUG]
        db.session.commit()
        assert hosting.is_ancestor(SLUG, first, hosting.head(SLUG) or "")
        assert db.session.query(AssignmentPublication).filter_by(via="sync").count() == 2

    home, work = tmp_path / "home", tmp_path / "work"
    git("clone", "-q", _url(live_app, tokens["admin"]), "work", cwd=tmp_path, home=home)
    pushed = _commit_change(work, home, "Published from git.")
    git("push", "-q", "origin", "HEAD:draft", cwd=work, home=home)
    with live_app.app.app_context():
        validation = db.session.query(AssignmentValidation).one()
        job = (validation.id, validation.job_id)
    _finish(live_app, *job, ok=True)
    published = requests.post(f"{live_app.url}/api/v1/assignments/{SLUG}/publish",
                              headers={"Authorization": f"Bearer {tokens['author']}"},
                              json={"commit": pushed}, timeout=60)
    assert published.status_code == 200, published.text
    with live_app.app.app_context():
        assert db.session.query(AssignmentRepository).one().managed_by == "git"
        report = library.sync_all(root)
        db.session.commit()
        assert report.managed_in_git == [SLUG] and hosting.head(SLUG) == pushed
        assert "Published from git." in (
            library.version_dir(library.get_by_slug(SLUG).current_version)  # type: ignore[arg-type]
            / "starter" / "README.md").read_text()


def test_only_authors_clone_and_main_only_moves_by_publishing(live_app: Any, tmp_path: Path,
                                                             redis_conn: Any) -> None:
    _root, tokens = _seeded(live_app, tmp_path)
    refs = f"{live_app.url}/git/library/{SLUG}.git/info/refs?service=git-upload-pack"
    anonymous = requests.get(refs, timeout=30)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith(
        "Basic")
    assert requests.get(refs, auth=("me", "rcp_not-a-token"), timeout=30).status_code == 401
    assert requests.get(refs, auth=("me", tokens["reviewer"]), timeout=30).status_code == 403
    assert requests.get(f"{live_app.url}/git/library/nope.git/info/refs?service=git-upload-pack",
                        auth=("me", tokens["admin"]), timeout=30).status_code == 404
    assert requests.get(f"{live_app.url}/api/v1/assignments/{SLUG}/validations",
                        headers={"Authorization": f"Bearer {tokens['reviewer']}"},
                        timeout=30).status_code == 403

    home, work = tmp_path / "home", tmp_path / "work"
    git("clone", "-q", _url(live_app, tokens["author"]), "work", cwd=tmp_path, home=home)
    assert (work / "tests").is_dir() and (work / "solution").is_dir()
    sha = _commit_change(work, home, "Clarify the CSV columns.")
    refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)
    assert refused.returncode != 0 and "only publishing moves it" in refused.stderr
    pushed = git("push", "origin", "HEAD:draft", cwd=work, home=home)
    assert "Validation starts now" in pushed.stderr

    with live_app.app.app_context():
        validation = db.session.query(AssignmentValidation).one()
        assert (validation.commit_sha, validation.ref, validation.status) == (sha, "draft",
                                                                              "queued")
        assert validation.requested_by.email == "author@example.com"
        job = Job.fetch(validation.job_id, connection=redis_conn)
        assert job.origin == "grading" and job.args == (validation.id, validation.job_id)
        job_id, validation_id = validation.job_id, validation.id
    # Pushing the same commit to another branch validates it once.
    git("push", "-q", "origin", "HEAD:another", cwd=work, home=home)
    with live_app.app.app_context():
        assert db.session.query(AssignmentValidation).count() == 1

    # The worker API serves the commit's files only to the job that claimed the validation.
    base = f"{live_app.url}/api/v1/worker/assignment-validations/{validation_id}"
    assert requests.get(f"{base}/content", headers={**WORKER, "X-Reciprocal-Job": job_id},
                        timeout=30).status_code == 404
    assert requests.post(f"{base}/claim", json={"job_id": "other"}, headers=WORKER,
                         timeout=30).status_code == 409
    assert requests.post(f"{base}/claim", json={"job_id": job_id}, timeout=30).status_code == 401
    assert requests.post(f"{base}/claim", json={"job_id": job_id}, headers=WORKER,
                         timeout=30).status_code == 200
    content = requests.get(f"{base}/content", headers={**WORKER, "X-Reciprocal-Job": job_id},
                           timeout=30)
    assert content.status_code == 200 and content.content[:2] == b"\x1f\x8b"


def test_publishing_needs_a_passed_validation_that_builds_on_main(live_app: Any,
                                                                  tmp_path: Path) -> None:
    _root, tokens = _seeded(live_app, tmp_path)
    bearer = {"Authorization": f"Bearer {tokens['author']}"}
    publish = f"{live_app.url}/api/v1/assignments/{SLUG}/publish"
    home, work = tmp_path / "home", tmp_path / "work"
    git("clone", "-q", _url(live_app, tokens["author"]), "work", cwd=tmp_path, home=home)
    live = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()

    broken = _commit_change(work, home, "Break it.")
    git("push", "-q", "origin", "HEAD:draft", cwd=work, home=home)
    queued = requests.post(publish, headers=bearer, json={"commit": broken}, timeout=30)
    assert queued.status_code == 409 and "queued" in queued.json()["error"]
    with live_app.app.app_context():
        validation = db.session.query(AssignmentValidation).one()
        job = (validation.id, validation.job_id)
    _finish(live_app, *job, ok=False)
    refused = requests.post(publish, headers=bearer, json={"commit": broken}, timeout=30)
    assert refused.status_code == 409 and "failed" in refused.json()["error"]
    shown = requests.get(f"{live_app.url}/api/v1/assignments/{SLUG}/validations/{job[0]}",
                         headers=bearer, timeout=30).json()
    assert shown["failing_step"] == "solution passes every hidden test"
    assert "test_x: AssertionError" in shown["failing_output"]
    assert requests.post(publish, headers=bearer, json={}, timeout=30).status_code == 409
    assert requests.post(publish, headers=bearer, json={"commit": "not a sha"},
                         timeout=30).status_code == 422
    assert requests.post(publish, headers={"Authorization": f"Bearer {tokens['reviewer']}"},
                         json={"commit": broken}, timeout=30).status_code == 403

    # A passed commit that does not build on the live version is refused too.
    git("checkout", "-q", "--orphan", "rewrite", cwd=work, home=home)
    git("commit", "-qm", "Unrelated history", cwd=work, home=home)
    orphan = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
    git("push", "-q", "origin", "HEAD:rewrite", cwd=work, home=home)
    with live_app.app.app_context():
        row = db.session.query(AssignmentValidation).filter_by(commit_sha=orphan).one()
        job = (row.id, row.job_id)
    _finish(live_app, *job, ok=True)
    diverged = requests.post(publish, headers=bearer, json={"commit": orphan}, timeout=30)
    assert diverged.status_code == 409 and "does not build on the live version" in \
        diverged.json()["error"]
    with live_app.app.app_context():
        assert hosting.head(SLUG) == live
        assert authoring.publications_of(authoring.repository(SLUG))[0].via == "sync"


def test_a_copy_is_a_new_repository_on_a_draft_branch(live_app: Any, tmp_path: Path) -> None:
    _root, tokens = _seeded(live_app, tmp_path)
    copy = f"{live_app.url}/api/v1/assignments/{SLUG}/copy"
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    made = requests.post(copy, headers=admin, timeout=60,
                         json={"slug": "acme-directory", "title": 'Acme "directory"'})
    assert made.status_code == 201, made.text
    assert made.json()["validation"]["ref"] == "draft"
    assert requests.post(copy, headers=admin, json={"slug": "acme-directory", "title": "X"},
                         timeout=30).status_code == 409
    assert requests.post(copy, headers=admin, json={"slug": "Not A Slug", "title": "X"},
                         timeout=30).status_code == 422
    assert requests.post(copy, headers={"Authorization": f"Bearer {tokens['reviewer']}"},
                         json={"slug": "other-copy", "title": "X"}, timeout=30).status_code == 403
    with live_app.app.app_context():
        assert hosting.head("acme-directory") is None  # nothing live until published
        assert set(hosting.branches("acme-directory")) == {"draft"}
        row = authoring.repository("acme-directory")
        assert row.copied_from == SLUG
        with __import__("tempfile").TemporaryDirectory() as tmp:
            folder = hosting.checkout("acme-directory", hosting.branches("acme-directory")[
                "draft"], Path(tmp))
            toml = (folder / "assignment.toml").read_text()
        assert 'slug = "acme-directory"' in toml and 'title = "Acme \\"directory\\""' in toml
    listed = requests.get(f"{live_app.url}/api/v1/assignments", headers=admin, timeout=30)
    assert "acme-directory" not in [a["slug"] for a in listed.json()]


def test_an_operator_publishes_from_the_command_line(live_app: Any, tmp_path: Path) -> None:
    from reciprocal.cli import main

    _root, tokens = _seeded(live_app, tmp_path)
    runner = live_app.app.test_cli_runner()
    nothing = runner.invoke(main, ["assignments", "publish", SLUG])
    assert nothing.exit_code != 0 and "no validated commit waiting" in nothing.output
    home, work = tmp_path / "home", tmp_path / "work"
    git("clone", "-q", _url(live_app, tokens["admin"]), "work", cwd=tmp_path, home=home)
    sha = _commit_change(work, home, "A clearer brief.")
    git("push", "-q", "origin", "HEAD:draft", cwd=work, home=home)
    with live_app.app.app_context():
        validation = db.session.query(AssignmentValidation).one()
        job = (validation.id, validation.job_id)
    _finish(live_app, *job, ok=True)
    done = runner.invoke(main, ["assignments", "publish", SLUG])
    assert done.exit_code == 0, done.output
    assert f"published {SLUG} at {sha[:12]}" in done.output
    with live_app.app.app_context():
        assert hosting.head(SLUG) == sha
        latest = authoring.publications_of(authoring.repository(SLUG))[0]
        assert latest.via == "publish" and latest.published_by is None  # an operator


def test_a_validation_whose_job_was_lost_is_queued_again(live_app: Any, tmp_path: Path,
                                                         redis_conn: Any) -> None:
    from datetime import timedelta

    _root, tokens = _seeded(live_app, tmp_path)
    home, work = tmp_path / "home", tmp_path / "work"
    git("clone", "-q", _url(live_app, tokens["admin"]), "work", cwd=tmp_path, home=home)
    _commit_change(work, home, "Lost on the way.")
    git("push", "-q", "origin", "HEAD:draft", cwd=work, home=home)
    with live_app.app.app_context():
        validation = db.session.query(AssignmentValidation).one()
        lost = validation.job_id
        Job.fetch(lost, connection=redis_conn).delete()  # Redis lost it
        assert authoring.reconcile(older_than=timedelta(0)) == [validation.id]
        db.session.commit()
        assert validation.job_id != lost and validation.status == "queued"
        assert Job.fetch(validation.job_id, connection=redis_conn).args == (validation.id,
                                                                            validation.job_id)
        assert authoring.reconcile(older_than=timedelta(0)) == []  # its job is there now
