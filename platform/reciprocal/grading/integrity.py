"""Platform side of a run's integrity: what the worker found, kept for the files the candidate
added or changed, and the verdict that follows (runner.integrity decides it on the worker)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..assignments import operations as assignments
from ..git import browse
from ..git.storage import repositories
from ..models import Submission

ALTERED_REASON = "The test results were altered by the submission"
MAX_ITEMS = 60
KEYS = ("kind", "detail", "file", "line", "alters")


def unchanged_from_starter(submission: Submission, rel: str) -> bool:
    """True when ``rel`` is a starter file the submission ships byte for byte unchanged."""
    if not rel or ".." in rel.split("/") or rel.startswith("/"):
        return False
    starter = assignments.version_dir(submission.invitation.assignment_version) / "starter"
    original = starter / rel
    if not original.is_file():
        return False
    repo_path = repositories().path_for(submission.invitation_id)
    return browse.blob_bytes(repo_path, submission.commit_sha, rel) == original.read_bytes()


def _clean_item(item: Mapping[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {"kind": str(item.get("kind", ""))[:60],
                            "detail": str(item.get("detail", ""))[:500],
                            "alters": bool(item.get("alters"))}
    if item.get("file"):
        kept["file"] = str(item["file"])[:300]
    line = item.get("line")
    if isinstance(line, int) and not isinstance(line, bool) and line > 0:
        kept["line"] = line
    return kept


def recorded_integrity(submission: Submission, result: Mapping[str, Any]) -> tuple[str, list]:
    """(integrity, evidence) to store: warnings about files the starter ships unchanged are
    dropped (they are not the candidate's doing); anything that altered the report stays."""
    evidence = []
    cache: dict[str, bool] = {}
    for raw in list(result.get("integrity_evidence") or [])[:MAX_ITEMS]:
        if not isinstance(raw, Mapping):
            continue
        item = _clean_item(raw)
        rel = item.get("file")
        if rel and not item["alters"]:
            if rel not in cache:
                cache[rel] = unchanged_from_starter(submission, rel)
            if cache[rel]:
                continue
        evidence.append(item)
    if str(result.get("integrity")) == "altered" or any(i["alters"] for i in evidence):
        return "altered", evidence
    return ("flagged" if evidence else "clean"), evidence
