"""The candidate's rights over their code: download it (git bundle or zip), delete it, keep it
on file after the retention period."""

from __future__ import annotations

import shutil
from typing import Any

from flask import flash, request, send_file

from ...candidates import rights as candidate_rights
from ...core.errors import NotFound
from ...extensions import db
from .blueprint import bp, current_invitation
from .journey import back


@bp.get("/download/<kind>")
def download(kind: str) -> Any:
    if kind not in ("bundle", "zip"):
        raise NotFound("downloads are a git bundle or a zip")
    path, name = candidate_rights.export(current_invitation(), kind)
    db.session.commit()
    response = send_file(
        path,
        as_attachment=True,
        download_name=name,
        mimetype="application/zip" if kind == "zip" else "application/octet-stream",
    )
    response.call_on_close(lambda: shutil.rmtree(path.parent, ignore_errors=True))
    return response


@bp.post("/delete")
def delete_code() -> Any:
    if request.form.get("confirm") != "yes":
        flash("Please tick the box to confirm the deletion: it cannot be undone.", "error")
        return back("#your-code")
    candidate_rights.delete_by_candidate(current_invitation())
    db.session.commit()
    flash("Your code, repository and test results are deleted. We noted that you did so.", "info")
    return back("#your-code")


@bp.post("/keep")
def keep_on_file() -> Any:
    candidate_rights.set_keep_on_file(current_invitation(), request.form.get("keep") == "yes")
    db.session.commit()
    flash("Your choice about keeping your code on file is saved.", "info")
    return back("#your-code")
