"""The assignment library over the API, and authoring it as code: validations of pushed
commits, publishing a validated one, copying an assignment as a starting point. Authoring
routes need an admin's token or one of staff an admin allowed to author."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ...assignments import authoring, copies, hosting
from ...assignments import operations as assignments
from ...extensions import db
from .blueprint import api_user, body, bp


@bp.get("/assignments")
def list_assignments() -> Any:
    return jsonify([assignments.serialise(a) for a in assignments.list_assignments()])


def _repository(slug: str) -> Any:
    authoring.require_author(api_user())
    return authoring.repository(slug)


@bp.get("/assignments/<slug>/repository")
def assignment_repository(slug: str) -> Any:
    row = _repository(slug)
    candidate = authoring.publishable(row)
    return jsonify({
        "slug": slug,
        "clone_url": authoring.clone_url(slug),
        "live_commit": hosting.head(slug),
        "branches": hosting.branches(slug),
        "publishable_commit": candidate.commit_sha if candidate else None,
        "copied_from": row.copied_from,
    })


@bp.get("/assignments/<slug>/validations")
def assignment_validations(slug: str) -> Any:
    row = _repository(slug)
    return jsonify([authoring.serialise_validation(v) for v in authoring.validations_of(row)])


@bp.post("/assignments/<slug>/validations")
def assignment_validation_request(slug: str) -> Any:
    """Validate a commit again (after the platform failed to finish, for example)."""
    row = _repository(slug)
    commit = str(body().get("commit", ""))
    validation = authoring.request_validation(row, commit, by=api_user())
    db.session.commit()
    return jsonify(authoring.serialise_validation(validation, full=True)), 202


@bp.get("/assignments/<slug>/validations/<int:validation_id>")
def assignment_validation(slug: str, validation_id: int) -> Any:
    row = _repository(slug)
    return jsonify(authoring.serialise_validation(authoring.validation(row, validation_id),
                                                  full=True))


@bp.get("/assignments/<slug>/publications")
def assignment_publications(slug: str) -> Any:
    row = _repository(slug)
    return jsonify([authoring.serialise_publication(p) for p in authoring.publications_of(row)])


@bp.post("/assignments/<slug>/publish")
def assignment_publish(slug: str) -> Any:
    data = body()
    publication = authoring.publish(slug, str(data.get("commit") or "") or None, by=api_user())
    db.session.commit()
    return jsonify(authoring.serialise_publication(publication))


@bp.post("/assignments/<slug>/copy")
def assignment_copy(slug: str) -> Any:
    data = body()
    validation = copies.copy_assignment(slug, str(data.get("slug", "")),
                                           str(data.get("title", "")), by=api_user())
    db.session.commit()
    return jsonify({"slug": validation.repository.slug,
                    "clone_url": authoring.clone_url(validation.repository.slug),
                    "validation": authoring.serialise_validation(validation)}), 201
