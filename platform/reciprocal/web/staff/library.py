"""The assignment library for the people who choose assignments: recruiters and admins (as for
the admin's assignments page and the invitation form, reviewers have no part in choosing, so
they are refused). The list with filters and figures, and each assignment's page: what the
candidate will see, its starter, its figures, for admins its rubric's test tags, and for
assignment authors its hosted repository and "Use as a starting point"."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user

from ...assignments import authoring, library
from ...assignments import preview as previews
from .blueprint import DECIDERS, bp, roles_required


@bp.get("/library")
@roles_required(*DECIDERS)
def library_index() -> Any:
    return render_template(
        "library/index.html",
        library=library.page(library.Filters.from_args(request.args)),
        cap_buckets=library.CAP_BUCKETS,
    )


@bp.get("/library/<slug>")
@roles_required(*DECIDERS)
def library_assignment(slug: str) -> Any:
    page = previews.preview(slug)
    return render_template(
        "library/assignment.html",
        page=page,
        assignment=page.assignment,
        is_admin=current_user.has_role("admin"),
        may_author=current_user.may_author_assignments,
        copy_url=url_for("staff.assignment_copy", slug=page.entry.slug),
        repository_url=url_for("staff.assignment_repository", slug=page.entry.slug),
        clone_url=authoring.clone_url(page.entry.slug),
    )
