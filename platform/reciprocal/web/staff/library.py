"""The assignment library for the people who choose assignments: recruiters and admins (as for
the admin's assignments page and the invitation form, reviewers have no part in choosing, so
they are refused). The list with filters and figures, and each assignment's page: what the
candidate will see, its starter, its figures, and for admins its rubric's test tags."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import render_template, request
from flask_login import current_user

from ...assignments import library
from ...assignments import preview as previews
from .blueprint import DECIDERS, bp, roles_required


@bp.get("/staff/library")
@roles_required(*DECIDERS)
def library_index() -> Any:
    return render_template(
        "library/index.html",
        library=library.page(library.Filters.from_args(request.args)),
        cap_buckets=library.CAP_BUCKETS,
    )


@bp.get("/staff/library/<slug>")
@roles_required(*DECIDERS)
def library_assignment(slug: str) -> Any:
    page = previews.preview(slug)
    return render_template(
        "library/assignment.html",
        page=page,
        assignment=page.assignment,
        is_admin=current_user.has_role("admin"),
        # The copy route belongs to the authoring pages; its address is fixed, so it is
        # written out here rather than looked up by endpoint.
        copy_url=f"/staff/library/{quote(page.entry.slug, safe='')}/copy",
    )
