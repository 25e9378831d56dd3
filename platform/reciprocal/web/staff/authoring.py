"""An assignment's hosted repository, for its authors: how to clone it, each pushed commit's
validation with its log and the failing step's output, publishing a validated commit, the
history of who published what, and copying an assignment as a starting point."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...assignments import authoring, copies, hosting
from ...core.errors import ReciprocalError
from ...extensions import db
from ...models import AssignmentValidation, ValidationStatus
from .blueprint import DECIDERS, bp


def _validation_row(validation: AssignmentValidation) -> dict[str, Any]:
    return {
        "id": validation.id, "sha": validation.commit_sha, "ref": validation.ref,
        "title": (validation.commit_message.strip().splitlines() or ["(no message)"])[0],
        "status": validation.status,
        "finished": ValidationStatus(validation.status).finished,
        "by": validation.requested_by.display_name if validation.requested_by else "operator",
        "created_at": validation.created_at, "finished_at": validation.finished_at,
        "failing_step": validation.failing_step, "failing_output": validation.failing_output,
    }


@bp.get("/library/<slug>/repository")
def assignment_repository(slug: str) -> Any:
    authoring.require_author(current_user)
    row = authoring.repository(slug)
    validations = [_validation_row(v) for v in authoring.validations_of(row)]
    publications = [{
        "sha": p.commit_sha, "version": p.version.content_hash, "via": p.via,
        "by": p.published_by.display_name if p.published_by else "operator",
        "at": p.published_at,
    } for p in authoring.publications_of(row)]
    waiting = authoring.publishable(row)
    return render_template(
        "authoring/repository.html", slug=slug, row=row, clone_url=authoring.clone_url(slug),
        live=hosting.head(slug), branches=hosting.branches(slug), validations=validations,
        publications=publications, publishable=waiting.commit_sha if waiting else None,
        running=any(not v["finished"] for v in validations), history=hosting.log(slug),
    )


@bp.get("/library/<slug>/validations/<int:validation_id>")
def assignment_validation(slug: str, validation_id: int) -> Any:
    authoring.require_author(current_user)
    row = authoring.repository(slug)
    validation = authoring.validation(row, validation_id)
    return render_template(
        "authoring/validation.html", slug=slug, v=_validation_row(validation),
        checks=validation.checks, log=validation.log, environment=validation.environment,
        live=hosting.head(slug),
    )


@bp.post("/library/<slug>/publish")
def assignment_publish(slug: str) -> Any:
    try:
        publication = authoring.publish(slug, request.form.get("commit") or None,
                                        by=current_user)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("staff.assignment_repository", slug=slug))
    db.session.commit()
    flash(f"Published {publication.commit_sha[:10]}: candidates invited from now on get this "
          "version; those invited before keep theirs.", "info")
    return redirect(url_for("staff.assignment_repository", slug=slug))


@bp.post("/library/<slug>/validations")
def assignment_validate_again(slug: str) -> Any:
    authoring.require_author(current_user)
    row = authoring.repository(slug)
    try:
        validation = authoring.request_validation(row, request.form.get("commit", ""),
                                                  ref=request.form.get("ref", ""),
                                                  by=current_user)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("staff.assignment_repository", slug=slug))
    db.session.commit()
    return redirect(url_for("staff.assignment_validation", slug=slug,
                            validation_id=validation.id))


@bp.post("/library/<slug>/copy")
def assignment_copy(slug: str) -> Any:
    try:
        validation = copies.copy_assignment(slug, request.form.get("slug", ""),
                                               request.form.get("title", ""), by=current_user)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        back = ("staff.library_assignment" if current_user.has_role(*DECIDERS)
                else "staff.assignment_repository")
        return redirect(url_for(back, slug=slug))
    db.session.commit()
    copy = validation.repository.slug
    flash(f"{copy} is your team's copy: clone it, edit it on a branch and push; it goes live "
          "when you publish a validated commit. Its first validation has started.", "info")
    return redirect(url_for("staff.assignment_repository", slug=copy))
