"""The review workspace over the API: the submission's files, comments (text from the comment
library too), the review (comments, scorecards, the aggregate, each criterion's hidden-test
evidence), the interview kit, and the comment library of the submission's assignment. Each
resolves the submission for the token's user first: anything else is its 404."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ...extensions import db
from ...models import Submission
from ...review import (
    attribution,
    calibration,
    criterion_evidence,
    interview_kit,
    process,
    snippets,
)
from ...review import code as code_browser
from ...review import operations as review
from ...review import queries as review_queries
from ...review import serialize as review_serialize
from .blueprint import api_user, body, bp


def _submission(submission_id: int) -> Submission:
    return review_queries.visible_to(api_user(), submission_id)


@bp.get("/submissions/<int:submission_id>/files")
def submission_files(submission_id: int) -> Any:
    submission = _submission(submission_id)
    listing = code_browser.tree(submission)
    data: dict[str, Any] = {
        "commit_sha": submission.commit_sha,
        "files": [{"path": e.path, "type": e.kind, "size": e.size} for e in listing.entries],
        "truncated": not listing.complete,
    }
    if listing.notice:
        data["notice"] = listing.notice
    return jsonify(data)


@bp.get("/submissions/<int:submission_id>/files/<path:path>")
def submission_file(submission_id: int, path: str) -> Any:
    submission = _submission(submission_id)
    view = code_browser.read_file(submission, path)
    data: dict[str, Any] = {
        "path": view.path,
        "type": view.kind,
        "size": view.size,
        "commit_sha": view.commit_sha,
        "binary": view.kind == "binary",
    }
    if view.kind == "text":
        data["text"] = view.text
        data["ai_attribution"] = attribution.serialise(attribution.for_file(submission, view))
    elif view.kind in ("symlink", "submodule"):
        data["target"] = view.target
    return jsonify(data)


@bp.post("/submissions/<int:submission_id>/comments")
def submission_comment(submission_id: int) -> Any:
    submission = _submission(submission_id)
    data = body()
    library = snippets.assignment_of(submission)
    comment = review.add_comment(
        submission,
        api_user(),
        path=data.get("path"),
        line_start=data.get("line_start"),
        line_end=data.get("line_end"),
        kind=data.get("kind"),
        body=data.get("body") or snippets.text_of(library, data.get("snippet_id"), api_user()),
        parent_id=data.get("parent_id"),
    )
    save_as = data.get("save_as_snippet")
    snippets.record_comment(library, api_user(), comment, snippet_id=data.get("snippet_id"),
                            save_as=None if save_as in (None, False)
                            else "" if save_as is True else str(save_as))
    db.session.commit()
    return jsonify(review_serialize.serialise_comment(comment)), 201


@bp.get("/submissions/<int:submission_id>/review")
def submission_review(submission_id: int) -> Any:
    user = api_user()
    submission = _submission(submission_id)
    return jsonify(
        {
            "submission_id": submission.id,
            "candidate": review_queries.candidate_label(submission, user),
            "comments": [
                review_serialize.serialise_comment(c)
                for c in review_queries.visible_comments(submission, user)
            ],
            "scorecards": [
                review_serialize.serialise_scorecard(c)
                for c in review_queries.visible_scorecards(submission, user)
            ],
            "aggregate": review_serialize.serialise_aggregate(
                calibration.aggregate(submission, user)
            ),
            "criteria": criterion_evidence.serialise_criteria(submission),
        }
    )


@bp.get("/submissions/<int:submission_id>/interview-kit")
def submission_interview_kit(submission_id: int) -> Any:
    submission = _submission(submission_id)
    data = interview_kit.serialise(interview_kit.build(submission, api_user()))
    data["ai"] = process.serialise(process.for_reviewers(submission, api_user()))
    return jsonify(data)


@bp.get("/submissions/<int:submission_id>/snippets")
def list_snippets(submission_id: int) -> Any:
    sub = _submission(submission_id)
    return jsonify({"snippets": [snippets.serialise(s) for s in
                                 snippets.library(snippets.assignment_of(sub), api_user())]})


@bp.post("/submissions/<int:submission_id>/snippets")
def add_snippet(submission_id: int) -> Any:
    sub, data = _submission(submission_id), body()
    snippet = snippets.create(snippets.assignment_of(sub), api_user(), title=data.get("title"),
                              body=data.get("body"), kind=data.get("kind"), via=sub)
    answer = snippets.serialise(snippets.view_of(snippet, api_user()))
    db.session.commit()
    return jsonify(answer), 201


@bp.patch("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
def edit_snippet(submission_id: int, snippet_id: int) -> Any:
    sub, data = _submission(submission_id), body()
    snippet = snippets.update(snippets.get(snippets.assignment_of(sub), snippet_id, api_user()),
                              api_user(), title=data.get("title"), body=data.get("body"),
                              kind=data.get("kind", ""), via=sub)
    answer = snippets.serialise(snippets.view_of(snippet, api_user()))
    db.session.commit()
    return jsonify(answer)


@bp.delete("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
def remove_snippet(submission_id: int, snippet_id: int) -> Any:
    sub = _submission(submission_id)
    snippets.delete(snippets.get(snippets.assignment_of(sub), snippet_id, api_user()),
                    api_user())
    db.session.commit()
    return "", 204
